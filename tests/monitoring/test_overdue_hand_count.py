"""Issue 11, "Done when": the head's and the Director's overdue counts on the follow-up page agree with a
hand count over the demo agency, after a Deputy Director re-forwards an overdue document with a later
deadline of her own.

The hand count walks every processing item in Python, one by one, the way a person would tick them off
on paper: a piece of work is counted where it sits now (nobody below holds it as main handler), late by
its own deadline or by its document's while the document is not done, and only if the viewer may open
the document. The pages count in SQL; both must give the same numbers."""

import io
from datetime import timedelta

import lxml.html
import pytest
from django.core.management import call_command
from django.utils import timezone

from qlvb import access
from qlvb.access import Action
from qlvb.assignments import services as flow
from qlvb.assignments.models import OPEN_STATES, Assignment
from qlvb.assignments.services import Target
from qlvb.organization.models import Person, Unit
from tests.conftest import login
from tests.factories import register_doc, root_of

pytestmark = pytest.mark.django_db


def late(item, today) -> bool:
    document = item.document
    own = item.deadline is not None and item.deadline < today
    by_document = document.deadline is not None and document.deadline < today and document.status != "done"
    return own or by_document


def hand_count(viewer, today) -> dict[int, int]:
    """Overdue pieces of work per unit, counted one item at a time."""
    held_below = {a.parent_id for a in Assignment.objects.filter(role=Assignment.Role.MAIN, state__in=OPEN_STATES)}
    per_unit: dict[int, int] = {}
    for item in Assignment.objects.select_related("document").order_by("pk"):
        if item.box != Assignment.Box.TODO or item.pk in held_below or not late(item, today):
            continue
        if access.can(viewer, Action.VIEW, item.document):
            per_unit[item.receiver_unit_id] = per_unit.get(item.receiver_unit_id, 0) + 1
    return per_unit


def page_counts(client, viewer, query="") -> tuple[dict[str, int], int]:
    """The "Quá hạn" column of the follow-up page's table (by unit or by person) and its overdue list."""
    login(client, viewer)
    page = lxml.html.fromstring(client.get(f"/monitoring/{query}").content)
    rows = {row.get("data-unit") or row.get("data-person"): int(row.find_class("qlvb-overdue")[0].text_content())
            for row in page.xpath("//tr[@data-unit or @data-person]")}
    listed = len(page.xpath('//table[@data-testid="overdue"]/tbody/tr'))
    return rows, listed


def test_overdue_counts_of_the_head_and_the_director_agree_with_a_hand_count(client):
    call_command("seed_demo", stdout=io.StringIO())
    today = timezone.localdate()
    director, deputy = Person.objects.get(username="giamdoc"), Person.objects.get(username="pgd.mai")
    head = Person.objects.get(username="tp.qlvt")
    qlvt = Unit.objects.get(abbreviation="QLVT")

    # The walk: a document registered late goes Director → Deputy → the unit, the Deputy giving the unit a
    # later deadline of her own, and the head re-forwards it to an officer with a later one still.
    document = register_doc(Person.objects.get(username="vanthu"), deadline=today - timedelta(days=2),
                            arrived_at=timezone.now() - timedelta(days=7))
    at_deputy = flow.forward(actor=director, assignment=root_of(document), targets=[Target("main", person=deputy)])[0]
    at_unit = flow.forward(actor=deputy, assignment=at_deputy, deadline=today + timedelta(days=10),
                           targets=[Target("main", unit=qlvt)])[0]
    flow.forward(actor=head, assignment=at_unit, deadline=today + timedelta(days=12),
                 targets=[Target("main", person=Person.objects.get(username="cv.qlvt.long"))])

    expected = hand_count(director, today)
    assert sum(expected.values()) >= 2  # the demo has overdue work in more than one place
    rows, listed = page_counts(client, director)
    assert {int(unit): n for unit, n in rows.items() if n} == expected
    assert listed == sum(expected.values()) - sum(  # the list leaves out what the Director holds himself
        1 for a in Assignment.objects.filter(receiver=director, box=Assignment.Box.TODO) if late(a, today)
        and not Assignment.objects.filter(parent=a, role=Assignment.Role.MAIN, state__in=OPEN_STATES).exists())

    head_expected = hand_count(head, today).get(qlvt.pk, 0)
    assert head_expected >= 3  # the demo's two late documents and the re-forwarded one, at the officer
    rows, _listed = page_counts(client, head)
    assert sum(rows.values()) == head_expected
