"""List pages run a fixed number of queries, whatever the number of rows (no N+1)."""

import pytest
from django.urls import reverse

from qlvb.assignments import services as flow
from qlvb.assignments.services import Target
from tests.factories import register_doc, root_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(demo):
    for i in range(30):
        document = register_doc(demo.vanthu, notation=f"{i}/UBND", files=[])
        flow.forward(actor=demo.giamdoc, assignment=root_of(document),
                     targets=[Target("main", person=demo["tp.qlvt"]), Target("co", person=demo["pgd.mai"])])


@pytest.mark.parametrize("url", ["/incoming/?tab=todo", "/incoming/?tab=unit", "/incoming/?tab=unit_overdue",
                                 "/incoming/?tab=todo&q=trien+khai", "/incoming/?tab=done"])
def test_inbox_pages_have_a_bounded_query_count(client, demo, many, url, django_assert_max_num_queries):
    client.force_login(demo["tp.qlvt"])
    client.get(url)
    with django_assert_max_num_queries(16):
        response = client.get(url)
    assert response.status_code == 200


def test_register_book_query_count(client, demo, many, django_assert_max_num_queries):
    client.force_login(demo.vanthu)
    client.get(reverse("incoming:register_book"))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("incoming:register_book")).status_code == 200


def test_document_page_query_count_does_not_grow_with_the_tree(client, demo, django_assert_max_num_queries):
    document = register_doc(demo.vanthu)
    root = root_of(document)
    flow.forward(actor=demo.giamdoc, assignment=root, targets=[Target("info", person=p) for p in
                 (demo["pgd.mai"], demo["pgd.minh"], demo["pgd.dung"])] + [Target("main", person=demo["tp.qlvt"])])
    client.force_login(demo.vanthu)
    client.get(reverse("incoming:detail", args=[document.pk]))
    with django_assert_max_num_queries(22):  # + the replies the viewer may open (their delegations, the list)
        client.get(reverse("incoming:detail", args=[document.pk]))
