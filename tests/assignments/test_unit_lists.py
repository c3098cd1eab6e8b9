"""A unit's lists show each piece of work once, with the person who holds it now."""

import pytest
from django.urls import reverse

from qlvb.assignments import selectors, services
from qlvb.assignments.services import Target
from qlvb.monitoring.selectors import units_overview
from qlvb.organization.models import Unit
from tests.factories import register_doc, root_of

pytestmark = pytest.mark.django_db


def test_forwarded_work_is_listed_with_its_holder_and_back_with_the_head_when_returned(demo, client):
    document = register_doc(demo.vanthu)
    qlvt = Unit.objects.get(abbreviation="QLVT")
    head_item = services.forward(actor=demo.giamdoc, assignment=root_of(document),
                                 targets=[Target("main", unit=qlvt)])[0]
    services.forward(actor=demo["tp.qlvt"], assignment=head_item,
                     targets=[Target("info", person=demo["cv.qlvt.trang"])])
    # The head keeps the work while only informing an officer.
    assert [a.receiver.username for a in selectors.unit_items(demo["tp.qlvt"], qlvt)] == ["tp.qlvt"]
    officer_item = services.forward(actor=demo["tp.qlvt"], assignment=head_item,
                                    targets=[Target("main", person=demo["cv.qlvt.long"])])[0]
    assert [a.receiver.username for a in selectors.unit_items(demo["tp.qlvt"], qlvt)] == ["cv.qlvt.long"]
    assert {r["unit"].abbreviation: r["todo"] for r in units_overview(demo.giamdoc)}["QLVT"] == 1

    client.force_login(demo["tp.qlvt"])
    page = client.get(reverse("incoming:inbox"), {"tab": "unit"}).content.decode()
    assert page.count(document.summary[:40]) == 1  # the officer's row, not also the head's
    # The head has acted: the item waits on the officer, under "following up", not "to do" (issue 11.2).
    assert document.summary[:40] in client.get(reverse("incoming:inbox"), {"tab": "following"}).content.decode()
    assert document.summary[:40] not in client.get(reverse("incoming:inbox"), {"tab": "todo"}).content.decode()

    services.return_assignment(actor=demo["cv.qlvt.long"], assignment=officer_item, reason="Không thuộc phần việc")
    assert [a.receiver.username for a in selectors.unit_items(demo["tp.qlvt"], qlvt)] == ["tp.qlvt"]
