"""Inbox lists and the processing tree. Each list is one index range scan on (receiver, box, …)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.utils import timezone

from qlvb import access
from qlvb.incoming.search import matching
from qlvb.workdays.calendar import add_working_days

from .models import OPEN_STATES, Assignment, Event, due_soon_q, governing_deadline, main_below, overdue_q

LIST_RELATED = ["document", "document__document_type", "sender", "receiver", "receiver_unit"]
# Columns a list row shows: loading whole people and documents (passwords, search text) costs more
# than the query itself.
LIST_ONLY = [
    "id", "role", "state", "box", "deadline", "created_at", "to_unit", "document_id", "sender_id", "receiver_id",
    "parent_id", "instruction", "done_at", "result",
    "receiver_unit_id", "document__id", "document__arrival_number", "document__notation", "document__summary",
    "document__issuer_name", "document__urgency", "document__confidentiality", "document__status",
    "document__deadline",
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
    due: str = ""  # "soon": due within one working day, not overdue


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
    if f.due == "soon":
        today = timezone.localdate()
        qs = qs.filter(due_soon_q(today, add_working_days(today, 1)))
    return qs.select_related(*LIST_RELATED).only(*LIST_ONLY).order_by(ORDERINGS.get(ordering, "-created_at"), "-id")


FOLLOWING = "following"  # not a box: to-do items whose main handler below has the work now


def inbox(person, box: str, filters: Filters | None = None, ordering: str = "-created", *, holder=None):
    """A person's list: `todo` (to process: what they hold themselves), `following` (forwarded, a main
    handler below has it now), `info` (for information), `done`; or, with `holder`, the list of someone
    the person acts for under delegation (only what the delegation lets them see)."""
    qs = access.visible_assignments(person).filter(receiver=holder or person)
    if box == FOLLOWING:
        qs = qs.filter(box=Assignment.Box.TODO).following()
    else:
        qs = qs.filter(box=box)
        qs = qs.held() if box == Assignment.Box.TODO else qs
    return _apply(qs, filters, ordering)


def overdue(person, filters: Filters | None = None, today: date | None = None):
    """The person's own overdue work: held by them, late by its own or its document's deadline."""
    today = today or timezone.localdate()
    qs = access.visible_assignments(person).filter(receiver=person, box=Assignment.Box.TODO).held().overdue(today)
    return _apply(qs, filters, "deadline")


def unit_items(person, unit, *, box: str = Assignment.Box.TODO, overdue_only=False, filters=None, today=None,
               ordering="-created"):
    """Everything assigned within a unit that the person may see, once per piece of work; `overdue_only`
    is the chase list."""
    qs = access.visible_assignments(person).filter(receiver_unit=unit, box=box)
    if box == Assignment.Box.TODO:
        qs = qs.held()
    if overdue_only:
        qs = qs.overdue(today or timezone.localdate())
        ordering = "deadline"
    return _apply(qs, filters, ordering)


def counts(person, today: date | None = None) -> dict:
    """The numbers on the home page and the inbox tabs, each the length of the list it names: `todo`,
    `overdue`, `due_soon`, `pending` over what the person holds; `following` what waits on others."""
    from qlvb.core.request_memo import compiled_row

    today = today or timezone.localdate()
    soon = add_working_days(today, 1)

    def build():
        held = Q(box=Assignment.Box.TODO) & ~Q(main_below())
        mine = access.visible_assignments(person).filter(receiver=person)
        return mine.filter(box__in=[Assignment.Box.TODO, Assignment.Box.INFO]).aggregate(
            todo=Count("id", filter=held),
            following=Count("id", filter=Q(box=Assignment.Box.TODO) & Q(main_below())),
            overdue=Count("id", filter=held & overdue_q(today)),
            due_soon=Count("id", filter=held & due_soon_q(today, soon)),
            pending=Count("id", filter=held & Q(state=Assignment.State.PENDING)),
            info=Count("id", filter=Q(box=Assignment.Box.INFO)),
        )

    if not access._active(person):
        return build()
    # Compiling these six filtered counts over the visibility rule cost more than running them: the
    # statement is compiled once per person and shape (everything the rule and the dates depend on).
    return compiled_row(("inbox-counts", *access.rule_shape(person), today, soon), build)


def page(person, build, number, *, which: tuple, filters: Filters, per_page: int = 25):
    """A page of one of the person's lists (`build()` returns it: `inbox`, `overdue` or `unit_items`;
    `which` names it: tab, unit, holder, ordering). Building and compiling a list's statements over the
    visibility rule costs ~10× running them, so its count and rows are compiled once per process under
    a key naming everything the SQL depends on (`request_memo`): the list, the filters, the dates and the
    person's rule shape. A search is left to the ORM (its statement depends on the search index)."""
    from qlvb.core.pagination import page_of
    from qlvb.core.request_memo import compiled_objects, compiled_row

    if filters.q or not access._active(person):
        return page_of(build(), number, searching=bool(filters.q), per_page=per_page)
    today = timezone.localdate()
    key = ("inbox-list", *which, filters, today, add_working_days(today, 1), *access.rule_shape(person))

    class Rows:  # what the paginator slices: the page's rows, the slice being part of the statement
        def __getitem__(self, s):
            return compiled_objects((*key, s.start, s.stop), lambda: build()[s])

    count = compiled_row((*key, "count"), lambda: {"count": build().count()})["count"]
    return page_of(Rows(), number, per_page=per_page, count=count)


def holders_below(viewer, items) -> dict[int, object]:
    """For items being followed up: who holds the work now, down the chain of open main handlers
    (one query for the page, from what the viewer may open)."""
    items = list(items)
    mains = (access.visible_assignments(viewer)
             .filter(document__in={a.document_id for a in items}, role=Assignment.Role.MAIN, state__in=OPEN_STATES)
             .select_related("receiver").only("id", "parent_id", "receiver__id", "receiver__full_name"))
    child = {m.parent_id: m for m in mains}
    found = {}
    for item in items:
        node, seen = child.get(item.pk), set()
        while node is not None and node.pk not in seen and node.pk in child:
            seen.add(node.pk)
            node = child[node.pk]
        if node is not None:
            found[item.pk] = node.receiver
    return found


def left_open(viewer):
    """Items still open on finished documents that the viewer may close (`close_left_open`): a leader's
    the agency's, a head's their unit's; from what the viewer may open, with each holder."""
    from qlvb.organization.models import Role

    qs = access.visible_assignments(viewer).filter(state__in=OPEN_STATES, document__status="done")
    if viewer.has_role(Role.LEADER):
        return qs
    if viewer.has_role(Role.HEAD) and viewer.unit_id:
        return qs.filter(receiver_unit_id=viewer.unit_id)
    return qs.none()


def left_open_rows(viewer, document=None, limit=200) -> list:
    qs = left_open(viewer)
    if document is not None:
        qs = qs.filter(document=document)
    return list(qs.select_related("document", "receiver", "receiver_unit").order_by("document_id", "id")[:limit])


def item_status(item, today: date | None = None) -> str:
    """The row colour of an item by its governing deadline (its own or its document's)."""
    if item.role == Assignment.Role.INFO:
        return ""
    return deadline_status(governing_deadline(item), item.is_open, today)


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
                 "deadline_status": deadline_status(n.deadline, n.state in OPEN_STATES, today)
                 if n.role != Assignment.Role.INFO else ""}
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
