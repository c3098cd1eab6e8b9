"""The processing deadline (hạn giải quyết) follows one rule wherever it is set: registration (page and API),
correction and forwarding refuse a deadline before the arrival date (qlvb.incoming.rules.check_deadline);
forwarding also refuses one already past. Decree 30/2020 Art 24 (handling incoming documents by their
deadline), PL VI II.18 DueDate."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qlvb.assignments import services as flow
from qlvb.assignments.services import Target
from qlvb.documents.models import DocumentType
from qlvb.incoming import services
from qlvb.incoming.models import IncomingDocument
from tests.factories import incoming_register, pdf_upload, register_doc, root_of

pytestmark = pytest.mark.django_db


def _days_ago(n):
    return timezone.now() - timedelta(days=n)


def test_registration_refuses_a_deadline_before_the_arrival_date(demo):
    """Decree 30 Art 24, PL VI II.18: a deadline before the day the document arrived is refused at
    registration, as it is at forwarding (it used to be accepted here)."""
    arrived = _days_ago(3)
    with pytest.raises(ValidationError) as refused:
        register_doc(demo.vanthu, arrived_at=arrived, deadline=timezone.localdate(arrived) - timedelta(days=1))
    assert "trước ngày đến" in refused.value.message_dict["deadline"][0]
    assert IncomingDocument.objects.count() == 0


def test_registration_records_a_past_deadline_after_the_arrival(demo):
    """Decree 30 Art 24, PL VI II.18: a register entered late (or from last months' paper book) records the
    deadline the document had, even if past; only one before the arrival date is refused."""
    arrived = _days_ago(5)
    document = register_doc(demo.vanthu, arrived_at=arrived, deadline=timezone.localdate(arrived))
    assert document.deadline == timezone.localdate(arrived)


def _api_data(demo, **extra):
    return {"register_id": incoming_register(demo.vanthu).pk, "issuer_name": "Bộ Giao thông vận tải",
            "notation": "12/BGTVT-KCHT", "issued_on": "2026-11-20",
            "document_type_id": DocumentType.objects.get(name="Công văn").pk,
            "summary": "V/v kiểm tra an toàn cầu yếu", "files": [pdf_upload()], **extra}


def test_api_registration_refuses_a_deadline_before_arrival(client, demo):
    """Decree 30 Art 24 through the API: 400 with the Vietnamese message naming the deadline, nothing
    registered."""
    client.force_login(demo.vanthu)
    arrived = timezone.localtime(_days_ago(2))
    response = client.post("/api/incoming/", _api_data(
        demo, arrived_at=arrived.isoformat(), deadline=(arrived.date() - timedelta(days=1)).isoformat()))
    assert response.status_code == 400, response.content
    assert "Hạn xử lý không được trước ngày đến" in response.json()["detail"][0]["msg"]
    assert response.json()["detail"][0]["field"] == "deadline"
    assert IncomingDocument.objects.count() == 0


def test_register_page_shows_the_refusal_at_the_deadline_field(client, demo):
    """Decree 30 Art 24 on the page: the message sits under the deadline field, nothing registered."""
    client.force_login(demo.vanthu)
    arrived = timezone.localtime(_days_ago(2))
    data = _api_data(demo, arrived_at=arrived.strftime("%Y-%m-%dT%H:%M"),
                     deadline=(arrived.date() - timedelta(days=1)).isoformat(),
                     register=incoming_register(demo.vanthu).pk, document_type=DocumentType.objects.get(
                         name="Công văn").pk, urgency="normal", confidentiality="normal", medium="electronic")
    response = client.post("/incoming/new/", data)
    assert response.status_code == 400
    assert "Hạn xử lý không được trước ngày đến" in response.context["form"].errors["deadline"][0]
    assert IncomingDocument.objects.count() == 0


def test_correction_and_forwarding_use_the_same_rule(client, demo):
    """Decree 30 Art 24: correcting the document's deadline refuses the same dates as registration, and so
    does forwarding (which also refuses a past day); an unchanged deadline does not block other corrections."""
    arrived = _days_ago(4)
    document = register_doc(demo.vanthu, arrived_at=arrived)
    before_arrival = timezone.localdate(arrived) - timedelta(days=1)
    with pytest.raises(ValidationError, match="trước ngày đến"):
        services.update_incoming(actor=demo.vanthu, document=document, changes={"deadline": before_arrival})
    client.force_login(demo.vanthu)
    response = client.patch(f"/api/incoming/{document.pk}", {"deadline": before_arrival.isoformat()},
                            content_type="application/json")
    assert response.status_code == 400 and "Hạn xử lý không được trước ngày đến" in response.json()["detail"][0]["msg"]
    assert response.json()["detail"][0]["field"] == "deadline"
    document.refresh_from_db()
    assert document.deadline is None

    for deadline, refusal in ((before_arrival, "trước ngày đến"), (timezone.localdate(arrived), "hôm nay")):
        with pytest.raises(ValidationError, match=refusal):
            flow.forward(actor=demo.giamdoc, assignment=root_of(document),
                         targets=[Target("main", person=demo["pgd.minh"])], deadline=deadline)
    IncomingDocument.objects.filter(pk=document.pk).update(deadline=before_arrival)  # from before the rule
    updated = services.update_incoming(actor=demo.vanthu, document=document, changes={"summary": "V/v sửa trích yếu"})
    assert updated.summary == "V/v sửa trích yếu" and updated.deadline == before_arrival


def test_a_correction_is_audited_with_the_old_value_but_not_a_secret_one(demo):
    """F-5.a (processing trail) and F-3.a: a correction keeps the old and new values in the audit trail,
    except for a confidential document, whose values the administrators reading the trail may not see."""
    from qlvb.audit.models import AuditEntry

    document = register_doc(demo.vanthu, notation="8/UBND-VP")
    services.update_incoming(actor=demo.vanthu, document=document, changes={"notation": "9/UBND-VP"})
    entry = AuditEntry.objects.get(action="incoming.update", object_id=str(document.pk))
    assert entry.changes["code_number"] == ["8", "9"]
    secret = register_doc(demo["vanthu.mat"], notation="3/BCA-A03", confidential=True, summary="Nội dung mật")
    services.update_incoming(actor=demo["vanthu.mat"], document=secret, changes={"summary": "Nội dung mật khác"})
    entry = AuditEntry.objects.get(action="incoming.update", object_id=str(secret.pk))
    assert entry.changes == {"summary": "***"}
