"""Every refused input of the API answers 400 with one error per field, naming it, in Vietnamese — or in
English when the request asks for it — and the OpenAPI schema documents that answer."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from qlvb.documents.models import DocumentType
from qlvb.records.models import WorkRecord
from tests.factories import incoming_register

pytestmark = pytest.mark.django_db
JSON = "application/json"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def error(field, loc, kind, msg):
    return {"detail": [{"field": field, "loc": loc, "type": kind, "msg": msg}]}


@pytest.fixture
def english(settings, tmp_path):
    """The English catalogue as the source has it (locale/en/…/django.po), compiled for this test when
    gettext's msgfmt is at hand; otherwise the committed django.mo."""
    if shutil.which("msgfmt"):
        target = tmp_path / "locale" / "en" / "LC_MESSAGES"
        target.mkdir(parents=True)
        source = Path(django_settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
        subprocess.run(["msgfmt", "-o", str(target / "django.mo"), str(source)], check=True)
        settings.LOCALE_PATHS = [tmp_path / "locale"]


@pytest.fixture
def officer(client, demo):
    client.force_login(demo["cv.qlvt.long"])
    return client


def _register_form(demo, **fields):
    return {"register_id": incoming_register(demo.vanthu).pk, "issuer_name": "Bộ Giao thông vận tải",
            "notation": "12/BGTVT-KCHT", "issued_on": "2026-11-20",
            "document_type_id": DocumentType.objects.get(name="Công văn").pk,
            "summary": "V/v kiểm tra an toàn cầu yếu", **fields}


def test_a_missing_field_is_named(officer):
    response = officer.post("/api/records/", {}, content_type=JSON)  # ad hoc: no planned record gives one
    assert response.status_code == 400
    assert response.json() == error("title", ["body", "title"], "required", "“Tên hồ sơ” là bắt buộc.")


def test_a_missing_field_is_named_in_english(officer, english):
    response = officer.post("/api/records/", {}, content_type=JSON, **EN)
    assert response.json() == error("title", ["body", "title"], "required", "“Record title” is required.")


def test_an_empty_field_refused_by_the_service_is_named(client, demo):
    client.force_login(demo.vanthu)
    response = client.post("/api/incoming/", _register_form(demo, summary=""))
    assert response.status_code == 400
    assert response.json() == error("summary", ["form", "summary"], "blank", "“Trích yếu” là bắt buộc.")


def test_an_empty_field_refused_by_the_service_is_named_in_english(client, demo, english):
    client.force_login(demo.vanthu)
    response = client.post("/api/incoming/", _register_form(demo, summary=""), **EN)
    assert response.json() == error("summary", ["form", "summary"], "blank", "“Summary” is required.")


def test_a_text_too_long(client, demo, english):
    client.force_login(demo.vanthu)
    response = client.post("/api/incoming/", _register_form(demo, issuer_name="Bộ " * 100))
    assert response.status_code == 400
    assert response.json() == error("issuer_name", ["form", "issuer_name"], "max_length",
                                    "“Cơ quan ban hành” chỉ được có tối đa 255 ký tự.")
    response = client.post("/api/incoming/", _register_form(demo, issuer_name="Bộ " * 100), **EN)
    assert response.json()["detail"][0]["msg"] == "“Issuing agency” must have at most 255 characters."


def test_a_text_longer_than_its_column_is_refused_naming_it_on_both_databases(officer):
    response = officer.post("/api/records/", {"title": "Hồ sơ " * 100}, content_type=JSON)
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "title"
    assert "dài quá 500 ký tự" in response.json()["detail"][0]["msg"]
    assert not WorkRecord.objects.exists()


def test_a_number_that_is_not_one(officer, english):
    response = officer.get("/api/records/?page=hai")
    assert response.status_code == 400
    assert response.json() == error("page", ["query", "page"], "int_parsing", "“Trang” phải là một số nguyên.")
    assert officer.get("/api/records/?page=hai", **EN).json() == error(
        "page", ["query", "page"], "int_parsing", "“Page” must be a whole number.")


def test_a_date_that_is_not_one(officer, english):
    response = officer.post("/api/records/", {"title": "Hồ sơ", "deadline": "31/12/2026"}, content_type=JSON)
    assert response.status_code == 400
    assert response.json() == error("deadline", ["body", "deadline"], "date_from_datetime_parsing",
                                    "“Hạn” phải là một ngày dạng YYYY-MM-DD.")
    response = officer.post("/api/records/", {"title": "Hồ sơ", "deadline": "31/12/2026"}, content_type=JSON, **EN)
    assert response.json()["detail"][0]["msg"] == "“Deadline” must be a date as YYYY-MM-DD."


def test_a_choice_outside_the_list(officer, english):
    response = officer.post("/api/outgoing/1/corrections", {"kind": "delete"}, content_type=JSON)
    assert response.status_code == 400
    assert response.json() == error("kind", ["body", "kind"], "literal_error",
                                    "“Hình thức điều chỉnh” phải là một trong các giá trị: 'amend', 'replace'.")
    response = officer.post("/api/outgoing/1/corrections", {"kind": "delete"}, content_type=JSON, **EN)
    assert response.json()["detail"][0]["msg"] == "“Kind of correction” must be one of: 'amend', 'replace'."


def test_a_nested_field_is_named_by_its_path(officer):
    response = officer.post("/api/assignments/1/forward", {"targets": [{"role": "boss"}]}, content_type=JSON)
    assert response.status_code == 400
    assert response.json() == error("targets.0.role", ["body", "targets", 0, "role"], "enum",
                                    "“Vai trò” phải là một trong các giá trị: 'main', 'co', 'info'.")


def test_a_body_that_is_not_json(officer, english):
    response = officer.post("/api/records/", "{tên hồ sơ", content_type=JSON)
    assert response.status_code == 400
    assert response.json() == error(None, ["body"], "json_invalid", "“Nội dung yêu cầu” không phải là JSON hợp lệ.")
    response = officer.post("/api/records/", "{tên hồ sơ", content_type=JSON, **EN)
    assert response.json()["detail"][0]["msg"] == "“Request body” is not valid JSON."


def test_a_wrong_type_in_a_list(officer):
    response = officer.post("/api/assignments/1/forward", {"targets": "cv.qlvt.long"}, content_type=JSON)
    assert response.json() == error("targets", ["body", "targets"], "list_type", "“Nơi nhận” phải là một danh sách.")


def test_every_error_of_a_request_is_listed(client, demo):
    client.force_login(demo.vanthu)
    response = client.post("/api/incoming/", {"register_id": "một", "issued_on": "hôm qua"})
    assert [(e["field"], e["type"]) for e in response.json()["detail"]] == [
        ("register_id", "int_parsing"), ("issuer_name", "missing"),  # notation: combined or in two parts, checked after
        ("issued_on", "date_from_datetime_parsing"), ("document_type_id", "missing"), ("summary", "missing")]
    assert response.json()["detail"][0]["msg"] == "“Sổ văn bản đến” phải là một số nguyên."


def test_the_language_cookie_wins_over_the_browser(officer, english):
    officer.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "vi"
    response = officer.post("/api/records/", {}, content_type=JSON, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.json()["detail"][0]["msg"] == "“Tên hồ sơ” là bắt buộc."


def test_other_errors_are_vietnamese_too(client, demo, english):
    assert client.get("/api/records/").json() == {
        "detail": "Chưa đăng nhập, phiên đã hết hạn, hoặc khóa API không hợp lệ."}
    assert client.get("/api/records/", **EN).json() == {
        "detail": "Not signed in, the session has expired, or the API token is not valid."}


def test_the_schema_documents_400_for_every_operation_with_input(officer):
    schema = officer.get("/api/openapi.json").json()
    errors = schema["components"]["schemas"]["ValidationErrors"]
    assert errors["properties"]["detail"]["items"] == {"$ref": "#/components/schemas/FieldError"}
    assert set(schema["components"]["schemas"]["FieldError"]["properties"]) == {"field", "loc", "type", "msg"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "422" not in responses, (method, path)
            if operation.get("parameters") or operation.get("requestBody"):
                assert responses["400"]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ValidationErrors"}, (method, path)
            assert {"401", "403", "429"} <= set(responses), (method, path)


def test_a_form_that_cannot_be_read(client, demo):
    client.force_login(demo.vanthu)
    response = client.post("/api/incoming/", b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 400
    assert response.json() == error(None, ["form"], "multipart_invalid",
                                    "“Nội dung yêu cầu” không phải là dữ liệu multipart/form-data hợp lệ.")


def test_a_date_no_calculation_can_use(client, demo, english):
    client.force_login(demo.giamdoc)
    response = client.get("/api/reports/summary?start=0001-01-01&end=0001-01-01")
    assert response.status_code == 400
    assert response.json()["detail"] == [
        {"field": "start", "loc": ["query", "start"], "type": "date_out_of_range",
         "msg": "“Từ ngày” phải nằm trong khoảng từ 1900-01-01 đến 9998-12-31."},
        {"field": "end", "loc": ["query", "end"], "type": "date_out_of_range",
         "msg": "“Đến ngày” phải nằm trong khoảng từ 1900-01-01 đến 9998-12-31."}]
    client.force_login(demo["cv.qlvt.long"])
    response = client.post("/api/records/", {"title": "Hồ sơ", "deadline": "9999-12-31"},
                           content_type=JSON, **EN)
    assert response.json() == error("deadline", ["body", "deadline"], "date_out_of_range",
                                    "“Deadline” must be between 1900-01-01 and 9998-12-31.")
