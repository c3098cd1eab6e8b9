"""The REST API registers, lists, forwards, processes and reads the tree through the same services."""

from datetime import date

import pytest

from qlvb.documents.models import DocumentType
from qlvb.incoming.models import IncomingDocument
from tests.factories import incoming_register, pdf_upload

pytestmark = pytest.mark.django_db


def _register(client, demo, person=None, **extra):
    client.force_login(person or demo.vanthu)
    data = {"register_id": incoming_register(demo.vanthu).pk, "issuer_name": "Bộ Giao thông vận tải",
            "notation": "12/BGTVT-KCHT", "issued_on": "2026-11-20",
            "document_type_id": DocumentType.objects.get(name="Công văn").pk,
            "summary": "V/v kiểm tra an toàn cầu yếu", "files": [pdf_upload()], **extra}
    return client.post("/api/incoming/", data)


def test_register_forward_complete_over_the_api(client, demo):
    response = _register(client, demo)
    assert response.status_code == 201, response.content
    document = response.json()
    assert document["arrival_number"] == 1

    client.force_login(demo.giamdoc)
    inbox = client.get("/api/incoming/inbox?box=todo").json()
    root = inbox["items"][0]
    assert root["document_id"] == document["id"]
    response = client.post(f"/api/assignments/{root['id']}/forward", {
        "targets": [{"role": "main", "person_id": demo["pgd.minh"].pk}], "instruction": "Xử lý",
        "deadline": date.today().replace(year=date.today().year + 1).isoformat()},
        content_type="application/json")
    assert response.status_code == 201, response.content
    child = response.json()[0]

    client.force_login(demo["pgd.minh"])
    response = client.post(f"/api/assignments/{child['id']}/complete", {"note": "Đã xử lý xong"},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["state"] == "done"
    tree = client.get(f"/api/incoming/{document['id']}/tree").json()
    assert tree[0]["assignment"]["state"] == "done"
    assert tree[0]["children"][0]["assignment"]["receiver_name"] == "Lê Quang Minh"
    assert client.get(f"/api/incoming/{document['id']}").json()["status"] == "done"


def test_bad_input_gets_a_vietnamese_message_and_changes_nothing(client, demo):
    response = _register(client, demo, files=[pdf_upload()], confidentiality="secret")
    assert response.status_code == 400
    assert "sổ văn bản đến mật" in response.json()["detail"][0]["msg"]
    assert client.get("/api/incoming/").json()["count"] == 0


def test_officer_cannot_register_over_the_api(client, demo):
    # A complete, valid form: only the permission can refuse it.
    response = _register(client, demo, person=demo["cv.qlvt.long"])
    assert response.status_code == 403, response.content
    assert not IncomingDocument.objects.exists()


def test_openapi_schema_is_served(client, demo):
    client.force_login(demo.vanthu)
    schema = client.get("/api/openapi.json").json()
    assert "/api/incoming/" in schema["paths"]
    assert client.get("/api/docs").status_code == 200


def test_api_rate_limit_answers_429(client, demo, settings):
    from django.core.cache import cache

    from qlvb.api import api

    cache.clear()
    throttle = api.throttle[0]
    throttle.num_requests, throttle.duration = 3, 60
    try:
        client.force_login(demo.vanthu)
        codes = [client.get("/api/incoming/").status_code for _ in range(5)]
    finally:
        throttle.num_requests = 600
        cache.clear()
    assert codes[:3] == [200, 200, 200] and codes[-1] == 429
