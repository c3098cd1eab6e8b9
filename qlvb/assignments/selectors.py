"""Inbox lists and the processing tree. Each list is one index range scan on (receiver, box, …)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from qlvb import access
from qlvb.incoming.search import matching
from qlvb.workdays.calendar import add_working_days

from .models import OPEN_STATES, Assignment, Event

LIST_RELATED = ["document", "document__document_type", "sender", "receiver", "receiver_unit"]
# Columns a list row shows: loading whole people and documents (passwords, search text) costs more
# than the query itself.
LIST_ONLY = [
    "id", "role", "state", "box", "deadline", "created_at", "to_unit", "document_id", "sender_id", "receiver_id",
    "parent_id", "instruction", "done_at", "result",
    "receiver_unit_id", "document__id", "document__arrival_number", "document__notation", "document__summary",
    "document__issuer_name", "document__urgency", "document__confidentiality", "document__status",
    "document__document_type__id",
    "document__document_type__name", "sender__id", "sender__full_name", "receiver__id", "receiver__full_name",
    "receiver_unit__id", "receiver_unit__name",
]


@dataclass(frozen=True)
class Filters:
    """Filters shared by every list page and the API."""

    q: str = ""
    urgency: str = ""
    state: str = ""
    document_type: int | None = None
    issuer: str = ""
    date_from: date | None = None
    date_to: date | None = None
    handler: int | None = None


ORDERINGS = {
    "-created": "-created_at",
    "created": "created_at",
    "deadline": "deadline",
    "-deadline": "-deadline",
}


def _apply(qs, filters: Filters | None, ordering: str):
    f = filters or Filters()
    qs = matching(qs, f.q, document="document")
    if f.urgency:
        qs = qs.filter(document__urgency=f.urgency)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.document_type:
        qs = qs.filter(document__document_type_id=f.document_type)
    if f.issuer:
        qs = qs.filter(document__issuer_name__icontains=f.issuer)
    if f.date_from:
        qs = qs.filter(created_at__date__gte=f.date_from)
    if f.date_to:
        qs = qs.filter(created_at__date__lte=f.date_to)
    if f.handler:
        qs = qs.filter(receiver_id=f.handler)
    return qs.select_related(*LIST_RELATED).only(*LIST_ONLY).order_by(ORDERINGS.get(ordering, "-created_at"), "-id")


def inbox(person, box: str, filters: Filters | None = None, ordering: str = "-created", *, holder=None):
    """A person's list: `todo` (to process), `info` (for information), `done`; or, with `holder`, the
    list of someone the person acts for under delegation (only what the delegation lets them see)."""
    qs = access.visible_assignments(person).filter(receiver=holder or person, box=box)
    return _apply(qs, filters, ordering)


def overdue(person, filters: Filters | None = None, today: date | None = None):
    today = today or timezone.localdate()
    qs = access.visible_assignments(person).filter(receiver=person, box=Assignment.Box.TODO, deadline__lt=today)
    return _apply(qs, filters, "deadline")


def unit_items(person, unit, *, box: str = Assignment.Box.TODO, overdue_only=False, filters=None, today=None,
               ordering="-created"):
    """Everything assigned within a unit that the person may see, once per piece of work; `overdue_only`
    is the chase list."""
    qs = access.visible_assignments(person).filter(receiver_unit=unit, box=box)
    if box == Assignment.Box.TODO:
        qs = qs.held()
    if overdue_only:
        qs = qs.filter(deadline__lt=today or timezone.localdate())
        ordering = "deadline"
    return _apply(qs, filters, ordering)


def counts(person, today: date | None = None) -> dict:
    """The numbers on the home page and the inbox tabs."""
    today = today or timezone.localdate()
    todo = Q(box=Assignment.Box.TODO)
    mine = access.visible_assignments(person).filter(receiver=person)
    return mine.filter(box__in=[Assignment.Box.TODO, Assignment.Box.INFO]).aggregate(
        todo=Count("id", filter=todo),
        overdue=Count("id", filter=todo & Q(deadline__lt=today)),
        due_soon=Count("id", filter=todo & Q(deadline__gte=today, deadline__lte=add_working_days(today, 1))),
        pending=Count("id", filter=todo & Q(state=Assignment.State.PENDING)),
        info=Count("id", filter=Q(box=Assignment.Box.INFO)),
    )


def deadline_status(deadline: date | None, is_open: bool, today: date | None = None) -> str:
    """'overdue', 'due_soon' (within one working day) or '' for the colour of a row."""
    if not deadline or not is_open:
        return ""
    today = today or timezone.localdate()
    if deadline < today:
        return "overdue"
    if deadline <= add_working_days(today, 1):
        return "due_soon"
    return ""


def tree(document) -> list[dict]:
    """The processing tree, nested, with each node's history; two queries whatever its size."""
    nodes = list(document.assignments.select_related("sender", "receiver", "receiver_unit", "on_behalf_of")
                 .order_by("created_at", "id"))
    events = Event.objects.filter(assignment__document=document).select_related("actor", "on_behalf_of")
    by_node: dict[int, list] = {}
    for event in events:
        by_node.setdefault(event.assignment_id, []).append(event)
    children: dict[int | None, list] = {}
    for node in nodes:
        children.setdefault(node.parent_id, []).append(node)
    today = timezone.localdate()

    def build(parent_id):
        return [{"node": n, "events": by_node.get(n.pk, []), "children": build(n.pk),
                 "deadline_status": deadline_status(n.deadline, n.state in OPEN_STATES, today)}
                for n in children.get(parent_id, [])]

    return build(None)


def holding(person, document):
    """Open items on this document the person can act on (their own, or a delegator's), newest first."""
    items = document.assignments.filter(state__in=OPEN_STATES).select_related("sender", "receiver", "document")
    return [a for a in items.order_by("-created_at")
            if a.receiver_id == person.pk or access.acts_for(person, a.receiver, document.field_id)]


def sent_by(person, document):
    """Items the person sent on this document that they can still recall."""
    return list(document.assignments.filter(sender=person, state__in=["new", "seen"])
                .select_related("receiver", "receiver_unit"))


def forward_candidates(person) -> dict:
    """Who the person may forward to: leaders pick deputies, units and people; heads their own staff."""
    from qlvb.organization.models import Person, Role, Unit

    active = Person.objects.filter(is_active=True).exclude(pk=person.pk).select_related("position", "unit")
    if person.has_role(Role.LEADER):
        leaders = active.filter(position__role=Role.LEADER).order_by("position__rank", "full_name")
        units = Unit.objects.filter(is_active=True).exclude(kind=Unit.Kind.LEADERSHIP).order_by("order")
        heads = active.filter(position__role=Role.HEAD).order_by("unit__order", "position__rank")
        return {"leaders": list(leaders), "units": list(units), "people": list(heads)}
    staff = active.filter(unit_id=person.unit_id).exclude(position__role=Role.CLERK)
    return {"leaders": [], "units": [], "people": list(staff.order_by("position__rank", "full_name"))}
