from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "qlvb.monitoring"
    verbose_name = _("Theo dõi, đôn đốc, thông báo")

    def ready(self):
        from . import receivers  # noqa: F401
