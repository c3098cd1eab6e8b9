from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    name = "qlvb.backup"
    verbose_name = _("Sao lưu và phục hồi")
