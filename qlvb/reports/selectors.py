"""Report figures for a period and (optionally) a unit. Every figure is a grouped query; nothing
loads documents one by one, so a year of a million documents stays a few queries."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db.models import Avg, Count, F, FloatField, Func, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qlvb.assignments.models import OPEN_STATES, Assignment
from qlvb.documents.models import Confidentiality
from qlvb.incoming.models import IncomingDocument
from qlvb.organization.models import Person, Unit


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    unit: Unit | None = None


def _day_range(period: Period):
    """The period as local datetimes [start 00:00, day after end 00:00), so the arrived_at index is used."""
    start = timezone.make_aware(datetime.combine(period.start, time.min))
    end = timezone.make_aware(datetime.combine(period.end + timedelta(days=1), time.min))
    return start, end


def counted() -> Q:
    """The documents the electronic-share ICT figures count: all, or (by default) the non-confidential ones."""
    from django.conf import settings

    return Q(confidentiality=Confidentiality.NORMAL) if settings.QLVB_ICT_EXCLUDE_CONFIDENTIAL else Q()


def incoming_counts(period: Period) -> dict:
    """Received in the period: the totals a reader sees, and the same split over the counted documents."""
    start, end = _day_range(period)
    qs = IncomingDocument.objects.filter(arrived_at__gte=start, arrived_at__lt=end)
    qs = qs.exclude(status=IncomingDocument.Status.CANCELLED)
    if period.unit:
        qs = qs.filter(pk__in=Assignment.objects.filter(receiver_unit=period.unit).values("document_id"))
    electronic, paper, done, chosen = Q(medium="electronic"), Q(medium="paper"), Q(status="done"), counted()
    return qs.aggregate(
        total=Count("id"), electronic=Count("id", filter=electronic), paper=Count("id", filter=paper),
        done=Count("id", filter=done), confidential=Count("id", filter=~Q(confidentiality=Confidentiality.NORMAL)),
        counted=Count("id", filter=chosen), counted_electronic=Count("id", filter=chosen & electronic),
        counted_paper=Count("id", filter=chosen & paper), counted_done=Count("id", filter=chosen & done),
    )


def received(period: Period) -> dict:
    counts = incoming_counts(period)
    return {key: counts[key] for key in ("total", "electronic", "paper", "done")}


def documents_due(period: Period) -> dict:
    """Documents whose processing deadline falls in the period, by outcome."""
    qs = IncomingDocument.objects.filter(deadline__gte=period.start, deadline__lte=period.end).exclude(
        status=IncomingDocument.Status.CANCELLED)
    if period.unit:
        qs = qs.filter(pk__in=Assignment.objects.filter(receiver_unit=period.unit).values("document_id"))
    return qs.aggregate(due=Count("id"),
                        on_time=Count("id", filter=Q(status="done", completed_on__lte=F("deadline"))),
                        late=Count("id", filter=Q(status="done", completed_on__gt=F("deadline"))),
                        overdue=Count("id", filter=~Q(status="done") & Q(deadline__lt=period.end)))


def _due_items(period: Period):
    """Main-handler items due in the period (the on-time rate's denominator)."""
    qs = Assignment.objects.filter(role=Assignment.Role.MAIN, deadline__gte=period.start,
                                   deadline__lte=period.end).exclude(state__in=["returned", "recalled"])
    return qs.filter(receiver_unit=period.unit) if period.unit else qs


class Seconds(Func):
    """Seconds from the second datetime to the first, computed by the database itself (Django's own
    datetime subtraction runs a Python function for every row on SQLite)."""

    arity = 2
    output_field = FloatField()
    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    arg_joiner = " - "

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="((julianday(%(expressions)s)) * 86400.0)",
                           arg_joiner=") - julianday(", **extra)


def _processing(group_by: str, period: Period) -> list[dict]:
    rows = list(_due_items(period).values(group_by).annotate(
        due=Count("id"),
        on_time=Count("id", filter=Q(state="done", done_on__lte=F("deadline"))),
        late=Count("id", filter=Q(state="done", done_on__gt=F("deadline"))),
        open=Count("id", filter=Q(state__in=OPEN_STATES, deadline__gte=period.end)),
        overdue=Count("id", filter=Q(state__in=OPEN_STATES, deadline__lt=period.end)),
        avg_seconds=Avg(Seconds("done_at", "created_at"), filter=Q(state="done")),
    ).order_by(group_by))
    for row in rows:
        seconds = row.pop("avg_seconds")
        row["avg_time"] = timedelta(seconds=round(seconds)) if seconds is not None else None
    return rows


def by_unit(period: Period) -> list[dict]:
    names = dict(Unit.objects.values_list("pk", "name"))
    return [{"name": names.get(r["receiver_unit"], "—"), **r} for r in _processing("receiver_unit", period)]


