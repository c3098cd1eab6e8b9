from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationConfig(AppConfig):
    name = "qlvb.organization"
    verbose_name = _("Tổ chức")

    def ready(self):
        from . import rights

        rights.connect_receivers()
