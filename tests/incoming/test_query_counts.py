"""List pages run a fixed number of queries, whatever the number of rows (no N+1), and show those rows."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from qlvb.assignments import services as flow
from qlvb.assignments.models import Assignment
from qlvb.assignments.services import Target
from tests.factories import register_doc, root_of

pytestmark = pytest.mark.django_db


def shown(page: str) -> set[int]:
    """The documents a list page shows, by the number in their notation (n/UBND)."""
    return {int(n) for n in re.findall(r"\b(\d+)/UBND\b", page)}


@pytest.fixture
def many(demo):
    """30 documents at the head of QLVT (the Deputy Director co-handles): 0-9 overdue, 20-29 done."""
    for i in range(30):
        document = register_doc(demo.vanthu, notation=f"{i}/UBND", files=[])
        head = flow.forward(actor=demo.giamdoc, assignment=root_of(document),
                            targets=[Target("main", person=demo["tp.qlvt"]), Target("co", person=demo["pgd.mai"])])[0]
        if i < 10:
            Assignment.objects.filter(pk=head.pk).update(deadline=timezone.localdate() - timedelta(days=3))
        if i >= 20:
            flow.complete(actor=demo["tp.qlvt"], assignment=head, result="Đã xử lý")


@pytest.mark.parametrize(("url", "rows"), [
    ("/incoming/?tab=todo", range(20)),
    ("/incoming/?tab=unit", range(20)),
    ("/incoming/?tab=unit_overdue", range(10)),
    ("/incoming/?tab=todo&q=trien+khai", range(20)),
    ("/incoming/?tab=done", range(20, 30)),
])
def test_inbox_pages_have_a_bounded_query_count(client, demo, many, url, rows, django_assert_max_num_queries):
    client.force_login(demo["tp.qlvt"])
    client.get(url)
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200
    assert shown(response.content.decode()) == set(rows)


def test_register_book_query_count(client, demo, many, django_assert_max_num_queries):
    client.force_login(demo.vanthu)
    client.get(reverse("incoming:register_book"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("incoming:register_book"))
    assert response.status_code == 200
    assert len(shown(response.content.decode())) == 25  # a full first page of the 30


def test_document_page_query_count_does_not_grow_with_the_tree(client, demo, django_assert_max_num_queries):
    document = register_doc(demo.vanthu)
    root = root_of(document)
    receivers = [demo["pgd.mai"], demo["pgd.minh"], demo["pgd.dung"], demo["tp.qlvt"]]
    flow.forward(actor=demo.giamdoc, assignment=root,
                 targets=[Target("info", person=p) for p in receivers[:3]] + [Target("main", person=receivers[3])])
    client.force_login(demo.vanthu)
    client.get(reverse("incoming:detail", args=[document.pk]))
    # + the replies the viewer may open (their delegations, the list); + whether they may withdraw it (2);
    # + the access history (F-5.a): the coalescing probe, the counts, the reader rule (the visible set and
    # delegations again), the entries; + the stored signature checks of the files (one query)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("incoming:detail", args=[document.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert document.summary in page
    assert all(p.full_name in page for p in receivers)


def test_registration_and_first_forward_have_a_statement_budget(demo):
    """The clerk's registration with its scan and the Director's first forward are the busiest writes of the
    day (issue 16 item 9: their statements are most of their time on PostgreSQL). Their counts are pinned:
    raise a pin only on purpose. PostgreSQL writes each audit entry with the chain's head (read, hashed onto
    and moved in the entry's statement), each notification with its recipient's e-mail preference, the
    arrival number with the register's counter, and a forward's item with its document's status, in one
    statement each; SQLite in two (and reads the chain's head once more)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qlvb.audit.services import verify_chain

    two = 0 if connection.vendor == "postgresql" else 1  # SQLite: per audit entry and per notification
    register_doc(demo.vanthu)  # warm-up: the first time reads what stays cached (registers, catalogues)
    # (the factory reads the register and the document type: 5 of the registration's statements)
    with CaptureQueriesContext(connection) as registering:
        document = register_doc(demo.vanthu)
    root = root_of(document)
    with CaptureQueriesContext(connection) as forwarding:
        flow.forward(actor=demo.giamdoc, assignment=root, targets=[Target("main", person=demo["pgd.minh"])])
    assert len(registering) <= 19 + 4 * two, "\n".join(q["sql"][:120] for q in registering.captured_queries)
    assert len(forwarding) <= 10 + 4 * two, "\n".join(q["sql"][:120] for q in forwarding.captured_queries)
    assert root_of(document).children.get().receiver == demo["pgd.minh"]
    assert verify_chain() == []
