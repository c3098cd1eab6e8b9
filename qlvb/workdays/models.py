"""Admin-editable exceptions to the statutory working calendar.

Each year the government announces extra days off (e.g. a bridge day next to a
holiday) and make-up working Saturdays that the ``holidays`` package may not
know about. One row here overrides every other rule for its date.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class DayOverride(models.Model):
    class Kind(models.TextChoices):
        OFF = "day_off", _("Ngày nghỉ bổ sung")
        WORKING = "working_day", _("Ngày làm việc bù")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    note = models.CharField(
        _("ghi chú"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: căn cứ thông báo nghỉ lễ của Thủ tướng Chính phủ."),
    )

    class Meta:
        verbose_name = _("ngày điều chỉnh lịch làm việc")
        verbose_name_plural = _("ngày điều chỉnh lịch làm việc")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} – {self.get_kind_display()}"

    def clean(self):
        super().clean()
        if self.date is None or not self.kind:
            return
        from qlvb.workdays.calendar import is_statutory_working_day

        statutory_working = is_statutory_working_day(self.date)
        if self.kind == self.Kind.OFF and not statutory_working:
            raise ValidationError(
                {"kind": _("Ngày này vốn đã là ngày nghỉ (cuối tuần hoặc ngày lễ), không cần thêm.")}
            )
        if self.kind == self.Kind.WORKING and statutory_working:
            raise ValidationError(
                {"kind": _("Ngày này vốn đã là ngày làm việc, không cần thêm ngày làm việc bù.")}
            )
