from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutgoingConfig(AppConfig):
    name = "qlvb.outgoing"
    verbose_name = _("Văn bản đi")
