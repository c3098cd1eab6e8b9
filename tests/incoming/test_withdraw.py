"""Withdrawing an incoming document on its issuer's recall order (thu hồi; Decree 30/2020 Art 18.4.b,
PL VI I.III.8 = F-8.b, F-8.c): the clerk (or a leader) takes it out of processing with a reason; its
open items close, the people on it are told, it is marked "Đã thu hồi" and frozen, the metadata of the
document and of the recall is kept, and its files are hidden from all but clerks and administrators
(or removed, setting QLVB_WITHDRAWN_INCOMING_FILES)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qlvb.assignments import services as flow
from qlvb.assignments.services import Target
from qlvb.audit.models import AuditEntry
from qlvb.files.models import Blob
from qlvb.incoming import services
from qlvb.incoming.models import IncomingDocument
from qlvb.monitoring.models import Notification
from qlvb.records import services as records
from tests.factories import register_doc, root_of

pytestmark = pytest.mark.django_db
REASON = "Cơ quan ban hành thu hồi do sai sót về thể thức"
ORDER = "45/UBND-VP"


def _in_processing(demo, **extra):
    """The Director forwarded it to the QLVT head (main) and a KHTC officer (for information), who has
    read and closed hers."""
    document = register_doc(demo.vanthu, **extra)
    main, info = flow.forward(actor=demo.giamdoc, assignment=root_of(document),
                              targets=[Target("main", person=demo["tp.qlvt"]),
                                       Target("info", person=demo["cv.khtc.nga"])])
    flow.complete(actor=demo["cv.khtc.nga"], assignment=info)
    return document


def test_clerk_withdraws_open_items_close_and_people_are_told(demo):
    """F-8.b, F-8.c: open items close with the reason, everyone on the document is told, the recall's
    metadata (who, when, why, the order) is kept with the document's."""
    document = _in_processing(demo)
    services.withdraw(actor=demo.vanthu, incoming=document, reason=REASON, order_reference=ORDER)
    document.refresh_from_db()
    assert (document.status, document.withdrawn_by, document.withdraw_reason, document.withdraw_order) == (
        "withdrawn", demo.vanthu, REASON, ORDER)
    assert document.withdrawn_at is not None and document.summary and document.notation
    states = {a.receiver.username: a.state for a in document.assignments.select_related("receiver")}
    assert states == {"giamdoc": "recalled", "tp.qlvt": "recalled", "cv.khtc.nga": "done"}
    closed = document.assignments.get(receiver=demo["tp.qlvt"])
    assert closed.box == "closed" and closed.events.last().note == f"Văn bản đã bị thu hồi: {REASON}"
    for person in ("giamdoc", "tp.qlvt", "cv.khtc.nga"):
        assert Notification.objects.filter(recipient=demo[person], kind="recalled").count() == 1, person
    entry = AuditEntry.objects.get(action="incoming.withdraw")
    assert entry.changes["reason"] == REASON and entry.changes["order"] == ORDER


def test_who_may_withdraw(demo):
    """Art 18.4.b: the clerk who keeps the register, or a leader; a reason is required, once only."""
    document = _in_processing(demo)
    for person in ("tp.qlvt", "cv.khtc.nga", "quantri"):
        with pytest.raises(PermissionDenied):
            services.withdraw(actor=demo[person], incoming=document, reason=REASON)
    with pytest.raises(ValidationError) as refused:
        services.withdraw(actor=demo.vanthu, incoming=document, reason="")
    assert "Lý do thu hồi" in refused.value.message_dict["reason"][0]
    services.withdraw(actor=demo["pgd.minh"], incoming=document, reason=REASON)
    with pytest.raises(ValidationError, match="đã bị thu hồi"):
        services.withdraw(actor=demo.vanthu, incoming=document, reason=REASON)
    secret = register_doc(demo["vanthu.mat"], confidential=True)
    with pytest.raises(PermissionDenied):  # the confidential register is kept by another clerk
        services.withdraw(actor=demo.vanthu, incoming=secret, reason=REASON)
    services.withdraw(actor=demo["vanthu.mat"], incoming=secret, reason=REASON)


def test_a_withdrawn_document_is_frozen(demo):
    """F-8.b: no more forwarding, processing, correcting, presenting, cancelling or copying."""
    document = _in_processing(demo)
    main = document.assignments.get(receiver=demo["tp.qlvt"])
    services.withdraw(actor=demo.vanthu, incoming=document, reason=REASON)
    document.refresh_from_db()
    attempts = [
        lambda: flow.forward(actor=demo["tp.qlvt"], assignment=main,
                             targets=[Target("main", person=demo["cv.qlvt.long"])]),
        lambda: flow.complete(actor=demo["tp.qlvt"], assignment=main, result="Xong"),
        lambda: services.update_incoming(actor=demo.vanthu, document=document, changes={"summary": "Khác"}),
        lambda: services.present_again(actor=demo.vanthu, document=document, receiver=demo.giamdoc),
        lambda: services.cancel_registration(actor=demo.vanthu, document=document, reason="Nhầm"),
        lambda: records.start_copy(actor=demo.vanthu, kind="SY", incoming=document),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError):
            attempt()
    document.refresh_from_db()
    assert document.status == "withdrawn" and document.summary != "Khác"


