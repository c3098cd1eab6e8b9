"""Search results are counted up to a cap: the pager reads "n/N+" beyond it."""

import pytest

from qlvb.core.pagination import SearchPaginator
from qlvb.incoming.models import IncomingDocument
from tests.factories import register_doc

pytestmark = pytest.mark.django_db


def test_count_stops_at_the_cap(demo, django_assert_num_queries):
    for i in range(5):
        register_doc(demo.vanthu, notation=f"{i}/KH", files=[])
    paginator = SearchPaginator(IncomingDocument.objects.order_by("id"), 2, cap=3)
    with django_assert_num_queries(1):
        assert (paginator.count, paginator.capped, paginator.num_pages) == (4, True, 2)
    assert [d.notation for d in paginator.page(2)] == ["2/KH", "3/KH"]
    assert SearchPaginator(IncomingDocument.objects.order_by("id"), 2, cap=10).capped is False


def test_inbox_search_pager_shows_more(demo, client, monkeypatch):
    from qlvb.core import pagination

    for i in range(4):
        register_doc(demo.vanthu, notation=f"{i}/KH", files=[])
    monkeypatch.setattr("qlvb.incoming.views.PAGE_SIZE", 1)
    original = pagination.SearchPaginator.__init__

    def small_cap(self, object_list, per_page, **kwargs):
        original(self, object_list, per_page, cap=2)

    monkeypatch.setattr(pagination.SearchPaginator, "__init__", small_cap)
    client.force_login(demo.giamdoc)
    page = client.get("/incoming/", {"tab": "todo", "q": "trien khai"}).content.decode()
    assert "Trang 1/3+" in page
    assert "Trang 1/4<" in client.get("/incoming/", {"tab": "todo"}).content.decode()
