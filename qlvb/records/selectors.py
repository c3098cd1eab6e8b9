"""Read queries for records and drafts."""

import difflib

from qlvb import access
from qlvb.core.text import containing, terms

from .models import Draft, OpinionRequest, WorkRecord


def my_records(person, *, status: str = "open", q: str = ""):
    """The records the person may see, newest first: open ones, closed ones or all; folded search on the title."""
    qs = access.visible_records(person).select_related("owner", "unit").order_by("-created_at")
    if status in WorkRecord.Status.values:
        qs = qs.filter(status=status)
    return containing(qs, terms(q))


def submit_receiver(actor, draft):
    """Whom "Trình" sends the draft to: the head of the record's unit, or the signer straight when the
    actor is a head, the unit has none, or its head signs. Read by the button and by `services.submit`."""
    from qlvb.organization.models import Role
    from qlvb.organization.selectors import unit_heads

    head = unit_heads(draft.record.unit).exclude(pk=actor.pk).first()
    if actor.has_role(Role.HEAD) or head is None or head.pk == draft.signer_id:
        return draft.signer
    return head


def reply_recipients(person, record) -> dict:
    """A new draft's recipients prefilled from the incoming documents its record answers (those the
    person may see): their issuing agencies, known by link or by name."""
    from django.db.models import Q

    from qlvb.documents.models import ExternalAgency

    incoming = access.visible_incoming(person).filter(pk__in=record.incoming.values("pk"))
    issuers = list(incoming.values_list("issuer_id", "issuer_name"))
    ids = [i for i, _name in issuers if i]
    names = [name for i, name in issuers if not i and name]
    if not issuers:
        return {}
    agencies = ExternalAgency.objects.filter(Q(pk__in=ids) | Q(name__in=names), is_active=True)
    return {"recipient_agencies": list(agencies.values_list("pk", flat=True))}


def opinion_candidates(person, record):
    """Whom the draft's author may ask for an opinion: people who handle documents (never a reporting or
    administration-only account), the record's unit first, then the agency in unit order."""
    from django.db.models import Case, IntegerField, Q, Value, When

    from qlvb.access import ROLE_ACTIONS, Action
    from qlvb.organization.models import Person

    roles = ROLE_ACTIONS[Action.HANDLE_DOCUMENTS]
    ids = Person.objects.filter(Q(position__role__in=roles) | Q(role_grants__role__in=roles), is_active=True
                                ).exclude(pk=person.pk).values("pk")
    own_unit = Case(When(unit_id=record.unit_id, then=Value(0)), default=Value(1), output_field=IntegerField())
    return Person.objects.filter(pk__in=ids).order_by(own_unit, "unit__order", "position__rank", "full_name")


def waiting_for(person, *, field=None, unit=None):
    """Drafts in front of the person (or someone they act for) for approval or signature."""
    people = [person, *[d.delegator for d in access.delegations_held(person)]]
    qs = access.visible_drafts(person).filter(holder__in=people,
                                              state__in=[Draft.State.AT_HEAD, Draft.State.AT_LEADER])
    if field:
        qs = qs.filter(record__field=field)
    if unit:
        qs = qs.filter(record__unit=unit)
    return qs.select_related("record", "record__owner", "record__unit", "document_type", "signer").order_by("id")


def opinions_for(person):
    return OpinionRequest.objects.filter(person=person, answered_at__isnull=True,
                                         draft__in=access.visible_drafts(person)).select_related(
        "draft", "draft__record", "asked_by")


def to_issue(person):
    """Signed drafts waiting for the clerk (confidential ones only for the confidential register's keepers)."""
    return list(access.visible_drafts(person).filter(state=Draft.State.APPROVED).select_related(
        "record", "record__unit", "signer", "document_type").order_by("id"))


def drafts_of(person, record):
    """The drafts of a record the person may see (`access.visible_drafts`)."""
    return access.visible_drafts(person).filter(record=record).select_related("document_type", "holder")


def linked_incoming(person, record):
    """The incoming documents the record handles, as far as the person may open them."""
    return access.visible_incoming(person).filter(records=record).order_by("arrival_number")


def timeline(person, record) -> list[tuple]:
    """Everything in the record the person may see, in time order: (time, kind, object)."""
    items = [(n.created_at, "note", n) for n in record.record_notes.select_related("author")]
    for draft in drafts_of(person, record).prefetch_related("versions__author", "steps__actor", "opinions__person"):
        items += [(v.created_at, "version", v) for v in draft.versions.all()]
        items += [(s.at, "step", s) for s in draft.steps.all()]
        items += [(o.answered_at, "opinion", o) for o in draft.opinions.all() if o.answered_at]
    return sorted(items, key=lambda item: item[0])


def diff(old: str, new: str) -> list[tuple[str, str]]:
    """Line diff of two versions' text as (kind, line), kind in '+', '-', ' '."""
    rows = []
    for line in difflib.ndiff((old or "").splitlines(), (new or "").splitlines()):
        if line.startswith("? "):
            continue
        rows.append((line[0], line[2:]))
    return rows


def index_of(person, record):
    """The record's index rows (`records.index`) the person may open: incoming and issued documents from
    their visible sets, drafts of record of the drafts they may see; and how many rows are hidden."""
    from django.db.models import Q

    from . import index
    from .models import RecordDocument

    entries = record.documents.all()
    visible = entries.filter(Q(kind=RecordDocument.Kind.FILE)
                             | Q(incoming__in=access.visible_incoming(person).values("pk"))
                             | Q(outgoing__in=access.visible_outgoing(person).values("pk"))
                             | Q(version__draft__in=access.visible_drafts(person).values("pk")))
    rows = index.rows(visible)
    return rows, entries.count() - len(rows)


def filing_candidates(person, record, limit: int = 50):
    """Documents the person may file in the record: incoming ones on their processing tree and issued
    ones they may open, newest first, not filed there yet."""
    filed_in = set(record.documents.values_list("incoming_id", flat=True))
    filed_out = set(record.documents.values_list("outgoing_id", flat=True))
    incoming = (access.visible_incoming(person).filter(assignments__receiver=person).exclude(pk__in=filed_in - {None})
                .distinct().order_by("-arrived_at")[:limit])
    outgoing = access.visible_outgoing(person).exclude(pk__in=filed_out - {None}).order_by("-issued_on", "-id")[:limit]
    return list(incoming), list(outgoing)
