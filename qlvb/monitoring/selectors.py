"""Dashboard figures: per unit and per person, the stale items, the weekly series behind the charts.
Every figure counts only what its viewer may open (`access.visible_*`)."""

from datetime import datetime, time, timedelta

from django.db.models import Count, F, Max, Q
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb.access import visible_assignments, visible_incoming
from qlvb.assignments.models import OPEN_STATES, Assignment, due_soon_q, overdue_q
from qlvb.incoming.models import IncomingDocument
from qlvb.organization.models import Person, Role, Unit
from qlvb.workdays.calendar import add_working_days

from .models import Notification


def _open_counts(today):
    """Each figure is the length of the list it links to (the unit tabs of the inbox, `Filters`)."""
    soon = add_working_days(today, 1)
    return {
        "todo": Count("id"),
        "new": Count("id", filter=Q(state=Assignment.State.NEW)),
        "pending": Count("id", filter=Q(state=Assignment.State.PENDING)),
        "overdue": Count("id", filter=overdue_q(today)),
        "due_soon": Count("id", filter=due_soon_q(today, soon)),
    }


def units_overview(viewer, today=None) -> list[dict]:
    """Open items per unit that the viewer may see (for leaders): one grouped query."""
    today = today or timezone.localdate()
    rows = {r["receiver_unit"]: r for r in visible_assignments(viewer).filter(box=Assignment.Box.TODO).held()
            .values("receiver_unit").annotate(**_open_counts(today))}
    return [{"unit": u, **rows.get(u.pk, {"todo": 0, "new": 0, "pending": 0, "overdue": 0, "due_soon": 0})}
            for u in Unit.objects.filter(is_active=True).order_by("order")]


def people_overview(viewer, unit, today=None) -> list[dict]:
    """Open items per person of a unit (for its head), counting only what the viewer may see, each piece
    of work once, with the person who holds it."""
    today = today or timezone.localdate()
    rows = {r["receiver"]: r for r in visible_assignments(viewer).filter(box=Assignment.Box.TODO,
                                                                          receiver_unit=unit).held()
            .values("receiver").annotate(**_open_counts(today))}
    people = Person.objects.filter(unit=unit, is_active=True).order_by("position__rank", "full_name")
    return [{"person": p, **rows.get(p.pk, {"todo": 0, "new": 0, "pending": 0, "overdue": 0, "due_soon": 0})}
            for p in people]


def overdue_items(person, unit=None, today=None, limit=200):
    """What the person may urge: leaders and clerks see all units (or one), a head their unit."""
    today = today or timezone.localdate()
    qs = visible_assignments(person).filter(box=Assignment.Box.TODO).held().overdue(today)
    if unit is not None:
        qs = qs.filter(receiver_unit=unit)
    elif not person.has_role(Role.LEADER, Role.CLERK):
        qs = qs.filter(receiver_unit_id=person.unit_id)
    return list(qs.exclude(receiver=person).select_related("document", "receiver", "receiver_unit")
                .order_by("deadline", "id")[:limit])


def left_open(viewer, unit=None, limit=200):
    """Items left open on finished documents that the viewer may close (a head their unit's, a leader
    the agency's, or one unit's), each with its holder."""
    from qlvb.assignments.selectors import left_open as closable

    qs = closable(viewer)
    if unit is not None and viewer.has_role(Role.LEADER):
        qs = qs.filter(receiver_unit=unit)
    return list(qs.select_related("document", "receiver", "receiver_unit").order_by("document_id", "id")[:limit])


