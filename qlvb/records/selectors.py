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
