"""The "Kiểm tra chữ ký số" page and POST /api/signing/verify: anyone signed in checks a PDF and sees
valid / modified / not trusted / unsigned, with each signature's details (Decree 30 Art 21.2.c: an
electronic document received is checked for authenticity and integrity)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from qlvb.signing import services
from qlvb.signing.models import Verification
from tests.signing.conftest import LEADER_BOX, PIN, document_pdf


def signed_pdf(demo, credential) -> bytes:
    return services.sign_document(actor=demo["pgd.mai"], credential=credential, pdf_bytes=document_pdf(),
                                  field_name="LanhDao", box=LEADER_BOX, pin=PIN)


def upload(data: bytes, name="vb.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_the_page_shows_a_valid_signature_with_its_signer(demo, leader_credential, client):
    client.force_login(demo["cv.qlvt.long"])

    response = client.post("/signing/verify/", {"file": upload(signed_pdf(demo, leader_credential))})

    html = response.content.decode()
    assert 'data-verdict="valid"' in html and "Chữ ký số hợp lệ" in html
    assert "Trần Thị Mai (DEMO)" in html and "+07:00" in html


def test_the_page_flags_a_changed_pdf_red(demo, leader_credential, client):
    tampered = bytearray(signed_pdf(demo, leader_credential))
    tampered[tampered.index(b"stream", 200) + 40] ^= 0x01
    client.force_login(demo["cv.qlvt.long"])

    html = client.post("/signing/verify/", {"file": upload(bytes(tampered))}).content.decode()

    assert 'data-verdict="modified"' in html and "text-bg-danger" in html and "Đã bị sửa đổi" in html


def test_the_page_refuses_what_is_not_a_pdf(demo, client):
    client.force_login(demo["cv.qlvt.long"])

    html = client.post("/signing/verify/", {"file": upload(b"hello", name="thu.txt")}).content.decode()

    assert "Tệp “thu.txt” không phải PDF." in html and "data-verdict" not in html


def test_the_page_needs_a_login(db, client):
    assert client.get("/signing/verify/").status_code == 302


def test_api_verify_answers_the_verdict_and_stores_it(demo, leader_credential, client):
    client.force_login(demo["vanthu"])
    data = signed_pdf(demo, leader_credential)

    response = client.post("/api/signing/verify", {"file": upload(data)})

    body = response.json()
    assert response.status_code == 200
    assert body["verdict"] == "valid" and body["signatures"][0]["signer"] == "Trần Thị Mai (DEMO)"
    assert Verification.objects.get(pk=body["sha256"]).verdict == "valid"


def test_api_verify_unsigned_and_errors_in_the_api_shape(demo, client):
    client.force_login(demo["vanthu"])

    assert client.post("/api/signing/verify", {"file": upload(document_pdf())}).json()["verdict"] == "unsigned"
    response = client.post("/api/signing/verify", {"file": upload(b"GIF89a", name="anh.gif")})
    assert response.status_code == 400
    [error] = response.json()["detail"]
    assert error["field"] == "file" and "không phải PDF" in error["msg"]


def test_a_stored_result_is_recomputed_when_the_trusted_roots_change(demo, leader_credential, trusted):
    data = signed_pdf(demo, leader_credential)
    assert services.verify_bytes(data).verdict == "valid"

    trusted.is_active = False
    trusted.save()

    assert services.verify_bytes(data).verdict == "untrusted"
