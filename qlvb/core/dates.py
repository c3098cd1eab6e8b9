"""Dates as Vietnamese users write them: dd/mm/yyyy and 24-hour HH:MM, whatever the browser's language.

Every date typed into a page goes through here (form fields, the template tag `{% date_input %}` and the
views that read a date from a query string or a post), so one format is shown and one set is accepted:
dd/mm/yyyy (d/m/yyyy too), and ISO yyyy-mm-dd for links, saved searches and the API, which keep ISO.
"""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M",
                          "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d"]
LOW, HIGH = date(1900, 1, 1), date(9998, 12, 31)  # what every database keeps, and what the API accepts
EXAMPLE = "05/12/2026"


def _strptime(text: str, formats) -> datetime | None:
    text = " ".join((text or "").split())
    for pattern in formats:
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def parse_date(text) -> date | None:
    """The date written as dd/mm/yyyy or yyyy-mm-dd, or None (empty, malformed, no such day, out of range)."""
    if isinstance(text, datetime):
        return text.date()
    if isinstance(text, date):
        return text
    parsed = _strptime(str(text or "")[:40], DATE_INPUT_FORMATS)
    return parsed.date() if parsed and LOW <= parsed.date() <= HIGH else None


def parse_datetime(text) -> datetime | None:
    """A naive date and time written as dd/mm/yyyy HH:MM (or ISO), or None."""
    parsed = _strptime(str(text or "")[:40], DATETIME_INPUT_FORMATS)
    return parsed if parsed and LOW <= parsed.date() <= HIGH else None


def invalid_date_message(label) -> str:
    return _("%(field)s: nhập ngày dạng ngày/tháng/năm, ví dụ %(example)s.") % {"field": label, "example": EXAMPLE}


def invalid_datetime_message(label) -> str:
    return _("%(field)s: nhập ngày giờ dạng ngày/tháng/năm giờ:phút (24 giờ), ví dụ %(example)s 14:30.") % {
        "field": label, "example": EXAMPLE}


def date_or_refuse(text, label) -> date | None:
    """None when nothing was typed; a date; or a refusal naming the field."""
    if not (text or "").strip():
        return None
    value = parse_date(text)
    if value is None:
        raise ValidationError(invalid_date_message(label), code="invalid")
    return value


def shown(value) -> str:
    """A date (or a date and time) as the inputs show it; an ISO string is converted, anything else kept."""
    if isinstance(value, datetime):
        return value.strftime(DATETIME_FORMAT)
    if isinstance(value, date):
        return value.strftime(DATE_FORMAT)
    parsed = parse_date(value) if value else None
    return parsed.strftime(DATE_FORMAT) if parsed else (value or "")
