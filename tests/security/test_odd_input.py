"""Text no database keeps (NUL; lone UTF-16 surrogates): never a server error, on SQLite and PostgreSQL.

Search input and other query parameters are only looked up, so the character is dropped (one place:
`qlvb.core.text.clean`, under every search); text to be stored is refused, naming its field."""

import pytest
from django.urls import reverse

from qlvb.incoming.models import IncomingDocument
from qlvb.incoming.search import matching
from qlvb.records.models import WorkRecord
from tests.factories import register_doc

pytestmark = pytest.mark.django_db
NUL = "\x00"


@pytest.fixture
def document(demo):
    return register_doc(demo.vanthu, summary="V/v triển khai kế hoạch bảo trì đường bộ năm 2026",
                        send_to=demo.giamdoc)


def test_search_ignores_a_nul_character(document):
    for query in (f"bảo trì{NUL}", f"đường{NUL}bộ", f"bảo{NUL}", f"a{NUL}b", NUL):
        list(matching(IncomingDocument.objects.all(), query))  # no database error on either database
    assert list(matching(IncomingDocument.objects.all(), f"bảo trì{NUL}")) == [document]
    assert list(matching(IncomingDocument.objects.all(), f"kế hoạch {NUL}bảo")) == [document]


def test_the_inbox_page_searches_with_a_nul_character(client, demo, document):
    client.force_login(demo.giamdoc)
    response = client.get(reverse("incoming:inbox"), {"q": f"bảo trì{NUL}"})
    assert response.status_code == 200
    assert "kế hoạch bảo trì đường bộ" in response.content.decode()
    assert client.get(reverse("incoming:inbox"), {"q": f"a{NUL}b"}).status_code == 200


@pytest.mark.parametrize("name", ["q", "issuer", "urgency", "state", "sort", "tab", "handler", "date_from", "page"])
def test_every_page_filter_takes_a_nul_character(client, demo, document, name):
    """Filters other than the search box reach the database too (PostgreSQL refuses NUL in text)."""
    pages = {"giamdoc": [reverse("incoming:inbox"), "/outgoing/", "/records/", "/monitoring/", "/reports/"],
             "vanthu": [reverse("incoming:register_book")]}
    for username, urls in pages.items():
        client.force_login(demo[username])
        for url in urls:
            assert client.get(url, {name: f"bảo{NUL}"}).status_code == 200, url


def test_the_api_lists_search_with_a_nul_character(client, demo, document):
    client.force_login(demo.giamdoc)
    found = client.get("/api/incoming/", {"q": f"bảo trì{NUL}", "status": f"{NUL}"})
    assert found.status_code == 200
    assert [d["id"] for d in found.json()["items"]] == [document.pk]
    assert client.get("/api/incoming/?q=a%00b").json() == {"items": [], "count": 0}
    inbox = client.get("/api/incoming/inbox", {"q": f"bảo trì{NUL}"})
    assert [a["document_id"] for a in inbox.json()["items"]] == [document.pk]
    client.force_login(demo["cv.qlvt.long"])
    assert client.get("/api/records/", {"q": f"bảo{NUL}trì"}).status_code == 200
    assert client.get("/api/outgoing/", {"q": f"bảo{NUL}trì"}).status_code == 200


def test_text_to_store_with_a_nul_character_is_refused(client, demo):
    client.force_login(demo["cv.qlvt.long"])
    response = client.post("/api/records/", {"title": f"Hồ sơ{NUL}bảo trì"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"detail": [{
        "field": "title", "loc": ["body", "title"], "type": "unstorable_character",
        "msg": "“Tên hồ sơ” chứa ký tự không được phép (ký tự NUL hoặc mã UTF-16 lẻ)."}]}
    assert not WorkRecord.objects.exists()


def test_a_lone_surrogate_is_refused(client, demo):
    client.force_login(demo.giamdoc)
    response = client.post("/api/assignments/1/forward", '{"targets": [], "instruction": "\\ud800"}',
                           content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "instruction"


def test_a_form_field_with_a_nul_character_is_refused(client, demo):
    client.force_login(demo.vanthu)
    response = client.post("/api/incoming/", {"issuer_name": f"Bộ Giao thông{NUL}vận tải"})
    assert response.status_code == 400
    assert response.json()["detail"] == [{
        "field": "issuer_name", "loc": ["form", "issuer_name"], "type": "unstorable_character",
        "msg": "“Cơ quan ban hành” chứa ký tự không được phép (ký tự NUL hoặc mã UTF-16 lẻ)."}]
    assert not IncomingDocument.objects.exists()