def test_files_are_hidden_except_from_clerks(client, demo):
    """Decided (docs/architecture.md): the file stays, readable by the clerk, not by the handlers."""
    document = _in_processing(demo)
    attachment = document.attachments.get()
    url = f"/incoming/{document.pk}/files/{attachment.pk}/"
    services.withdraw(actor=demo.vanthu, incoming=document, reason=REASON)
    client.force_login(demo["tp.qlvt"])
    page = client.get(f"/incoming/{document.pk}/").content.decode()
    assert 'data-testid="files-hidden"' in page and attachment.name not in page
    assert client.get(url).status_code == 404
    assert client.get(f"/api/incoming/{document.pk}/attachments").json() == []
    assert attachment.name not in client.get(f"/incoming/{document.pk}/print/").content.decode()
    client.force_login(demo.vanthu)
    assert [a["name"] for a in client.get(f"/api/incoming/{document.pk}/attachments").json()] == [attachment.name]
    assert attachment.name in client.get(f"/incoming/{document.pk}/").content.decode()
    assert client.get(url).status_code == 200


def test_setting_removes_the_files(demo, settings):
    """PL VI I.III.8 "delete the incoming document": with QLVB_WITHDRAWN_INCOMING_FILES = "remove" the files
    leave the document; their names and hashes stay in the audit entry."""
    settings.QLVB_WITHDRAWN_INCOMING_FILES = "remove"
    document = _in_processing(demo)
    sha = document.attachments.get().blob_id
    services.withdraw(actor=demo.vanthu, incoming=document, reason=REASON)
    assert not document.attachments.exists()
    assert AuditEntry.objects.get(action="incoming.withdraw").changes["removed_files"][0]["sha256"] == sha
    assert Blob.objects.filter(pk=sha).exists()  # content-addressed: another document may hold it


def test_withdraw_over_the_api(client, demo):
    """404 for a document the caller may not open, 403 for one they may open but not withdraw, 400
    naming the field for a missing reason; the answer carries the recall metadata."""
    document = _in_processing(demo)
    secret = register_doc(demo["vanthu.mat"], confidential=True)
    client.force_login(demo.vanthu)
    assert client.post(f"/api/incoming/{secret.pk}/withdraw", {"reason": REASON},
                       content_type="application/json").status_code == 404
    client.force_login(demo["tp.qlvt"])
    assert client.post(f"/api/incoming/{document.pk}/withdraw", {"reason": REASON},
                       content_type="application/json").status_code == 403
    client.force_login(demo.vanthu)
    response = client.post(f"/api/incoming/{document.pk}/withdraw", {"reason": " "},
                           content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"][0]["field"] == "reason"
    response = client.post(f"/api/incoming/{document.pk}/withdraw", {"reason": REASON, "order_reference": ORDER},
                           content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["withdrawn"], body["withdraw_reason"], body["withdraw_order"],
            body["withdrawn_by_id"]) == ("withdrawn", True, REASON, ORDER, demo.vanthu.pk)
    assert IncomingDocument.objects.get(pk=document.pk).is_withdrawn


def test_withdraw_on_the_pages(client, demo):
    """The form shows to the clerk, not to the handler; afterwards the page and the inbox say "Đã thu
    hồi", with who, when and why, and the processing actions are gone."""
    document = _in_processing(demo)
    client.force_login(demo["tp.qlvt"])
    page = client.get(f"/incoming/{document.pk}/").content.decode()
    assert 'data-testid="withdraw"' not in page and 'name="note"' in page  # the handler's actions
    assert client.post(f"/incoming/{document.pk}/withdraw/", {"reason": REASON}).status_code == 403
    client.force_login(demo.vanthu)
    assert 'data-testid="withdraw"' in client.get(f"/incoming/{document.pk}/").content.decode()
    page = client.post(f"/incoming/{document.pk}/withdraw/", {"reason": ""}, follow=True).content.decode()
    assert "Lý do thu hồi: nhập lý do." in page
    client.post(f"/incoming/{document.pk}/withdraw/", {"reason": REASON, "order_reference": ORDER})
    page = client.get(f"/incoming/{document.pk}/").content.decode()
    assert 'data-testid="withdrawn"' in page and REASON in page and ORDER in page
    assert 'data-testid="withdraw"' not in page and 'data-testid="edit-incoming"' not in page
    client.force_login(demo["tp.qlvt"])
    page = client.get(f"/incoming/{document.pk}/").content.decode()
    assert 'data-testid="withdrawn"' in page and 'name="note"' not in page
    client.force_login(demo["cv.khtc.nga"])
    done = client.get("/incoming/?tab=done").content.decode()
    assert document.summary in done and 'data-testid="withdrawn"' in done
