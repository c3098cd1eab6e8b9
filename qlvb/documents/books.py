"""The register books as printed (Decree 30, Annex IV): their columns in the decree's order, and the
period a book covers.

Annex IV I–II and VII give the minimum columns of the paper books; the system prints its registers the
same way (Art 16.2.b for outgoing, Art 22.3.b for incoming; Annex VI I.V lists them as system outputs).
The rows are built by `documents.selectors.book_rows`, always from the viewer's visible set.
"""

import calendar
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Register


@dataclass(frozen=True)
class Column:
    title: str
    width: int  # in characters, for the spreadsheet; the PDF shares the page in the same proportions
    # Part of what the clerk registered (not of the later handling): a change after the book was closed
    # is flagged on the book page.
    registered: bool = False


@dataclass(frozen=True)
class Book:
    key: str
    title: str  # as on the cover of the paper book
    kinds: tuple  # register kinds whose documents the book lists
    columns: tuple

    @property
    def widths(self) -> list[float]:
        """Each column's share of the page, in per cent."""
        total = sum(c.width for c in self.columns)
        return [round(100 * c.width / total, 2) for c in self.columns]


C = Column
BOOKS = {
    # Annex IV, Sổ đăng ký văn bản đến: the ten columns, in order.
    "incoming": Book("incoming", gettext_lazy("Sổ đăng ký văn bản đến"), (Register.Kind.INCOMING,), (
        C(gettext_lazy("Ngày đến"), 13, True), C(gettext_lazy("Số đến"), 7, True),
        C(gettext_lazy("Tác giả"), 18, True), C(gettext_lazy("Số, ký hiệu"), 16, True),
        C(gettext_lazy("Ngày tháng văn bản"), 13, True), C(gettext_lazy("Tên loại và trích yếu nội dung"), 38, True),
        C(gettext_lazy("Đơn vị hoặc người nhận"), 22), C(gettext_lazy("Ngày chuyển"), 13),
        C(gettext_lazy("Ký nhận"), 14), C(gettext_lazy("Ghi chú"), 14, True))),
    # Annex IV, Sổ đăng ký văn bản đi: the ten columns, in order (copies are registered in it too).
    "outgoing": Book("outgoing", gettext_lazy("Sổ đăng ký văn bản đi"),
                     (Register.Kind.OUTGOING, Register.Kind.COPY), (
        C(gettext_lazy("Số, ký hiệu văn bản"), 16, True), C(gettext_lazy("Ngày tháng văn bản"), 13, True),
        C(gettext_lazy("Tên loại và trích yếu nội dung"), 40, True), C(gettext_lazy("Người ký"), 16, True),
        C(gettext_lazy("Nơi nhận văn bản"), 26, True), C(gettext_lazy("Đơn vị, người nhận bản lưu"), 18, True),
        C(gettext_lazy("Số lượng bản"), 7, True), C(gettext_lazy("Ngày chuyển"), 13),
        C(gettext_lazy("Ký nhận"), 14), C(gettext_lazy("Ghi chú"), 16, True))),
    # Annex IV, Sổ theo dõi giải quyết văn bản đến: the seven columns, in order.
    "followup": Book("followup", gettext_lazy("Sổ theo dõi giải quyết văn bản đến"), (Register.Kind.INCOMING,), (
        C(gettext_lazy("Số đến"), 7, True),
        C(gettext_lazy("Tên loại, số, ký hiệu, ngày tháng văn bản, cơ quan ban hành và trích yếu"), 45, True),
        C(gettext_lazy("Đơn vị hoặc người nhận"), 24), C(gettext_lazy("Thời hạn giải quyết"), 13),
        C(gettext_lazy("Tiến độ giải quyết"), 22), C(gettext_lazy("Số, ký hiệu văn bản trả lời"), 18),
        C(gettext_lazy("Ghi chú"), 16))),
}


def get_book(key: str) -> Book:
    from django.http import Http404

    if key not in BOOKS:
        raise Http404(_("Không có sổ này."))
    return BOOKS[key]


# ---- periods ----------------------------------------------------------------------------------------

PERIOD_KINDS = {"month": gettext_lazy("Tháng"), "quarter": gettext_lazy("Quý"), "year": gettext_lazy("Năm"),
                "range": gettext_lazy("Từ ngày – đến ngày")}
ROMAN = ["I", "II", "III", "IV"]


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    label: str
    query: tuple = ()  # the query parameters that select this period again (links, downloads)


def period_of(year: int, *, kind: str = "year", month=None, quarter=None, start=None, end=None) -> Period:
    """The period of a register's year the book covers: a month, a quarter, the year, or from–to.
    Registers are yearly, so a period never leaves the register's year. Refused input names its field."""
    if kind == "month":
        month = _number(month, 1, 12, "month", _("Tháng"))
        return Period(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]),
                      _("Tháng %(month)02d năm %(year)s") % {"month": month, "year": year},
                      (("period", "month"), ("month", month)))
    if kind == "quarter":
        quarter = _number(quarter, 1, 4, "quarter", _("Quý"))
        first = 3 * quarter - 2
        return Period(date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1]),
                      _("Quý %(quarter)s năm %(year)s") % {"quarter": ROMAN[quarter - 1], "year": year},
                      (("period", "quarter"), ("quarter", quarter)))
    if kind == "range":
        return _range(year, start, end)
    if kind == "year":
        return Period(date(year, 1, 1), date(year, 12, 31), _("Năm %(year)s") % {"year": year}, (("period", "year"),))
    raise ValidationError({"period": _("Kỳ: chọn tháng, quý, năm hoặc từ ngày – đến ngày.")})


def _number(value, low, high, field, label):
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = None
    if number is None or not low <= number <= high:
        raise ValidationError({field: _("%(label)s: chọn từ %(low)s đến %(high)s.")
                               % {"label": label, "low": low, "high": high}})
    return number


def _range(year, start, end) -> Period:
    errors = {}
    if not isinstance(start, date):
        errors["start"] = _("Từ ngày: nhập ngày hợp lệ.")
    elif start.year != year:
        errors["start"] = _("Từ ngày: phải trong năm %(year)s của sổ.") % {"year": year}
    if not isinstance(end, date):
        errors["end"] = _("Đến ngày: nhập ngày hợp lệ.")
    elif end.year != year:
        errors["end"] = _("Đến ngày: phải trong năm %(year)s của sổ.") % {"year": year}
    if not errors and end < start:
        errors["end"] = _("Đến ngày: không được trước Từ ngày.")
    if errors:
        raise ValidationError(errors)
    return Period(start, end, _("Từ ngày %(start)s đến ngày %(end)s")
                  % {"start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y")},
                  (("period", "range"), ("from", start.isoformat()), ("to", end.isoformat())))