def by_person(period: Period) -> list[dict]:
    names = dict(Person.objects.values_list("pk", "full_name"))
    return [{"name": names.get(r["receiver"], "—"), **r} for r in _processing("receiver", period)]


def totals(rows: list[dict]) -> dict:
    keys = ["due", "on_time", "late", "open", "overdue"]
    return {k: sum(r[k] for r in rows) for k in keys}


def _share(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _scope() -> str:
    from django.conf import settings

    return _("không tính văn bản mật") if settings.QLVB_ICT_EXCLUDE_CONFIDENTIAL else _("kể cả văn bản mật")


def ict_indicators(period: Period, incoming: dict | None = None, outgoing: dict | None = None) -> list[dict]:
    """The ICT-Index figures of document management, each with its formula (regulations-detail §5.1):
    electronic only, paper and electronic, and paper are separate figures, and the electronic-share ones
    leave confidential documents out unless QLVB_ICT_EXCLUDE_CONFIDENTIAL is off (the formula says which).
    Outgoing figures need the outgoing-documents module; until it is installed they read "no data"."""
    r = incoming or incoming_counts(period)
    out = outgoing or outgoing_figures(period)
    due = documents_due(period)
    scope = _scope()
    rows = [
        ("incoming_electronic", _("Tỷ lệ văn bản đến nhận dưới dạng điện tử"),
         _("văn bản đến nhận điện tử / tổng văn bản đến × 100 (%(scope)s)"), r["counted_electronic"], r["counted"]),
        ("incoming_paper", _("Tỷ lệ văn bản đến nhận bản giấy"),
         _("văn bản đến nhận bản giấy / tổng văn bản đến × 100 (%(scope)s)"), r["counted_paper"], r["counted"]),
        ("processed_in_system", _("Tỷ lệ văn bản đến được xử lý xong trên hệ thống"),
         _("văn bản đến đã xử lý xong trên hệ thống / tổng văn bản đến × 100 (%(scope)s)"), r["counted_done"],
         r["counted"]),
        ("on_time", _("Tỷ lệ văn bản đến xử lý đúng hạn"),
         _("văn bản có hạn trong kỳ đã xử lý xong đúng hạn / văn bản có hạn trong kỳ × 100"), due["on_time"],
         due["due"]),
        ("outgoing_electronic", _("Tỷ lệ văn bản đi gửi hoàn toàn dưới dạng điện tử (không kèm bản giấy)"),
         _("văn bản đi chỉ gửi điện tử / tổng văn bản đi × 100 (%(scope)s)"), out["electronic_only"],
         out["counted"]),
        ("outgoing_paper_and_electronic", _("Tỷ lệ văn bản đi gửi song song điện tử và bản giấy"),
         _("văn bản đi gửi cả điện tử và bản giấy / tổng văn bản đi × 100 (%(scope)s)"),
         out["paper_and_electronic"], out["counted"]),
        ("outgoing_signed", _("Tỷ lệ văn bản điện tử phát hành có chữ ký số"),
         _("văn bản đi có chữ ký số / văn bản đi gửi điện tử (chỉ điện tử, hoặc kèm bản giấy) × 100 (%(scope)s)"),
         out["signed"], _sum(out["electronic_only"], out["paper_and_electronic"])),
    ]
    rows = [{"key": key, "name": name, "formula": formula % {"scope": scope}, "numerator": num, "denominator": den,
             "value": _share(num, den) if num is not None else None} for key, name, formula, num, den in rows]
    rows.append({"key": "overdue_open", "name": _("Số văn bản quá hạn chưa xử lý xong"),
                 "formula": _("văn bản có hạn trong kỳ, trước ngày cuối kỳ, chưa xử lý xong"),
                 "numerator": due["overdue"], "denominator": None, "value": due["overdue"]})
    from django.conf import settings

    wanted = settings.QLVB_ICT_INDICATORS
    return [row for row in rows if not wanted or row["key"] in wanted]


def _sum(*parts):
    return None if None in parts else sum(parts)


def outgoing_figures(period: Period) -> dict:
    """Outgoing counts, or None figures while the outgoing module is not installed."""
    if not apps.is_installed("qlvb.outgoing"):
        return dict.fromkeys(["total", "confidential", "counted", "electronic_only", "paper_and_electronic",
                              "signed"])
    from qlvb.outgoing.selectors import report_figures

    return report_figures(period, counted())


def report(period: Period) -> dict:
    """Everything the page and the exports show. `received` carries the incoming counts (totals and the
    counted split); `outgoing` the issued ones; `excludes_confidential` says how the shares were computed."""
    from django.conf import settings

    units, people = by_unit(period), by_person(period)
    incoming, outgoing = incoming_counts(period), outgoing_figures(period)
    return {"period": period, "received": incoming, "outgoing": outgoing, "units": units, "people": people,
            "totals": totals(units), "ict": ict_indicators(period, incoming, outgoing),
            "excludes_confidential": settings.QLVB_ICT_EXCLUDE_CONFIDENTIAL}
