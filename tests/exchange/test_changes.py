"""Revoke, update, replace a document sent (issue 15 item 6): the sender's new package refers to the
DocumentId first sent, goes the same way; the receiver freezes, updates or adds the new file, both audit."""

import pytest
from django.core.exceptions import ValidationError

from qlvb.audit.models import AuditEntry
from qlvb.exchange import services
from qlvb.exchange.edxml.model import BusinessType
from qlvb.exchange.models import OutboxItem, Package
from qlvb.incoming import services as incoming_services
from qlvb.incoming.models import IncomingDocument
from tests.exchange import direct
from tests.exchange.helpers import issued_with_external

pytestmark = pytest.mark.django_db


def test_sender_revokes_a_sent_document_through_the_same_outbox(demo, monkeypatch, tmp_path,
                                                                django_capture_on_commit_callbacks):
    fake = direct.FakePeer(monkeypatch)
    direct.peer()
    with django_capture_on_commit_callbacks(execute=True):
        document, _recipient = issued_with_external(demo)  # queued for the peer at issuing
    first = fake.read(0, tmp_path)
    with pytest.raises(ValidationError) as caught:
        services.send_change(actor=demo.vanthu, document=document, kind=BusinessType.REVOKE, reason=" ")
    assert "Lý do" in str(caught.value)
    with django_capture_on_commit_callbacks(execute=True):
        [change] = services.send_change(actor=demo.vanthu, document=document, kind=BusinessType.REVOKE,
                                        reason="Ban hành nhầm nơi nhận")
    assert len(fake.posts) == 2 and OutboxItem.objects.filter(package=change, state="sent").exists()
    revoke = fake.read(1, tmp_path)
    assert revoke.business.doc_type == 1 and revoke.business.reason == "Ban hành nhầm nơi nhận"
    assert revoke.business.document_id == revoke.document_id == first.document_id and not revoke.attachments
    assert AuditEntry.objects.filter(action="exchange.revoke").exists()
    # Revoking again is refused, saying it was done; nothing new is sent.
    with pytest.raises(ValidationError) as caught, django_capture_on_commit_callbacks(execute=True):
        services.send_change(actor=demo.vanthu, document=document, kind=BusinessType.REVOKE, reason="x")
    assert "Đã gửi thu hồi văn bản này cho 000.00.00.H06" in caught.value.message_dict["kind"][0]
    assert "không gửi lần thứ hai" in caught.value.message_dict["kind"][0]
    assert len(fake.posts) == 2 and Package.objects.filter(business_type=BusinessType.REVOKE).count() == 1


def _registered(demo, tmp_path, django_capture_on_commit_callbacks):
    direct.peer()
    with django_capture_on_commit_callbacks(execute=True):
        direct.deliver(direct.province_package(tmp_path))
    package = Package.objects.get(direction="in")
    with django_capture_on_commit_callbacks(execute=True):
        incoming = services.register_received(actor=demo.vanthu, package=package)
    return package, incoming


def test_receiver_freezes_a_revoked_registered_document(demo, monkeypatch, tmp_path, client,
                                                        django_capture_on_commit_callbacks):
    direct.FakePeer(monkeypatch)
    package, incoming = _registered(demo, tmp_path, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        answer = direct.deliver(direct.province_package(tmp_path, business=(1, "Ban hành nhầm")))
    assert answer.status_code == 201
    package.refresh_from_db()
    incoming.refresh_from_db()
    assert package.revoked_at is not None and package.business_reason == "Ban hành nhầm"
    assert incoming.status == IncomingDocument.Status.WITHDRAWN
    assert "Đã bị thu hồi bởi cơ quan gửi: Ban hành nhầm" in incoming.withdraw_reason
    assert incoming_services.frozen_problem(incoming)  # services refuse processing from now on
    assert AuditEntry.objects.filter(action="exchange.revoked_by_sender").exists()
    client.force_login(demo.vanthu)
    page = client.get(f"/exchange/inbox/{package.pk}/").content.decode()
    assert "Đã bị thu hồi bởi cơ quan gửi" in page and "Ban hành nhầm" in page


def test_revoke_before_registering_blocks_registering(demo, monkeypatch, tmp_path,
                                                      django_capture_on_commit_callbacks):
    direct.FakePeer(monkeypatch)
    direct.peer()
    with django_capture_on_commit_callbacks(execute=True):
        direct.deliver(direct.province_package(tmp_path))
        direct.deliver(direct.province_package(tmp_path, business=(1, "Sai số liệu")))
    original = Package.objects.get(direction="in", business_type=0)
    with pytest.raises(ValidationError) as caught:
        services.register_received(actor=demo.vanthu, package=original)
    assert "thu hồi bởi cơ quan gửi" in str(caught.value)


def test_update_changes_metadata_and_replace_keeps_both_files(demo, monkeypatch, tmp_path,
                                                              django_capture_on_commit_callbacks):
    direct.FakePeer(monkeypatch)
    _package, incoming = _registered(demo, tmp_path, django_capture_on_commit_callbacks)
    old_summary = incoming.summary
    with django_capture_on_commit_callbacks(execute=True):
        direct.deliver(direct.province_package(tmp_path, business=(2, "Sửa trích yếu"),
                                               subject="V/v bảo trì và sửa chữa đường tỉnh 15"))
    incoming.refresh_from_db()
    assert incoming.summary == "V/v bảo trì và sửa chữa đường tỉnh 15"
    entry = AuditEntry.objects.get(action="exchange.updated_by_sender")
    assert entry.changes["fields"]["summary"] == [old_summary, incoming.summary]
    files_before = incoming.attachments.count()
    with django_capture_on_commit_callbacks(execute=True):
        direct.deliver(direct.province_package(tmp_path, business=(3, "Thay bản có chữ ký"), pages=2))
    assert incoming.attachments.count() == files_before + 1
    assert incoming.attachments.filter(is_main=True).count() == 1
    assert AuditEntry.objects.filter(action="exchange.replaced_by_sender").exists()


def test_change_of_a_document_never_received_is_refused(demo, monkeypatch, tmp_path):
    direct.FakePeer(monkeypatch)
    direct.peer()
    answer = direct.deliver(direct.province_package(tmp_path, business=(1, "x")))
    assert answer.status_code == 422 and "chưa nhận văn bản đó" in answer.json()["reason"]


def test_clerk_updates_from_the_exchange_page_and_the_api_lists_it(demo, monkeypatch, client,
                                                                   django_capture_on_commit_callbacks):
    direct.FakePeer(monkeypatch)
    direct.peer()
    with django_capture_on_commit_callbacks(execute=True):
        document, _recipient = issued_with_external(demo)
    client.force_login(demo.vanthu)
    page = client.get(f"/exchange/outgoing/{document.pk}/").content.decode()
    assert 'data-testid="change-form"' in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/exchange/outgoing/{document.pk}/change/", {"kind": "2", "reason": "Sửa trích yếu"})
    change = Package.objects.get(direction="out", business_type=2)
    assert change.business_reason == "Sửa trích yếu" and change.state == "sent"
    answer = client.post(f"/api/exchange/outgoing/{document.pk}/change",
                         {"kind": 3, "reason": "Thay tệp"}, content_type="application/json")
    assert answer.status_code == 201 and answer.json()[0]["business_type"] == 3
    recipients = client.get(f"/api/exchange/outgoing/{document.pk}/recipients").json()
    assert sorted(p["business_type"] for p in recipients[0]["packages"]) == [0, 2, 3]
