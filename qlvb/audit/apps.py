from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "qlvb.audit"
    verbose_name = _("Nhật ký hệ thống")

    def ready(self):
        from . import signals  # noqa: F401
