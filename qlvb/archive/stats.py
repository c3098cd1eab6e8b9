"""The records' figures (issue 13 item 7; Circular 01/2019 F-4.đ, F-6.a): for a year, per person and per
unit, the records opened, closed, and submitted to the agency archive on time or late (by the deadline
that applied: `submission.base_due` moved by an approved keep request). Counts only, from the viewer's
`access.visible_record_figures`: the agency for its leaders, a unit for its heads, one's own otherwise."""

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb import access
from qlvb.organization.models import Role

COLUMNS = ("opened", "closed", "on_time", "late")


@dataclass
class Line:
    name: str
    opened: int = 0
    closed: int = 0
    on_time: int = 0
    late: int = 0
    pk: int | None = field(default=None, repr=False)

    def add(self, other) -> None:
        for column in COLUMNS:
            setattr(self, column, getattr(self, column) + getattr(other, column))


def year_or_refuse(text) -> int:
    if text in (None, ""):
        return timezone.localdate().year
    try:
        year = int(text)
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Năm thống kê: nhập năm từ 2000 đến 2100.")})
    return year


def scope(person) -> str:
    if person.has_role(Role.LEADER):
        return _("Toàn cơ quan")
    if person.has_role(Role.HEAD) and person.unit_id:
        return str(person.unit)
    return _("Hồ sơ của tôi")


def _submitted(records, year: int) -> list[tuple[int, int, bool]]:
    """(owner, unit, on time) of each record submitted in the year and not returned."""
    from .models import KeepRequest, Submission
    from .submission import base_due

    subs = list(Submission.objects.filter(record__in=records.values("pk"), submitted_at__year=year)
                .exclude(state=Submission.State.RETURNED).select_related("record"))
    kept = dict(KeepRequest.objects.filter(record__in=[s.record_id for s in subs], state=KeepRequest.State.APPROVED)
                .values("record").annotate(until=Max("until")).values_list("record", "until"))
    out = []
    for sub in subs:
        due = base_due(sub.record)
        if due and kept.get(sub.record_id):
            due = max(due, kept[sub.record_id])
        on_time = due is None or timezone.localdate(sub.submitted_at) <= due
        out.append((sub.record.owner_id, sub.record.unit_id, on_time))
    return out


def figures(person, year: int) -> dict:
    """{"year", "scope", "units": [Line], "people": [Line], "total": Line}, names in order."""
    records = access.visible_record_figures(person)
    grouped = (records.values("owner", "owner__full_name", "unit", "unit__name")
               .annotate(opened=Count("pk", filter=Q(created_at__year=year)),
                         closed=Count("pk", filter=Q(closed_at__year=year))))
    people, units = {}, {}
    for row in grouped:
        line = Line("", row["opened"], row["closed"])
        people.setdefault(row["owner"], Line(row["owner__full_name"], pk=row["owner"])).add(line)
        units.setdefault(row["unit"], Line(row["unit__name"], pk=row["unit"])).add(line)
    for owner, unit, on_time in _submitted(records, year):
        for line in (people[owner], units[unit]):
            line.on_time, line.late = line.on_time + on_time, line.late + (not on_time)
    total = Line(_("Tổng cộng"))
    for line in people.values():
        total.add(line)

    def shown(lines):
        return sorted((line for line in lines.values() if any(getattr(line, c) for c in COLUMNS)),
                      key=lambda line: line.name)

    return {"year": year, "scope": scope(person), "units": shown(units), "people": shown(people), "total": total}


def headings() -> list[str]:
    return [_("Hồ sơ mở"), _("Hồ sơ đóng"), _("Nộp lưu đúng hạn"), _("Nộp lưu trễ hạn")]


def xlsx(data: dict) -> bytes:
    from openpyxl import Workbook

    from qlvb.reports.exports import header

    workbook = Workbook(write_only=True)
    for title, first, lines in ((_("Theo đơn vị"), _("Đơn vị"), data["units"]),
                                (_("Theo cán bộ"), _("Cán bộ"), data["people"])):
        sheet = workbook.create_sheet(title)
        sheet.column_dimensions["A"].width = 40
        sheet.append([_("Thống kê hồ sơ năm %(y)d") % {"y": data["year"]}])
        sheet.append([_("Phạm vi"), data["scope"]])
        header(sheet, [first, *headings()])
        for line in [*lines, data["total"]]:
            sheet.append([line.name, *(getattr(line, c) for c in COLUMNS)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def file_name(data: dict) -> str:
    return f"Thong ke ho so nam {data['year']}.xlsx"
