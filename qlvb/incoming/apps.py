from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncomingConfig(AppConfig):
    name = "qlvb.incoming"
    verbose_name = _("Văn bản đến")

    def home_widget(self, person):
        from .selectors import home_widget

        return home_widget(person)
