from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "qlvb.workdays"
    label = "workdays"
    verbose_name = _("Lịch làm việc")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from qlvb.workdays.calendar import _on_override_changed
        from qlvb.workdays.models import DayOverride

        post_save.connect(_on_override_changed, sender=DayOverride, dispatch_uid="workdays_override_save")
        post_delete.connect(_on_override_changed, sender=DayOverride, dispatch_uid="workdays_override_del")