def stale_items(person, *, pending_days: int, info_days: int, today=None) -> dict:
    """Items that look finished but are still open, for the holder to fix in one click."""
    today = today or timezone.localdate()
    mine = visible_assignments(person).filter(receiver=person, state__in=OPEN_STATES).select_related("document")
    seen_info = mine.filter(role=Assignment.Role.INFO, seen_at__date__lte=today - timedelta(days=info_days))
    quiet_pending = mine.filter(state=Assignment.State.PENDING).annotate(last=Max("events__at")).filter(
        last__date__lte=add_working_days(today, -pending_days))
    document_done = mine.filter(document__status=IncomingDocument.Status.DONE).exclude(role=Assignment.Role.INFO)
    return {"seen_info": list(seen_info[:50]), "quiet_pending": list(quiet_pending[:50]),
            "document_done": list(document_done[:50])}


def unit_info_items(viewer, unit, limit=500):
    return list(visible_assignments(viewer).filter(receiver_unit=unit, role=Assignment.Role.INFO,
                                                   state__in=OPEN_STATES)
                .select_related("document", "receiver")[:limit])


def weekly_series(viewer, weeks=12, unit=None, today=None) -> list[dict]:
    """Per week (Monday first): documents received, and main items completed on time / late.
    Two grouped queries by day, bucketed here into weeks."""
    today = today or timezone.localdate()
    start = today - timedelta(days=today.weekday() + 7 * (weeks - 1))
    docs = visible_incoming(viewer).filter(
        arrived_at__gte=timezone.make_aware(datetime.combine(start, time.min))).exclude(status="cancelled")
    done = visible_assignments(viewer).filter(state=Assignment.State.DONE, done_on__gte=start,
                                     role=Assignment.Role.MAIN, deadline__isnull=False)
    if unit is not None:
        docs = docs.filter(assignments__receiver_unit=unit)
        done = done.filter(receiver_unit=unit)
    series = [{"week": start + timedelta(days=7 * i), "received": 0, "on_time": 0, "late": 0}
              for i in range(weeks)]
    index = {week["week"]: week for week in series}

    def week_of(day):  # a day after this week (a clock set wrong) lands in a throw-away bucket
        return index.get(day - timedelta(days=day.weekday()), {"received": 0, "on_time": 0, "late": 0})

    received = docs.annotate(day=TruncDate("arrived_at")).values("day").annotate(n=Count("id", distinct=True))
    for row in received:
        week_of(row["day"])["received"] += row["n"]
    completed = done.values("done_on").annotate(on_time=Count("id", filter=Q(done_on__lte=F("deadline"))),
                                                late=Count("id", filter=Q(done_on__gt=F("deadline"))))
    for row in completed:
        week = week_of(row["done_on"])
        week["on_time"] += row["on_time"]
        week["late"] += row["late"]
    return series


def unread_count(person) -> int:
    return Notification.objects.filter(recipient=person, read_at__isnull=True).count()


def notifications(person, limit=100):
    return list(Notification.objects.filter(recipient=person)[:limit])


def menu_counts(person) -> dict[str, list[dict]]:
    """The figures beside the menu entries, by the entry's URL name, each the length of the list its page
    shows: to do and overdue (the inbox's tabs), waiting for approval (the approvals list), waiting for
    a number (the clerk's list of signed drafts)."""
    from qlvb.access import Action, can
    from qlvb.assignments.selectors import counts
    from qlvb.records.selectors import to_issue, waiting_for

    found: dict[str, list[dict]] = {}
    if can(person, Action.HANDLE_DOCUMENTS):
        mine = counts(person)
        found["incoming:inbox"] = [{"n": mine["todo"], "css": "primary", "label": _("Cần xử lý")},
                                   {"n": mine["overdue"], "css": "danger", "label": _("Quá hạn")}]
    if person.has_role(Role.LEADER, Role.HEAD):
        found["records:list"] = [{"n": waiting_for(person).count(), "css": "warning", "label": _("Chờ duyệt")}]
    if can(person, Action.ISSUE):
        found["outgoing:list"] = [{"n": len(to_issue(person)), "css": "warning", "label": _("Chờ cấp số")}]
    return {name: [c for c in figures if c["n"]] for name, figures in found.items()}
