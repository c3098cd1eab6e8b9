"""The clerk's pages and the API of the exchange by files."""

import pytest

from qlvb.audit.models import AccessLog, AuditEntry
from qlvb.exchange.models import Package
from qlvb.incoming.models import IncomingDocument
from tests.exchange import samples
from tests.exchange.helpers import issued_with_external, sample_upload, upload

pytestmark = pytest.mark.django_db


def test_clerk_imports_sees_metadata_and_registers_in_one_click(client, demo):
    client.force_login(demo.vanthu)
    assert "Văn bản điện tử đến" in client.get("/").content.decode()  # in the clerk's menu
    response = client.post("/exchange/inbox/import/", {"file": sample_upload()})
    package = Package.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exchange/inbox/{package.pk}/"
    page = client.get(response["Location"]).content.decode()
    for text in ("7816/VPCP-TTĐT", "Văn phòng Chính phủ", "V/v triển khai Cổng thông tin điện tử",
                 "Nguyễn Văn A", "7816-VPCP.pdf", "Chờ tiếp nhận", "01 Đã đến"):
        assert text in page, text
    assert "V/v triển khai Cổng thông tin điện tử" in client.get("/exchange/inbox/").content.decode()
    response = client.post(f"/exchange/inbox/{package.pk}/register/", {})
    document = IncomingDocument.objects.get(document_identifier=package.document_id)
    assert response["Location"] == f"/incoming/{document.pk}/"
    client.post(f"/exchange/inbox/{package.pk}/register/", {})
    client.post("/exchange/inbox/import/", {"file": sample_upload()})
    assert IncomingDocument.objects.filter(document_identifier=package.document_id).count() == 1


def test_hostile_file_refused_on_the_page_naming_the_file(client, demo):
    client.force_login(demo.vanthu)
    response = client.post("/exchange/inbox/import/", {"file": upload(samples.XXE, "doc.edxml")}, follow=True)
    assert "Không nhận tệp “doc.edxml”" in response.content.decode() and "XXE" in response.content.decode()
    assert not Package.objects.exists()


def test_refusal_on_the_page_offers_the_status_02_file(client, demo):
    client.force_login(demo.vanthu)
    client.post("/exchange/inbox/import/", {"file": sample_upload()})
    package = Package.objects.get()
    page = client.post(f"/exchange/inbox/{package.pk}/refuse/", {"reason": ""}, follow=True).content.decode()
    assert "Lý do từ chối: nhập lý do" in page
    page = client.post(f"/exchange/inbox/{package.pk}/refuse/", {"reason": "Gửi nhầm"}, follow=True).content.decode()
    assert "02 Từ chối tiếp nhận" in page and "Gửi nhầm" in page
    status = package.statuses.get(code="02")
    response = client.get(f"/exchange/statuses/{status.pk}/file/")
    assert response.status_code == 200 and b"<edXML:StatusCode>02</edXML:StatusCode>" in b"".join(response)


def test_officer_gets_403_and_404(client, demo):
    client.force_login(demo.vanthu)
    client.post("/exchange/inbox/import/", {"file": sample_upload()})
    package = Package.objects.get()
    client.force_login(demo["cv.qlvt.long"])
    assert client.get("/exchange/inbox/").status_code == 403
    assert client.get(f"/exchange/inbox/{package.pk}/").status_code == 404
    assert client.get(f"/exchange/packages/{package.pk}/file/").status_code == 404
    assert client.get("/api/exchange/inbox").status_code == 403


def test_export_downloads_the_package_audited(client, demo):
    document, recipient = issued_with_external(demo)
    client.force_login(demo.vanthu)
    page = client.get(f"/exchange/outgoing/{document.pk}/").content.decode()
    assert "UBND tỉnh Bắc Kạn" in page and "Xuất gói tin edXML" in page
    response = client.post(f"/exchange/recipients/{recipient.pk}/export/")
    package = Package.objects.get(direction="out")
    assert response["Location"] == f"/exchange/packages/{package.pk}/file/"
    download = client.get(response["Location"])
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert document.summary.encode() in b"".join(download)
    assert AuditEntry.objects.filter(action="exchange.export").exists()
    assert AccessLog.objects.filter(action="download", file_name=package.file_name).exists()
    recipient.refresh_from_db()
    assert recipient.status == "sent"
    assert "Đã gửi điện tử" in client.get(f"/exchange/outgoing/{document.pk}/").content.decode()


