"""Reads of the access history (F-5.a access/view history, F-6.a–c access counts, F-6.l usage history).

A document's own history is read only by those `access` lets see it (`Action.VIEW_ACCESS_LOG`); the
administration area reads every entry (`entries`). No read here touches a guarded table: an entry names
its object by type, id and the text written when it was made (a confidential one by id only)."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from qlvb.access import Action, can

from .models import AccessLog

PANEL_SIZE = 50

# The kinds of object whose accesses are written, for the administrator's filter.
OBJECT_TYPES = ["incoming.incomingdocument", "outgoing.outgoingdocument", "records.workrecord", "records.draft",
                "reports.export"]


def _of(obj):
    return AccessLog.objects.filter(object_type=obj._meta.label_lower, object_id=obj.pk)


def history_of(obj, *, limit: int | None = PANEL_SIZE):
    """The object's entries, newest first, with the person's name (one query; only the columns shown)."""
    rows = (_of(obj).select_related("person").only("at", "action", "file_name", "person__full_name")
            .order_by("-at", "-id"))
    return rows[:limit] if limit else rows


def counts_of(obj) -> dict:
    """Accesses of the object per action, and their total (F-6.a): one grouped query."""
    counts = {row["action"]: row["n"] for row in _of(obj).values("action").annotate(n=Count("id")).order_by()}
    return {"total": sum(counts.values()), **counts}


def panel(viewer, obj) -> dict:
    """What a document or record page shows: the counts for everyone who opens it, the entries only for those
    allowed to read the trail."""
    counts = counts_of(obj)
    may_read = can(viewer, Action.VIEW_ACCESS_LOG, obj)
    return {"total": counts["total"],
            "by_action": [(label, counts[value]) for value, label in AccessLog.Kind.choices if counts.get(value)],
            "entries": list(history_of(obj)) if may_read else None}


def object_type_choices() -> list[tuple[str, str]]:
    from django.apps import apps

    return [(label, apps.get_model(label)._meta.verbose_name)
            for label in OBJECT_TYPES]


@dataclass(frozen=True)
class Filters:
    person: str = ""
    object_type: str = ""
    object_id: int | None = None
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def entries(filters: Filters):
    """Every entry matching the administrator's filters, newest first (the period in local days)."""
    rows = AccessLog.objects.select_related("person", "blob").order_by("-at", "-id")
    if filters.person:
        rows = rows.filter(Q(person__full_name__icontains=filters.person)
                           | Q(person__username__iexact=filters.person))
    if filters.object_type:
        rows = rows.filter(object_type=filters.object_type)
    if filters.object_id is not None:
        rows = rows.filter(object_id=filters.object_id)
    if filters.action:
        rows = rows.filter(action=filters.action)
    if filters.date_from:
        rows = rows.filter(at__gte=_day_start(filters.date_from))
    if filters.date_to:
        rows = rows.filter(at__lt=_day_start(filters.date_to + timedelta(days=1)))
    return rows
