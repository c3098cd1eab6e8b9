"""Hủy tài liệu hết giá trị (issue 13 item 6): an archived record whose retention ran out is proposed by
the archivist with a reason, approved by the head of the agency with the council's decision, then its
documents and files are destroyed; its metadata and the Biên bản hủy tài liệu stay. A permanent record
never appears in the list and cannot be proposed."""

import hashlib
import io
import unicodedata
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from qlvb.archive import submission
from qlvb.archive.models import DestroyedFile, Disposal
from qlvb.audit.models import AuditEntry
from qlvb.audit.services import log_access
from qlvb.files import backends
from qlvb.files.models import Blob
from qlvb.monitoring.models import Notification
from qlvb.records import services
from qlvb.records.models import WorkRecord
from tests.factories import pdf_bytes, pdf_upload

pytestmark = pytest.mark.django_db


def _unique_pdf(name: str, title: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": title})  # different bytes, so a content of its own
    buffer = io.BytesIO()
    writer.write(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


def _archived(demo, *, title, code, retention, ended: date, uploads=()):
    """A record closed, submitted and accepted by the archive, whose work ended on `ended`."""
    officer, archivist = demo["cv.qlvt.long"], demo["cv.vp.hai"]
    record = services.open_record(actor=officer, title=title, code=code, retention=retention,
                                  start_date=date(ended.year, 1, 5))
    for n, upload in enumerate(uploads or [pdf_upload(pages=1)], start=1):
        services.add_note(actor=officer, record=record, text=f"Biên bản {code} số {n}", upload=upload)
    record = services.close_record(actor=officer, record=record, note="Xong")
    submission.accept(actor=archivist, submissions=[submission.submit(actor=officer, record=record)])
    WorkRecord.objects.filter(pk=record.pk).update(end_date=ended)  # the work ended years ago
    return WorkRecord.objects.get(pk=record.pk)


@pytest.fixture
def expired(demo):
    """Two files: one of its own, one (two blank pages) that other records may hold too."""
    return _archived(demo, title="Hồ sơ kiểm tra xe khách Tết 2015", code="07.QLVT", retention="5 năm",
                     ended=date(2015, 3, 1),
                     uploads=[_unique_pdf("kiem-tra.pdf", "kiem tra xe khach 2015"), pdf_upload(pages=2)])


@pytest.fixture
def permanent(demo):
    return _archived(demo, title="Hồ sơ quy hoạch bến xe 2010", code="01.QLVT", retention="Vĩnh viễn",
                     ended=date(2010, 6, 1), uploads=[_unique_pdf("quy-hoach.pdf", "quy hoach 2010")])


def _today() -> str:
    return f"{timezone.localdate():%d/%m/%Y}"


def _audited(record, action):
    return AuditEntry.objects.filter(action=action, object_type="records.workrecord", object_id=str(record.pk)).exists()


def test_expired_record_proposed_approved_destroyed_keeps_metadata_and_report(
        demo, client, expired, permanent, django_capture_on_commit_callbacks):
    archivist, director, owner = demo["cv.vp.hai"], demo["giamdoc"], demo["cv.qlvt.long"]
    shared_sha = hashlib.sha256(pdf_bytes(2)).hexdigest()
    own_sha = ({d.note.blob_id for d in expired.documents.select_related("note")} - {shared_sha}).pop()
    # The two-page file is in another, living record too: that content must survive.
    living = services.open_record(actor=owner, title="Hồ sơ đang làm", code="09.QLVT", retention="5 năm",
                                  start_date=date(2026, 1, 5))
    services.add_note(actor=owner, record=living, text="Bản sao", upload=pdf_upload("ban-sao.pdf", pages=2))
    # The own file was downloaded once: the access history names it, and is never changed.
    log_access(person=owner, action="download", obj=expired, blob=Blob.objects.get(pk=own_sha), file_name="kt.pdf")

    # The archivist's list: the expired record, never the permanent one (its work ended even earlier).
    client.force_login(archivist)
    page = client.get(reverse("archive:disposals")).content.decode()
    assert expired.title in page and "2020" in page  # kept to the end of 2015 + 5 years
    assert permanent.title not in page
    response = client.post(reverse("archive:disposals"), {"record": [expired.pk],
                                                          f"reason-{expired.pk}": "Hết thời hạn bảo quản 5 năm"},
                           follow=True)
    disposal = Disposal.objects.get()
    assert "chờ lãnh đạo cơ quan phê duyệt" in response.content.decode()
    assert disposal.state == "proposed" and disposal.items.get().reason == "Hết thời hạn bảo quản 5 năm"
    assert Notification.objects.filter(recipient=director, kind="archive", text__contains="Đề nghị hủy 1 hồ sơ").exists()
    assert 'data-testid="expired-records"' not in client.get(reverse("archive:disposals")).content.decode()

    # A deputy director does not decide (nor see) disposals; the Director records the decision.
    client.force_login(demo["pgd.mai"])
    assert client.get(reverse("archive:disposal", args=[disposal.pk])).status_code == 404
    client.force_login(director)
    url = reverse("archive:disposal", args=[disposal.pk])
    refused = client.post(url, {"action": "approve", "decision_number": "", "decision_date": _today(),
                                "council": "Nguyễn Văn A"}, follow=True)
    assert "Nhập số quyết định hủy tài liệu." in refused.content.decode()
    client.post(url, {"action": "approve", "decision_number": "15/QĐ-SGTVT", "decision_date": _today(),
                      "council": "Phó Giám đốc Lê Thị Mai\nChánh Văn phòng\nLưu trữ viên Vũ Đức Hải"})
    disposal.refresh_from_db()
    assert (disposal.state, disposal.decision_number, disposal.decided_by) == ("approved", "15/QĐ-SGTVT", director)
    assert len(disposal.council_members) == 3

    # The archivist carries it out.
    client.force_login(archivist)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "destroy"}, follow=True)
    assert "Đã hủy tài liệu và lập biên bản hủy tài liệu." in response.content.decode()
    disposal.refresh_from_db()
    assert disposal.state == "disposed" and disposal.file_count == 2

    # The documents and the record's own file are gone, from the database and the store (the file's
    # row stays only as what the access history names; the store check knows it was destroyed)...
    record = WorkRecord.objects.get(pk=expired.pk)
    assert record.documents.count() == 0 and not record.record_notes.exists()
    assert DestroyedFile.objects.filter(sha256=own_sha, disposal=disposal).exists()
    assert not backends.current().path(backends.key_for(own_sha)).exists()
    call_command("verify_files", stdout=io.StringIO())
    # ...but not a content another record still holds.
    assert Blob.objects.filter(pk=shared_sha).exists() and not DestroyedFile.objects.filter(sha256=shared_sha).exists()
    assert backends.current().path(backends.key_for(shared_sha)).exists()
    # The record's metadata stays, with the index of what was destroyed.
    assert (record.title, record.code, record.retention, record.doc_total) == (expired.title, "07.QLVT", "5 năm", 2)
    assert {f["sha256"] for row in disposal.items.get().contents for f in row["files"]} == {own_sha, shared_sha}

    # The report: Biên bản hủy tài liệu as a PDF with the list.
    pdf = client.get(reverse("archive:disposal_report", args=[disposal.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages
    text = " ".join(unicodedata.normalize("NFC", " ".join(p.extract_text() for p in pages)).split())
    assert "07.QLVT" in text and "15/QĐ-SGTVT" in text and "Hết thời hạn bảo quản 5 năm" in text

    # The owner still opens the record's page, which says what happened.
    client.force_login(owner)
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert "Tài liệu của hồ sơ đã hủy" in page and "15/QĐ-SGTVT" in page

    for action in ("archive.disposal_propose", "archive.disposal_approve", "archive.dispose"):
        assert _audited(record, action), action


def test_permanent_record_cannot_be_proposed(demo, client, permanent):
    client.force_login(demo["cv.vp.hai"])
    assert client.get("/api/archive/disposals/expired").json() == []
    response = client.post("/api/archive/disposals", {"items": [{"record_id": permanent.pk, "reason": "Cũ"}]},
                           content_type="application/json")
    assert response.status_code == 400
    assert "có thời hạn bảo quản Vĩnh viễn: không được đề nghị hủy" in str(response.json())
    assert not Disposal.objects.exists()


def test_api_walk_and_refusals(demo, client, expired):
    archivist, director = demo["cv.vp.hai"], demo["giamdoc"]
    client.force_login(demo["cv.qlvt.long"])
    assert client.get("/api/archive/disposals/expired").status_code == 404
    assert client.get("/api/archive/disposals").json() == []

    client.force_login(archivist)
    assert [r["id"] for r in client.get("/api/archive/disposals/expired").json()] == [expired.pk]
    no_reason = client.post("/api/archive/disposals", {"items": [{"record_id": expired.pk, "reason": " "}]},
                            content_type="application/json")
    assert no_reason.status_code == 400 and "lý do hủy hồ sơ" in str(no_reason.json())
    # An id past what the database holds names no record (found by the API fuzzing: SQLite refused it).
    huge = client.post("/api/archive/disposals", {"items": [{"record_id": 2**64, "reason": "Hết hạn"}]},
                       content_type="application/json")
    assert huge.status_code == 404
    made = client.post("/api/archive/disposals", {"items": [{"record_id": expired.pk, "reason": "Hết hạn"}]},
                       content_type="application/json")
    assert made.status_code == 201 and made.json()["state"] == "proposed"
    disposal_id = made.json()["id"]
    again = client.post("/api/archive/disposals", {"items": [{"record_id": expired.pk, "reason": "Hết hạn"}]},
                        content_type="application/json")
    assert again.status_code == 400 and "đã có trong Đề nghị hủy tài liệu số 1" in str(again.json())
    early = client.post(f"/api/archive/disposals/{disposal_id}/destroy")
    assert early.status_code == 400 and "Chờ phê duyệt" in str(early.json())
    # The archivist does not approve their own proposal.
    assert client.post(f"/api/archive/disposals/{disposal_id}/approve",
                       {"decision_number": "1/QĐ", "decision_date": f"{timezone.localdate()}", "council": ["A"]},
                       content_type="application/json").status_code == 403

    client.force_login(director)
    approved = client.post(f"/api/archive/disposals/{disposal_id}/approve",
                           {"decision_number": "1/QĐ", "decision_date": f"{timezone.localdate()}", "council": ["A", "B"]},
                           content_type="application/json")
    assert approved.status_code == 200 and approved.json()["council_members"] == ["A", "B"]

    client.force_login(archivist)
    done = client.post(f"/api/archive/disposals/{disposal_id}/destroy").json()
    assert done["state"] == "disposed" and done["items"][0]["documents_destroyed"] == 2 and done["report_sha256"]
    assert client.get(f"/api/archive/disposals/{disposal_id}/report")["Content-Type"] == "application/pdf"
    # Once destroyed, the record is not expired-and-waiting any more.
    assert client.get("/api/archive/disposals/expired").json() == []


def test_refused_proposal_frees_the_records(demo, client, expired):
    from qlvb.archive import disposal as service

    proposal = service.propose(actor=demo["cv.vp.hai"], items=[(expired, "Hết hạn")])
    client.force_login(demo["giamdoc"])
    client.post(reverse("archive:disposal", args=[proposal.pk]), {"action": "refuse", "refusal_reason": "Còn giá trị"})
    proposal.refresh_from_db()
    assert proposal.state == "refused" and proposal.refusal_reason == "Còn giá trị"
    assert WorkRecord.objects.get(pk=expired.pk).documents.count() == 2
    client.force_login(demo["cv.vp.hai"])
    assert expired.title in client.get(reverse("archive:disposals")).content.decode()


def test_record_not_expired_is_refused(demo):
    from django.core.exceptions import ValidationError

    from qlvb.archive import disposal as service

    young = _archived(demo, title="Hồ sơ năm ngoái", code="08.QLVT", retention="10 năm", ended=date(2025, 5, 1))
    with pytest.raises(ValidationError, match="còn thời hạn bảo quản đến hết năm 2035"):
        service.propose(actor=demo["cv.vp.hai"], items=[(young, "Hết hạn")])
