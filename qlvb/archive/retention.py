"""Retention periods (thời hạn bảo quản, Annex VI III.3 Maintenance): "Vĩnh viễn" or a number of years.

Stored as two columns on every model that carries one (`Retention`): `retention_permanent` and
`retention_years`; neither set means "not decided yet" (a record opened ad hoc before closing)."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from qlvb.core.text import fold

PERMANENT_LABEL = "Vĩnh viễn"
MAX_YEARS = 100


def parse(text, field: str = "retention") -> tuple[bool, int | None]:
    """("Vĩnh viễn" | "vinh vien" | "20 năm" | "20") → (permanent, years); "" → (False, None)."""
    value = fold(str(text or "").strip())
    if not value:
        return False, None
    if value in {"vinh vien", "vv"}:
        return True, None
    match = re.fullmatch(r"(\d{1,3})\s*(nam)?", value)
    if not match or not 1 <= int(match.group(1)) <= MAX_YEARS:
        raise ValidationError({field: _("Thời hạn bảo quản: ghi “Vĩnh viễn” hoặc số năm từ 1 đến %(n)d, "
                                        "ví dụ “20 năm”.") % {"n": MAX_YEARS}})
    return False, int(match.group(1))


def label(permanent: bool, years: int | None) -> str:
    if permanent:
        return PERMANENT_LABEL
    return f"{years} năm" if years else ""


class Retention(models.Model):
    """The two columns of a retention period, with their label."""

    retention_permanent = models.BooleanField(gettext_lazy("bảo quản vĩnh viễn"), default=False)
    retention_years = models.PositiveSmallIntegerField(gettext_lazy("thời hạn bảo quản (năm)"), null=True,
                                                       blank=True)

    class Meta:
        abstract = True

    @property
    def retention(self) -> str:
        return label(self.retention_permanent, self.retention_years)

    @property
    def has_retention(self) -> bool:
        return self.retention_permanent or bool(self.retention_years)

    def set_retention(self, text, field: str = "retention") -> None:
        self.retention_permanent, self.retention_years = parse(text, field)
