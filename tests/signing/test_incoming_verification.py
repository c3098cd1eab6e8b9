"""Every PDF registered with an incoming document has its digital signatures checked (Decree 30/2020
Art 21.2.c: an electronic document received is checked for authenticity and integrity), in the task queue
after the registration commits; the clerk and the handlers see the verdict beside the file, and the API
gives it with the document's files."""

from django.core.files.uploadedfile import SimpleUploadedFile

from qlvb.documents.models import DocumentType
from qlvb.incoming.models import IncomingDocument
from qlvb.signing import services
from tests.factories import incoming_register, pdf_upload
from tests.signing.conftest import LEADER_BOX, PIN, document_pdf


def signed_pdf(demo, credential) -> bytes:
    return services.sign_document(actor=demo["pgd.mai"], credential=credential, pdf_bytes=document_pdf(),
                                  field_name="LanhDao", box=LEADER_BOX, pin=PIN)


def register(client, demo, content: bytes, notation: str, run_tasks) -> IncomingDocument:
    """Register through the API; the check queued for after COMMIT runs (`run_tasks`)."""
    client.force_login(demo.vanthu)
    with run_tasks(execute=True):
        response = client.post("/api/incoming/", {
            "register_id": incoming_register(demo.vanthu).pk, "issuer_name": "Bộ Giao thông vận tải",
            "notation": notation, "issued_on": "2026-11-20",
            "document_type_id": DocumentType.objects.get(name="Công văn").pk,
            "summary": "V/v kiểm tra an toàn cầu yếu",
            "files": [SimpleUploadedFile("van-ban.pdf", content, content_type="application/pdf")]})
    assert response.status_code == 201, response.content
    return IncomingDocument.objects.get(pk=response.json()["id"])


def test_a_signed_pdf_shows_valid_on_the_document_page_and_in_the_api(demo, leader_credential, client, django_capture_on_commit_callbacks):
    document = register(client, demo, signed_pdf(demo, leader_credential), "12/BGTVT-KCHT", django_capture_on_commit_callbacks)

    page = client.get(f"/incoming/{document.pk}/").content.decode()
    [attachment] = client.get(f"/api/incoming/{document.pk}/attachments").json()

    assert 'data-verdict="valid"' in page and "Chữ ký số hợp lệ" in page and "Trần Thị Mai (DEMO)" in page
    assert attachment["signature"]["verdict"] == "valid"
    assert attachment["signature"]["signatures"][0]["signer"] == "Trần Thị Mai (DEMO)"


def test_a_pdf_changed_after_signing_is_flagged_red(demo, leader_credential, client, django_capture_on_commit_callbacks):
    tampered = bytearray(signed_pdf(demo, leader_credential))
    tampered[tampered.index(b"stream", 200) + 40] ^= 0x01

    document = register(client, demo, bytes(tampered), "13/BGTVT-KCHT", django_capture_on_commit_callbacks)

    page = client.get(f"/incoming/{document.pk}/").content.decode()
    assert 'data-verdict="modified"' in page and "text-bg-danger" in page
    assert client.get(f"/api/incoming/{document.pk}/attachments").json()[0]["signature"]["verdict"] == "modified"


def test_an_unsigned_scan_says_so(demo, client, django_capture_on_commit_callbacks):
    document = register(client, demo, pdf_upload().read(), "14/BGTVT-KCHT", django_capture_on_commit_callbacks)

    assert client.get(f"/api/incoming/{document.pk}/attachments").json()[0]["signature"]["verdict"] == "unsigned"


def test_the_files_of_a_document_the_caller_may_not_open_are_404(demo, leader_credential, client, django_capture_on_commit_callbacks):
    document = register(client, demo, signed_pdf(demo, leader_credential), "15/BGTVT-KCHT", django_capture_on_commit_callbacks)
    client.force_login(demo["cv.qlvt.long"])  # an officer the document was never sent to

    assert client.get(f"/api/incoming/{document.pk}/attachments").status_code == 404
