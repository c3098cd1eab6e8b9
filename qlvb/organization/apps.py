from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationConfig(AppConfig):
    name = "qlvb.organization"
    verbose_name = _("Tổ chức")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from qlvb.core.request_memo import forget

        from . import rights
        from .models import Delegation

        rights.connect_receivers()
        # A delegation given or ended in a request is seen by the rest of that request.
        for signal in (post_save, post_delete):
            signal.connect(forget, sender=Delegation, dispatch_uid=f"memo-delegation-{signal is post_save}")
        m2m_changed.connect(forget, sender=Delegation.fields.through, dispatch_uid="memo-delegation-fields")
