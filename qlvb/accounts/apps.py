from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "qlvb.accounts"
    verbose_name = _("Tài khoản và đăng nhập")

    def ready(self):
        from . import signals  # noqa: F401
