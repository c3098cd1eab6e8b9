"""Rules on incoming documents shared by registration, correction and forwarding (one place each)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def check_deadline(deadline: date | None, *, arrived_on: date, not_past: bool = False,
                   field: str = "deadline") -> None:
    """A processing deadline (hạn giải quyết, Decree 30 Art 24; PL VI II.18 DueDate; PL IV Sổ theo dõi
    giải quyết văn bản đến) never falls before the day the document arrived. Registration (page and
    API), correction and forwarding all call this, so a deadline refused in one place is refused in all.

    `not_past`: a deadline given now to a person (forwarding) must also not be already past. Registration
    and correction do not ask it: a register is sometimes entered late, or from the paper book of earlier
    months, and must then record the deadline the document really had."""
    if deadline is None:
        return
    if deadline < arrived_on:
        raise ValidationError({field: _("Hạn xử lý không được trước ngày đến (%(date)s).")
                               % {"date": date_format(arrived_on, "d/m/Y")}})
    if not_past and deadline < timezone.localdate():
        raise ValidationError({field: _("Hạn xử lý không được trước ngày hôm nay.")})


def arrival_day(document) -> date:
    return timezone.localdate(document.arrived_at)