def test_api_import_twice_register_refuse_and_recipients(client, demo):
    client.force_login(demo.vanthu)
    first = client.post("/api/exchange/inbox", {"file": sample_upload()})
    assert first.status_code == 201, first.content
    body = first.json()["package"]
    assert body["code"] == "7816/VPCP-TTĐT" and body["statuses"][0]["code"] == "01"
    assert body["header"]["signer"]["competence"] == "KT. BỘ TRƯỞNG, CHỦ NHIỆM"
    again = client.post("/api/exchange/inbox", {"file": sample_upload()})
    assert again.status_code == 200 and again.json()["package"]["id"] == body["id"]
    bad = client.post("/api/exchange/inbox", {"file": upload(samples.BILLION_LAUGHS)})
    assert bad.status_code == 400 and "thực thể bị cấm" in bad.json()["detail"][0]["msg"]
    registered = client.post(f"/api/exchange/inbox/{body['id']}/register", {}, content_type="application/json")
    assert registered.status_code == 201 and registered.json()["state"] == "registered"
    assert [s["code"] for s in registered.json()["statuses"]] == ["01", "03"]
    assert client.get("/api/exchange/inbox").json()["count"] == 1

    document, recipient = issued_with_external(demo)
    exported = client.post(f"/api/exchange/recipients/{recipient.pk}/export")
    assert exported.status_code == 201 and exported.json()["receiver_organ_id"] == "000.00.00.H06"
    [row] = client.get(f"/api/exchange/outgoing/{document.pk}/recipients").json()
    assert row["status"] == "sent" and row["packages"][0]["id"] == exported.json()["id"]


def test_api_refuse_requires_reason(client, demo):
    client.force_login(demo.vanthu)
    package_id = client.post("/api/exchange/inbox", {"file": sample_upload()}).json()["package"]["id"]
    empty = client.post(f"/api/exchange/inbox/{package_id}/refuse", {"reason": ""}, content_type="application/json")
    assert empty.status_code == 400 and empty.json()["detail"][0]["field"] == "reason"
    done = client.post(f"/api/exchange/inbox/{package_id}/refuse", {"reason": "Sai nơi nhận"},
                       content_type="application/json")
    assert done.json()["state"] == "refused" and done.json()["statuses"][-1]["code"] == "02"


def test_sent_package_file_only_for_staff_who_open_the_document(client, demo):
    _document, recipient = issued_with_external(demo)
    client.force_login(demo.vanthu)
    client.post(f"/exchange/recipients/{recipient.pk}/export/")
    package = Package.objects.get(direction="out")
    client.force_login(demo["cv.qlvt.long"])  # an officer may open the (ordinary) outgoing document
    assert client.get(f"/exchange/packages/{package.pk}/file/").status_code == 200
    assert client.post(f"/exchange/recipients/{recipient.pk}/export/").status_code == 403
    client.force_login(demo.quantri)  # the administrator does not handle documents
    assert client.get(f"/exchange/packages/{package.pk}/file/").status_code == 404


def test_panel_for_the_outgoing_page_shows_the_latest_status(rf, demo):
    from django.template import Context, Template

    from qlvb.exchange import services
    from tests.exchange import samples

    document, recipient = issued_with_external(demo)
    package = services.export_package(actor=demo.vanthu, recipient=recipient)
    notice = samples.STATUS.format(sender="000.00.00.H06", origin="000.00.15.H03", code=document.notation,
                                   date=f"{document.issued_on:%Y/%m/%d}", document_id=package.document_id)
    services.import_file(actor=demo.vanthu, upload=upload(notice.encode()))
    request = rf.get("/")
    request.user = demo.vanthu
    html = Template("{% load exchange %}{% exchange_panel document %}").render(
        Context({"request": request, "document": document}))
    assert "UBND tỉnh Bắc Kạn: Đã gửi điện tử — <strong>03 Đã tiếp nhận</strong>" in html
    assert f"/exchange/outgoing/{document.pk}/" in html
