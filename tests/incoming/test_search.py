"""Quick search: diacritic- and đ-insensitive, every word must match, through the index of each
database (FTS5 trigram on SQLite, pg_trgm on PostgreSQL), kept current when documents change."""

import pytest
from django.urls import reverse

from qlvb.assignments import selectors
from qlvb.assignments.selectors import Filters
from qlvb.incoming.models import IncomingDocument
from qlvb.incoming.search import matching
from tests.factories import register_doc

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(demo):
    return {
        "roads": register_doc(demo.vanthu, notation="12/SGTVT-KCHT",
                              summary="Số 12 về kiểm tra an toàn giao thông đường bộ dịp Tết"),
        "budget": register_doc(demo.vanthu, notation="45/STC-QLNS", summary="V/v dự toán ngân sách năm 2027",
                               issuer="Sở Tài chính"),
    }


def _found(query, qs=None):
    return set(matching(qs if qs is not None else IncomingDocument.objects.all(), query)
               .values_list("notation", flat=True))


def test_words_match_without_accents_in_any_order(documents):
    assert _found("so 12 giao thong") == {"12/SGTVT-KCHT"}
    assert _found("ĐƯỜNG BỘ kiem tra") == {"12/SGTVT-KCHT"}
    assert _found("duong") == {"12/SGTVT-KCHT"}  # đ folds to d
    assert _found("45/stc") == {"45/STC-QLNS"}
    assert _found("so tai chinh") == {"45/STC-QLNS"}  # the issuer is searched too
    assert _found("giao thong ngan sach") == set()  # every word must match
    assert _found("") == {"12/SGTVT-KCHT", "45/STC-QLNS"}


def test_the_index_follows_changes(documents):
    document = documents["budget"]
    document.summary = "V/v điều chỉnh dự toán"
    document.save()
    assert _found("dieu chinh") == {"45/STC-QLNS"} and _found("ngan sach") == set()
    document.delete()
    assert _found("dieu chinh") == set()


def test_inbox_search_and_api(documents, demo, client):
    director = demo.giamdoc
    assert [a.document.notation for a in selectors.inbox(director, "todo", Filters(q="an toan giao"))] \
        == ["12/SGTVT-KCHT"]
    client.force_login(director)
    page = client.get(reverse("incoming:inbox"), {"tab": "todo", "q": "ngan sach"}).content.decode()
    assert "45/STC-QLNS" in page and "12/SGTVT-KCHT" not in page
    client.force_login(demo.vanthu)
    response = client.get("/api/incoming/", {"q": "kiem tra tet"})
    assert [d["notation"] for d in response.json()["items"]] == ["12/SGTVT-KCHT"]
