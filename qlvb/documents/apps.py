from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "qlvb.documents"
    verbose_name = _("Danh mục văn bản")

    def ready(self):
        from . import signals

        signals.connect()
