"""The direct transport between installations, in one process: our agency against a fake province peer
(`direct.FakePeer` in place of the network), and the province's deliveries posted to our endpoint.
Signature of what we send and check of what we receive; the outbox's retries; status 01–06 sent back."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qlvb.assignments import services as assignments
from qlvb.assignments.models import Assignment
from qlvb.assignments.services import Target
from qlvb.exchange import outbox, services
from qlvb.exchange.edxml import dsig
from qlvb.exchange.models import OutboxItem, Package, Peer
from qlvb.outgoing.models import Recipient
from qlvb.signing import ca
from tests.exchange import direct
from tests.exchange.helpers import issued_with_external, upload
from tests.signing.conftest import PIN, issued, root, stranger_root_and_leaf

pytestmark = pytest.mark.django_db


def _login(client, person):
    client.force_login(person)
    return client


# ---- sending -------------------------------------------------------------------------------------

def test_package_sent_to_a_peer_is_signed_by_the_agency_and_delivered(demo, agency_credential, monkeypatch,
                                                                       tmp_path, client,
                                                                       django_capture_on_commit_callbacks):
    fake = direct.FakePeer(monkeypatch)
    document, recipient = issued_with_external(demo)
    direct.peer()
    with django_capture_on_commit_callbacks(execute=True):
        package = services.send_package(actor=demo.vanthu, recipient=recipient, pin=PIN)
    assert len(fake.posts) == 1
    (tmp_path / "sent.edxml").write_bytes(fake.posts[0])
    received = fake.read(0, tmp_path)
    checked = dsig.verify(tmp_path / "sent.edxml", whole_limit=10**8,
                          attachment_digests={a.content_id: a.sha256 for a in received.attachments})
    assert checked.verdict == dsig.VALID and "Sở Giao thông vận tải" in checked.certificate.subject.rfc4514_string()
    assert received.code == document.notation and received.receivers[0].organ_id == direct.PROVINCE
    recipient.refresh_from_db()
    package.refresh_from_db()
    assert recipient.status == Recipient.Status.SENT and package.state == "sent"
    page = _login(client, demo.vanthu).get(f"/exchange/outgoing/{document.pk}/").content.decode()
    assert "Đã gửi" in page


def test_wrong_pin_refused_on_the_pin_field_and_nothing_queued(demo, agency_credential, monkeypatch):
    direct.FakePeer(monkeypatch)
    _document, recipient = issued_with_external(demo)
    direct.peer()
    with pytest.raises(Exception) as caught:
        services.send_package(actor=demo.vanthu, recipient=recipient, pin="0000")
    assert "PIN" in str(caught.value) and not OutboxItem.objects.exists() and not Package.objects.exists()


def test_issuing_to_a_peer_queues_the_package_and_retries_while_the_peer_is_down(
        demo, monkeypatch, tmp_path, client, django_capture_on_commit_callbacks):
    fake = direct.FakePeer(monkeypatch)
    fake.down = "ConnectionError: connection refused"
    direct.peer()
    with django_capture_on_commit_callbacks(execute=True):
        document, recipient = issued_with_external(demo)  # issued: queued for the peer at once
    item = OutboxItem.objects.get()
    assert item.state == "pending" and item.attempts == 1 and "connection refused" in item.last_error
    assert item.next_attempt_at > timezone.now() + timedelta(seconds=20)
    panel = _login(client, demo.vanthu).get(f"/outgoing/{document.pk}/").content.decode()
    assert "Đang chờ gửi lại (lần 2, lỗi ConnectionError: connection refused)" in panel
    # Not due yet: the sweep leaves it; a second failure doubles the wait.
    assert outbox.enqueue_due() == 0
    OutboxItem.objects.update(next_attempt_at=timezone.now())
    outbox.enqueue_due()
    item.refresh_from_db()
    assert item.attempts == 2 and item.next_attempt_at > timezone.now() + timedelta(seconds=50)
    # The peer is back: delivered once, however many sweeps and tasks run afterwards.
    fake.down = None
    OutboxItem.objects.update(next_attempt_at=timezone.now())
    outbox.enqueue_due()
    outbox.enqueue_due()
    outbox.deliver(item.pk)
    item.refresh_from_db()
    assert item.state == "sent" and item.attempts == 3 and len(fake.posts) == 1
    assert fake.read(0, tmp_path).code == document.notation
    recipient.refresh_from_db()
    assert recipient.status == Recipient.Status.SENT


def test_peer_refusal_shows_status_02_with_its_reason(demo, monkeypatch, client,
                                                      django_capture_on_commit_callbacks):
    fake = direct.FakePeer(monkeypatch)
    fake.answer = direct.transport.Answer(422, {"status": "02", "reason": "Gói tin đã bị sửa đổi sau khi ký"})
    direct.peer()
    with django_capture_on_commit_callbacks(execute=True):
        document, _recipient = issued_with_external(demo)
    item = OutboxItem.objects.get()
    assert item.state == "refused" and item.attempts == 1
    page = _login(client, demo.vanthu).get(f"/exchange/outgoing/{document.pk}/").content.decode()
    assert "02 Từ chối tiếp nhận" in page and "Gói tin đã bị sửa đổi sau khi ký" in page


# ---- receiving -----------------------------------------------------------------------------------

def _received_page(client, demo):
    return _login(client, demo.vanthu).get("/exchange/inbox/").content.decode()


def test_signed_package_received_once_with_valid_signature_and_statuses_sent_back(
        demo, trusted, monkeypatch, tmp_path, client, django_capture_on_commit_callbacks):
    fake = direct.FakePeer(monkeypatch)
    direct.peer()
    data = direct.province_package(tmp_path, signer=(issued("UBND tỉnh Bắc Kạn (DEMO)"), [root().cert]))
    with django_capture_on_commit_callbacks(execute=True):
        first = direct.deliver(data)
    with django_capture_on_commit_callbacks(execute=True):
        again = direct.deliver(data)
    assert first.status_code == 201 and again.status_code == 200
    assert first.json()["signature"] == again.json()["signature"] == "valid"
    package = Package.objects.get(direction="in")
    assert package.signature_verdict == "valid" and "UBND tỉnh Bắc Kạn" in package.signature["subject"]
    assert "Chữ ký số hợp lệ" in _received_page(client, demo)
    assert fake.codes(tmp_path) == ["01"]  # once: the second delivery added nothing
    api = client.get(f"/api/exchange/inbox/{package.pk}").json()
    assert api["signature_verdict"] == "valid"
    # Registered: 03; the leader assigns: 04; the handler works: 05; completed: 06.
    with django_capture_on_commit_callbacks(execute=True):
        document = services.register_received(actor=demo.vanthu, package=package)
    root_item = Assignment.objects.get(document=document, parent=None)
    with django_capture_on_commit_callbacks(execute=True):
        [child] = assignments.forward(actor=root_item.receiver, assignment=root_item,
                                      targets=[Target(person=demo["cv.qlvt.long"], role=Assignment.Role.MAIN)])
    with django_capture_on_commit_callbacks(execute=True):
        assignments.add_update(actor=demo["cv.qlvt.long"], assignment=child, note="Đang rà soát")
    with django_capture_on_commit_callbacks(execute=True):
        assignments.complete(actor=demo["cv.qlvt.long"], assignment=child, result="Đã bố trí kinh phí")
    assert fake.codes(tmp_path) == ["01", "03", "04", "05", "06"]
    assert OutboxItem.objects.filter(state="sent").count() == 5


@pytest.mark.parametrize("case", ["modified", "stranger", "unsigned"])
def test_signature_checked_on_receipt(demo, trusted, monkeypatch, tmp_path, client, case,
                                      django_capture_on_commit_callbacks):
    fake = direct.FakePeer(monkeypatch)
    direct.peer()
    signer = {"modified": (issued("UBND tỉnh Bắc Kạn (DEMO)"), [root().cert]),
              "stranger": (stranger_root_and_leaf()[1], [stranger_root_and_leaf()[0].cert]),
              "unsigned": None}[case]
    data = direct.province_package(tmp_path, signer=signer)
    if case == "modified":
        data = data.replace("V/v bảo trì".encode(), "V/v sửa chữa".encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = direct.deliver(data)
    if case == "modified":
        assert response.status_code == 422 and response.json()["status"] == "02"
        assert "bị sửa đổi sau khi ký" in response.json()["reason"]
        assert not Package.objects.exists() and fake.posts == []
        return
    assert response.status_code == 201
    expected = {"stranger": "Chữ ký số không tin cậy", "unsigned": "Gói tin không có chữ ký số"}[case]
    assert expected in _received_page(client, demo)


def test_attachment_changed_after_signing_is_refused(demo, trusted, monkeypatch, tmp_path):
    direct.FakePeer(monkeypatch)
    direct.peer()
    signed = direct.province_package(tmp_path, signer=(issued("UBND tỉnh Bắc Kạn (DEMO)"), [root().cert]))
    other = direct.province_package(tmp_path, pages=2)  # another valid PDF in place of the signed one
    cut = b"<AttachmentEncoded>"
    data = signed[:signed.index(cut)] + other[other.index(cut):]
    response = direct.deliver(data)
    assert response.status_code == 422 and "bị sửa đổi sau khi ký" in response.json()["reason"]
    assert not Package.objects.exists()


def test_pinned_certificate_of_the_peer_is_required(demo, trusted, monkeypatch, tmp_path, client):
    direct.FakePeer(monkeypatch)
    other = ca.issue(root(), "Kẻ mạo danh (DEMO)", organisation="Nowhere")
    direct.peer(certificate_pem=dsig.pem(issued("UBND tỉnh Bắc Kạn (DEMO)").cert))
    data = direct.province_package(tmp_path, signer=(other, [root().cert]))
    # Posted with the province's token but signed by someone else: refused, nothing kept.
    response = direct.deliver(data)
    assert response.status_code == 422 and "khác với chứng thư đã đăng ký" in response.json()["reason"]
    assert not Package.objects.exists()
    # The same file brought by the clerk (it came by other means): kept, marked not trusted.
    result = services.import_file(actor=demo.vanthu, upload=upload(data))
    assert result.created and result.package.signature_verdict == "untrusted"


def test_endpoint_refuses_unknown_peers_wrong_tokens_and_foreign_senders(demo, monkeypatch, tmp_path):
    direct.FakePeer(monkeypatch)
    direct.peer()
    data = direct.province_package(tmp_path)
    assert direct.deliver(data, token="wrong-token-wrong-token-wrong").status_code == 401
    assert direct.deliver(data, organ_id="000.00.00.H07").status_code == 401
    other = direct.peer(organ_id="000.00.00.H07", name="UBND tỉnh khác")
    response = direct.deliver(data, organ_id=other.organ_id)  # H07's token, H06's package
    assert response.status_code == 422 and "000.00.00.H06" in response.json()["reason"]
    assert not Package.objects.exists()


def _sent_verdict(fake, tmp_path):
    (tmp_path / "sent.edxml").write_bytes(fake.posts[-1])
    received = fake.read(len(fake.posts) - 1, tmp_path)
    return dsig.verify(tmp_path / "sent.edxml", whole_limit=10**8,
                       attachment_digests={a.content_id: a.sha256 for a in received.attachments})


def test_agency_key_on_a_token_signs_the_package(demo, agency, admin_person, trusted, softhsm, settings, monkeypatch,
                                                 tmp_path, django_capture_on_commit_callbacks):
    from cryptography.hazmat.primitives.serialization import Encoding

    from qlvb.signing import services as signing
    from tests.signing.conftest import KEY, MODULE, TOKEN, USER_PIN

    settings.QLVB_SIGNING_PKCS11_MODULE = MODULE
    signing.register_pkcs11(actor=admin_person, agency=agency, owner=None, token_label=TOKEN, key_label=KEY,
                            certificate_pem=issued("Trần Thị Mai (DEMO)").cert.public_bytes(Encoding.PEM).decode(),
                            chain_pem=root().cert.public_bytes(Encoding.PEM).decode())
    fake = direct.FakePeer(monkeypatch)
    _document, recipient = issued_with_external(demo)
    direct.peer()
    with django_capture_on_commit_callbacks(execute=True):
        services.send_package(actor=demo.vanthu, recipient=recipient, pin=USER_PIN)
    assert _sent_verdict(fake, tmp_path).verdict == dsig.VALID


def test_remote_credential_cannot_sign_a_package_and_says_so(demo, agency, admin_person, trusted, monkeypatch):
    from cryptography.hazmat.primitives.serialization import Encoding

    from qlvb.signing import services as signing

    signing.register_remote(actor=admin_person, agency=agency, owner=None, provider="smartca", user_id="0123",
                            certificate_pem=issued("Cơ quan (DEMO)").cert.public_bytes(Encoding.PEM).decode())
    direct.FakePeer(monkeypatch)
    _document, recipient = issued_with_external(demo)
    direct.peer()
    with pytest.raises(ValidationError) as caught:
        services.send_package(actor=demo.vanthu, recipient=recipient, pin="123456")
    assert "ký từ xa" in " ".join(caught.value.messages) and not Package.objects.exists()


def test_api_send_with_the_pin(demo, agency_credential, monkeypatch, client, tmp_path,
                               django_capture_on_commit_callbacks):
    fake = direct.FakePeer(monkeypatch)
    _document, recipient = issued_with_external(demo)
    direct.peer()
    _login(client, demo.vanthu)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/exchange/recipients/{recipient.pk}/send", {"pin": PIN},
                               content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["signature_verdict"] == "valid" and body["state"] in ("queued", "sent")
    assert _sent_verdict(fake, tmp_path).verdict == dsig.VALID
    officer = _login(client, demo["cv.qlvt.long"]).post(f"/api/exchange/recipients/{recipient.pk}/send",
                                                        {"pin": PIN}, content_type="application/json")
    assert officer.status_code in (403, 404)


def test_peer_registry_checks_identifier_token_and_certificate(demo, admin_person):
    bad = Peer(organ_id="H6", name="X", endpoint="https://x.example.vn", token="short", certificate_pem="nope")
    with pytest.raises(ValidationError) as caught:
        services.save_peer(actor=admin_person, peer=bad)
    assert set(caught.value.message_dict) == {"organ_id", "token", "certificate_pem"}
    good = Peer(organ_id="000.00.00.h06", name="UBND", endpoint="https://x.example.vn", token=direct.TOKEN)
    assert services.save_peer(actor=admin_person, peer=good).organ_id == "000.00.00.H06"
    with pytest.raises(PermissionDenied):
        services.save_peer(actor=demo.vanthu, peer=good)


def test_administrator_registers_a_peer_in_the_admin(demo, admin_person, client):
    client.force_login(admin_person)
    form = {"organ_id": "000.00.00.h06", "name": "UBND tỉnh Bắc Kạn", "endpoint": "https://qlvb.backan.example.vn",
            "token": "short", "certificate_pem": "", "is_active": "on"}
    refused = client.post("/admin/exchange/peer/add/", form)
    assert refused.status_code == 200 and "tối thiểu 24 ký tự" in refused.content.decode()
    response = client.post("/admin/exchange/peer/add/", {**form, "token": direct.TOKEN})
    assert response.status_code == 302
    peer = Peer.objects.get()
    assert peer.organ_id == direct.PROVINCE and peer.token == direct.TOKEN
    from qlvb.audit.models import AuditEntry

    entry = AuditEntry.objects.get(action="exchange.peer_saved")
    assert direct.TOKEN not in str(entry.changes) and "token" in entry.changes["changed"]
