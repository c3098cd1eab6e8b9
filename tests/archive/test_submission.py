"""Nộp lưu (issue 13 item 4): closed records kept 5 years or more are submitted to the agency archive
within the deadline; the owner and the head are reminded 30 days before, once; the archivist (Lưu trữ)
accepts them into a handover (Biên bản giao nhận, Mục lục hồ sơ nộp lưu as PDF) or returns them with a
reason; keeping a record longer needs the head's approval, at most 2 years; an archived record is read-only."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from qlvb.archive import submission
from qlvb.archive.models import Handover, Submission
from qlvb.documents.models import FullTextEntry
from qlvb.monitoring import scheduler
from qlvb.monitoring.models import Notification
from qlvb.records import services
from qlvb.records.models import WorkRecord
from tests.factories import pdf_upload

pytestmark = pytest.mark.django_db


def _closed(demo, retention="10 năm", title="Hồ sơ cấp phép vận tải 2026", construction=False):
    officer = demo["cv.qlvt.long"]
    record = services.open_record(actor=officer, title=title, code="05.QLVT", retention=retention,
                                  start_date=date(2026, 2, 2))
    if construction:
        services.update_record(actor=officer, record=record, construction=True)
    services.add_note(actor=officer, record=record, text="Biên bản kiểm tra", upload=pdf_upload("bb.pdf", pages=2))
    return services.close_record(actor=officer, record=record, note="Xong")


def _notes(person, needle):
    return [n.text for n in Notification.objects.filter(recipient=person, kind="archive") if needle in n.text]


def test_deadline_one_year_or_three_months_for_construction(demo, settings):
    record = _closed(demo)
    closed_on = timezone.localdate(record.closed_at)
    assert submission.due_date(record) == submission.add_months(closed_on, 12)
    works = _closed(demo, title="Hồ sơ công trình đường tỉnh 257", construction=True)
    assert submission.due_date(works) == submission.add_months(closed_on, 3)
    settings.QLVB_SUBMISSION_MONTHS = 6
    assert submission.due_date(record) == submission.add_months(closed_on, 6)


def test_reminder_30_days_before_to_owner_and_head_once(demo):
    record = _closed(demo)
    due = submission.due_date(record)
    owner, head = demo["cv.qlvt.long"], demo["tp.qlvt"]
    assert scheduler.run_submission_reminders(due - timedelta(days=31)) == 0
    assert scheduler.run_submission_reminders(due - timedelta(days=30)) == 2
    assert scheduler.run_submission_reminders(due - timedelta(days=29)) == 0  # once only
    text = f"phải nộp lưu vào lưu trữ cơ quan trước ngày {due:%d/%m/%Y}"
    assert len(_notes(owner, text)) == 1 and len(_notes(head, text)) == 1
    short = _closed(demo, retention="3 năm", title="Hồ sơ ngắn hạn")
    assert scheduler.run_submission_reminders(submission.due_date(short)) == 0  # under 5 years: not submitted


def test_submit_accept_handover_pdfs_and_archived_is_read_only(demo, client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the reindexing asked so far runs
        record = _closed(demo)
    owner, archivist = demo["cv.qlvt.long"], demo["cv.vp.hai"]
    client.force_login(owner)
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert "Hạn nộp lưu" in page and f"{submission.due_date(record):%d/%m/%Y}" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("archive:submit", args=[record.pk]), follow=True)
    assert "chờ lưu trữ cơ quan tiếp nhận" in response.content.decode()
    assert _notes(archivist, record.title)

    client.force_login(archivist)
    page = client.get(reverse("archive:submissions")).content.decode()
    assert record.title in page and "Tạ Văn Long" in page
    sub = Submission.objects.get(record=record)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("archive:submissions"), {"submission": [sub.pk], "action": "accept"},
                               follow=True)
    # The search's status facet follows (a bulk update sends no signal; the service asks for it).
    assert FullTextEntry.objects.get(kind="record", object_id=record.pk).status == WorkRecord.Status.ARCHIVED
    handover = Handover.objects.get()
    assert response.redirect_chain[-1][0] == reverse("archive:handover", args=[handover.pk])
    page = response.content.decode()
    assert "Đã tiếp nhận 1 hồ sơ" in page and "Tạ Văn Long" in page and "05.QLVT" in page
    assert (handover.record_count, handover.file_count, handover.handed_by, handover.received_by) == (
        1, 1, owner, archivist)
    for kind in ("bien-ban", "muc-luc"):
        pdf = client.get(reverse("archive:handover_pdf", args=[handover.pk, kind]))
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert _notes(owner, "đã tiếp nhận 1 hồ sơ")

    record.refresh_from_db()
    assert record.status == WorkRecord.Status.ARCHIVED
    with pytest.raises(ValidationError, match="đã nộp lưu vào lưu trữ cơ quan: chỉ xem"):
        services.add_note(actor=owner, record=record, text="thêm")
    with pytest.raises(ValidationError, match="đã nộp lưu"):
        submission.submit(actor=owner, record=record)
    client.force_login(owner)
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert "Đã nộp lưu vào lưu trữ cơ quan" in page


def test_return_with_reason_notifies_the_owner_who_submits_again(demo, client):
    record = _closed(demo)
    owner, archivist = demo["cv.qlvt.long"], demo["cv.vp.hai"]
    sub = submission.submit(actor=owner, record=record)
    client.force_login(archivist)
    response = client.post(reverse("archive:submissions"), {"submission": [sub.pk], "action": "return",
                                                             "reason": ""}, follow=True)
    assert "Nhập lý do trả lại hồ sơ" in response.content.decode()
    client.post(reverse("archive:submissions"), {"submission": [sub.pk], "action": "return",
                                                 "reason": "Thiếu văn bản kết luận"})
    sub.refresh_from_db()
    assert sub.state == Submission.State.RETURNED
    assert _notes(owner, "Thiếu văn bản kết luận")
    client.force_login(owner)
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert "Lưu trữ trả lại" in page and "Thiếu văn bản kết luận" in page
    assert submission.submit(actor=owner, record=record).state == Submission.State.SUBMITTED


def test_under_five_years_and_others_records_cannot_be_submitted(demo):
    short = _closed(demo, retention="3 năm")
    with pytest.raises(ValidationError, match="dưới 5 năm"):
        submission.submit(actor=demo["cv.qlvt.long"], record=short)
    record = _closed(demo, retention="Vĩnh viễn")
    with pytest.raises(Exception, match="không có quyền"):
        submission.submit(actor=demo["cv.qlvt.trang"], record=record)


def test_non_archivists_get_404_on_the_archivist_pages(demo, client):
    record = _closed(demo)
    sub = submission.submit(actor=demo["cv.qlvt.long"], record=record)
    handover = submission.accept(actor=demo["cv.vp.hai"], submissions=[sub])
    for person in (demo["cv.qlvt.long"], demo.vanthu, demo.giamdoc):
        client.force_login(person)
        for url in (reverse("archive:submissions"), reverse("archive:handover", args=[handover.pk]),
                    reverse("archive:handover_pdf", args=[handover.pk, "bien-ban"])):
            assert client.get(url).status_code == 404, (person, url)
    with pytest.raises(Exception, match="không có quyền"):
        submission.accept(actor=demo.vanthu, submissions=[sub])


def test_keep_longer_needs_the_heads_approval_at_most_two_years(demo, client):
    record = _closed(demo)
    owner, head = demo["cv.qlvt.long"], demo["tp.qlvt"]
    due = submission.due_date(record)
    client.force_login(owner)
    response = client.post(reverse("archive:keep_request", args=[record.pk]),
                           {"until": f"{due + timedelta(days=800):%d/%m/%Y}", "reason": "Còn thanh tra"}, follow=True)
    assert "tối đa 2 năm" in response.content.decode()
    response = client.post(reverse("archive:keep_request", args=[record.pk]),
                           {"until": "31/02/2027", "reason": "Còn thanh tra"}, follow=True)
    assert "Giữ lại đến ngày: nhập ngày dạng ngày/tháng/năm" in response.content.decode()
    until = due + timedelta(days=365)
    client.post(reverse("archive:keep_request", args=[record.pk]), {"until": f"{until:%d/%m/%Y}",
                                                                    "reason": "Còn thanh tra"})
    assert submission.due_date(record) == due  # not until the head agrees
    client.force_login(demo["tp.khtc"])  # another unit's head: not theirs
    assert "Còn thanh tra" not in client.get(reverse("archive:keep")).content.decode()
    client.force_login(head)
    assert "Còn thanh tra" in client.get(reverse("archive:keep")).content.decode()
    keep = record.keep_requests.get()
    client.post(reverse("archive:keep"), {"keep": keep.pk, "decision": "approve"})
    assert submission.due_date(record) == until
    assert _notes(owner, f"Đồng ý giữ lại hồ sơ “{record.title}” đến {until:%d/%m/%Y}")
    # the reminder moves with the deadline
    assert scheduler.run_submission_reminders(due - timedelta(days=30)) == 0
    assert scheduler.run_submission_reminders(until - timedelta(days=30)) == 2


def test_archivist_in_menu(demo, client):
    client.force_login(demo["cv.vp.hai"])
    assert reverse("archive:submissions") in client.get(reverse("records:list")).content.decode()
    client.force_login(demo["cv.qlvt.long"])
    assert reverse("archive:submissions") not in client.get(reverse("records:list")).content.decode()




def test_api_submit_return_accept_keep(demo, client):
    record = _closed(demo, retention="Vĩnh viễn")
    owner, archivist = demo["cv.qlvt.long"], demo["cv.vp.hai"]
    client.force_login(owner)
    assert client.get("/api/archive/submissions").status_code == 404
    sub = client.post(f"/api/archive/records/{record.pk}/submit")
    assert sub.status_code == 201 and sub.json()["state"] == "submitted"
    again = client.post(f"/api/archive/records/{record.pk}/submit")
    assert again.status_code == 400 and "chờ lưu trữ tiếp nhận" in str(again.json())
    client.force_login(archivist)
    assert [s["record_id"] for s in client.get("/api/archive/submissions").json()] == [record.pk]
    returned = client.post(f"/api/archive/submissions/{sub.json()['id']}/return", {"reason": "Thiếu mục lục"},
                           content_type="application/json")
    assert returned.json()["state"] == "returned"
    client.force_login(owner)
    keep = client.post(f"/api/archive/records/{record.pk}/keep", {"until": "2099-01-01", "reason": "Còn dùng"},
                       content_type="application/json")
    assert keep.status_code == 400 and "tối đa 2 năm" in str(keep.json())
    sub = client.post(f"/api/archive/records/{record.pk}/submit").json()
    client.force_login(archivist)
    handover = client.post("/api/archive/submissions/accept", {"submission_ids": [sub["id"]]},
                           content_type="application/json")
    assert handover.status_code == 201 and handover.json()["record_ids"] == [record.pk]
    assert client.get(f"/api/archive/handovers/{handover.json()['id']}").json()["file_count"] == 1
    client.force_login(owner)
    listed = client.get("/api/records/", {"status": "archived"}).json()
    assert [r["id"] for r in listed["items"]] == [record.pk]


def test_owner_marks_a_construction_record_on_the_page_and_the_deadline_is_three_months(demo, client):
    officer = demo["cv.qlvt.long"]
    record = services.open_record(actor=officer, title="Hồ sơ công trình cầu Pắc Nặm", code="07.QLVT",
                                  retention="Vĩnh viễn", start_date=date(2026, 2, 2))
    client.force_login(officer)
    client.post(reverse("records:action", args=[record.pk, "update"]), {
        "title": record.title, "code": "07.QLVT", "retention": "Vĩnh viễn", "rights": "restricted",
        "language": "Tiếng Việt", "start_date": "02/02/2026", "notes": "", "construction": "on"})
    services.add_note(actor=officer, record=record, text="Quyết toán", upload=pdf_upload("qt.pdf"))
    record = services.close_record(actor=officer, record=WorkRecord.objects.get(pk=record.pk), note="Xong")
    due = submission.add_months(timezone.localdate(record.closed_at), 3)
    assert f"{due:%d/%m/%Y}" in client.get(reverse("records:detail", args=[record.pk])).content.decode()
