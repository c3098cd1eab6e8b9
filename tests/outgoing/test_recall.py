"""Recall of an issued document (thu hồi; Decree 30/2020 Art 18.4.b, PL VI I.III.8 = F-8.a–c): its signer
or the head of the agency recalls it with a reason; the document is frozen with its metadata, the
copies delivered inside the agency are withdrawn (their open items close, their holders are told), and
who recalled it, when and why is kept and shown."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qlvb.assignments import services as flow
from qlvb.assignments.services import Target
from qlvb.audit.models import AuditEntry
from qlvb.monitoring.models import Notification
from qlvb.outgoing import services
from qlvb.outgoing.models import Recipient
from qlvb.records import services as records
from tests.factories import reply_path, root_of
from tests.outgoing.issuing import approve, approved

pytestmark = pytest.mark.django_db
REASON = "Sai đối tượng áp dụng, sẽ ban hành văn bản thay thế"


def _issued_to_khtc(demo):
    """Issued to the KHTC unit (delivered inside the agency) and to the provincial People's Committee;
    the KHTC head has forwarded the copy to an officer."""
    _, _, draft = reply_path(demo)
    document = services.issue(actor=demo.vanthu, draft=approve(demo, draft))
    copy = document.recipients.get(unit__abbreviation="KHTC").incoming
    flow.forward(actor=demo["tp.khtc"], assignment=root_of(copy), targets=[Target("main", person=demo["cv.khtc.nga"])])
    return document, copy


def test_signer_recalls_copies_are_withdrawn_and_holders_told(demo):
    """F-8.a, F-8.c; Art 18.4.b: the recall is kept (who, when, why, recall document); the internal copy
    is withdrawn, its open items close with the reason, and its holders and the issuing clerk are told."""
    document, copy = _issued_to_khtc(demo)
    services.recall(actor=demo["pgd.mai"], document=document, reason=REASON, reference="05/QĐ-SGTVT")
    document.refresh_from_db()
    copy.refresh_from_db()
    assert (document.recalled_by, document.recall_reason, document.recall_reference) == (
        demo["pgd.mai"], REASON, "05/QĐ-SGTVT")
    assert document.recalled_at is not None
    assert (copy.status, copy.withdraw_reason, copy.withdraw_order) == ("withdrawn", REASON, "05/QĐ-SGTVT")
    items = list(copy.assignments.order_by("id"))
    assert [a.state for a in items] == ["recalled", "recalled"]
    assert all("Văn bản đã bị thu hồi" in a.events.last().note for a in items)
    for person in ("tp.khtc", "cv.khtc.nga", "vanthu"):
        assert Notification.objects.filter(recipient=demo[person], kind="recalled").exists(), person
    assert AuditEntry.objects.filter(action="outgoing.recall").count() == 1
    assert document.summary and document.notation == "01/SGTVT-QLVT"  # metadata kept as issued


def test_only_the_signer_or_the_head_of_the_agency_recalls(demo):
    """Art 18.4.b: the competent person who signed, or the head of the agency; a reason is required."""
    document = services.issue(actor=demo.vanthu, draft=approved(demo))
    for person in ("pgd.minh", "vanthu", "cv.qlvt.long", "tp.qlvt", "quantri"):
        with pytest.raises(PermissionDenied):
            services.recall(actor=demo[person], document=document, reason=REASON)
    with pytest.raises(ValidationError) as refused:
        services.recall(actor=demo.giamdoc, document=document, reason="  ")
    assert "Lý do thu hồi" in refused.value.message_dict["reason"][0]
    services.recall(actor=demo.giamdoc, document=document, reason=REASON)
    with pytest.raises(ValidationError, match="đã bị thu hồi"):
        services.recall(actor=demo["pgd.mai"], document=document, reason=REASON)


def test_a_recalled_document_is_frozen(demo):
    """F-8.a: no date correction, no dispatch marking, no correction or copy started from it, and a
    correction or copy started before the recall is not issued."""
    document, _ = _issued_to_khtc(demo)
    _, _, draft = reply_path(demo)
    correction = records.start_correction(actor=demo["cv.qlvt.long"], original=document, kind="replace")
    copy = records.start_copy(actor=demo["cv.qlvt.long"], kind="SY", outgoing=document)
    services.recall(actor=demo["pgd.mai"], document=document, reason=REASON)
    document.refresh_from_db()
    external = document.recipients.get(agency__isnull=False)
    attempts = [
        lambda: services.correct_issue_date(actor=demo.quantri, document=document, issued_on=document.issued_on,
                                            reason="Nhập nhầm"),
        lambda: services.mark_dispatched(actor=demo.vanthu, recipient=external, status=Recipient.Status.SENT),
        lambda: records.start_correction(actor=demo["cv.qlvt.long"], original=document, kind="amend"),
        lambda: records.start_copy(actor=demo["cv.qlvt.long"], kind="SY", outgoing=document),
    ]
    for attempt in attempts:
        with pytest.raises(ValidationError, match="đã bị thu hồi"):
            attempt()
    for started in (correction, copy):
        started = approve(demo, started, signer="pgd.mai" if started is correction else "giamdoc")
        with pytest.raises(ValidationError, match="đã bị thu hồi"):
            services.issue(actor=demo.vanthu, draft=started)
    external.refresh_from_db()
    assert external.status == Recipient.Status.PENDING


def test_recall_over_the_api(client, demo):
    """F-8.a–c over the API: 404 for a document the caller may not open, 403 for one they may open but
    not recall, 400 naming the field for a missing reason; the recall metadata in the answer."""
    document = services.issue(actor=demo.vanthu, draft=approved(demo))
    secret = services.issue(actor=demo["vanthu.mat"], draft=approved(demo, confidential=True))
    client.force_login(demo["cv.khtc.nga"])
    assert client.post(f"/api/outgoing/{secret.pk}/recall", {"reason": REASON},
                       content_type="application/json").status_code == 404
    assert client.post(f"/api/outgoing/{document.pk}/recall", {"reason": REASON},
                       content_type="application/json").status_code == 403
    client.force_login(demo["pgd.mai"])
    response = client.post(f"/api/outgoing/{document.pk}/recall", {"reason": ""}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"][0]["field"] == "reason"
    response = client.post(f"/api/outgoing/{document.pk}/recall", {"reason": REASON, "reference": "07/TB-SGTVT"},
                           content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert (body["recalled"], body["recall_reason"], body["recall_reference"], body["recalled_by_id"]) == (
        True, REASON, "07/TB-SGTVT", demo["pgd.mai"].pk)
    client.force_login(demo["cv.khtc.nga"])
    assert client.get(f"/api/outgoing/{document.pk}").json()["recalled"] is True
    listed = client.get("/api/outgoing/").json()["items"]
    assert [d["recalled"] for d in listed if d["id"] == document.pk] == [True]


def test_recall_on_the_pages(client, demo):
    """The "Thu hồi" form shows to the signer only; after the recall the list, the page and the internal
    recipient's copy say "Đã thu hồi", with who, when and why, and the copy is out of processing."""
    document, copy = _issued_to_khtc(demo)
    client.force_login(demo["cv.qlvt.long"])
    assert 'data-testid="recall"' not in client.get(f"/outgoing/{document.pk}/").content.decode()
    assert client.post(f"/outgoing/{document.pk}/recall/", {"reason": REASON}).status_code == 403
    client.force_login(demo["pgd.mai"])
    page = client.get(f"/outgoing/{document.pk}/").content.decode()
    assert 'data-testid="recall"' in page
    response = client.post(f"/outgoing/{document.pk}/recall/", {"reason": ""}, follow=True)
    assert "Lý do thu hồi: nhập lý do." in response.content.decode()
    client.post(f"/outgoing/{document.pk}/recall/", {"reason": REASON, "reference": "05/QĐ-SGTVT"})
    page = client.get(f"/outgoing/{document.pk}/").content.decode()
    assert 'data-testid="recalled"' in page and REASON in page and "Trần Thị Mai" in page
    assert 'data-testid="recall"' not in page and 'data-testid="copy-form"' not in page
    assert 'data-testid="recalled"' in client.get("/outgoing/").content.decode()
    client.force_login(demo["cv.khtc.nga"])
    page = client.get(f"/incoming/{copy.pk}/").content.decode()
    assert 'data-testid="withdrawn"' in page and REASON in page and "Đã thu hồi" in page
    assert 'data-testid="files-hidden"' in page
    assert "Cần xử lý" in client.get("/incoming/").content.decode()
    assert copy.notation not in client.get("/incoming/?tab=todo").content.decode()
