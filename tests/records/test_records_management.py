"""Records management (issue 13, items 2–3): records opened from the approved file plan or ad hoc with the
record fields of Annex VI III, documents filed by reference and numbered, the closing checklist, the
index filled by the system, and the frozen closed record with its checksums."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from qlvb.archive import services as plans
from qlvb.files.models import Blob
from qlvb.files.storage import open_verified
from qlvb.outgoing import services as outgoing
from qlvb.records import services
from qlvb.records.models import RecordDocument, WorkRecord
from tests.factories import pdf_upload, register_doc, reply_path, root_of
from tests.outgoing.issuing import approve

pytestmark = pytest.mark.django_db


def _to_officer(demo, **extra):
    """An incoming document forwarded by the Director to the head of QLVT, then to the officer Long."""
    from qlvb.assignments import services as flow
    from qlvb.assignments.services import Target

    document = register_doc(demo.vanthu, **extra)
    head = flow.forward(actor=demo.giamdoc, assignment=root_of(document),
                        targets=[Target("main", person=demo["tp.qlvt"])])[0]
    flow.forward(actor=demo["tp.qlvt"], assignment=head, targets=[Target("main", person=demo["cv.qlvt.long"])])
    return document


@pytest.fixture
def plan_item(demo):
    plan = plans.create_plan(actor=demo.vanthu, year=date.today().year)
    heading = plans.add_heading(actor=demo.vanthu, plan=plan, title="Quản lý vận tải", abbreviation="QLVT")
    plans.add_item(actor=demo.vanthu, plan=plan, heading=heading, title="Hồ sơ cấp giấy phép kinh doanh vận tải",
                   retention="20 năm", responsible=demo["cv.qlvt.long"])
    item = plans.add_item(actor=demo.vanthu, plan=plan, heading=heading, title="Hồ sơ trả lời UBND tỉnh",
                          retention="Vĩnh viễn", responsible=demo["cv.qlvt.long"])
    return item


def test_open_from_the_approved_plan_takes_code_title_retention(demo, plan_item, client):
    officer = demo["cv.qlvt.long"]
    with pytest.raises(ValidationError, match="đã ban hành"):
        services.open_record(actor=officer, plan_item=plan_item)
    plans.approve_plan(actor=demo.giamdoc, plan=plan_item.plan)
    client.force_login(officer)
    page = client.get(reverse("records:new"), {"plan_item": plan_item.pk}).content.decode()
    assert "02.QLVT" in page and "Vĩnh viễn" in page
    response = client.post(reverse("records:new"), {"plan_item": plan_item.pk, "title": "",
                                                    "start_date": "2026-12-01"}, follow=True)
    record = WorkRecord.objects.get(plan_item=plan_item)
    assert (record.code, record.title, record.retention) == ("02.QLVT", "Hồ sơ trả lời UBND tỉnh", "Vĩnh viễn")
    assert record.year == plan_item.plan.year and record.file_code.endswith(f".{record.year}.02.QLVT")
    assert "02.QLVT" in response.content.decode()


def test_open_ad_hoc_with_code_retention_start_date_and_refusal_names_the_field(demo, client):
    client.force_login(demo["cv.qlvt.long"])
    response = client.post(reverse("records:new"), {"title": "Kiểm tra xe khách Tết", "code": "15.QLVT",
                                                    "retention": "mãi mãi", "start_date": "2026-11-02"})
    assert "Thời hạn bảo quản" in response.content.decode() and not WorkRecord.objects.exists()
    client.post(reverse("records:new"), {"title": "Kiểm tra xe khách Tết", "code": "15.QLVT",
                                         "retention": "5 năm", "start_date": "2026-11-02"})
    record = WorkRecord.objects.get()
    assert (record.code, record.retention_years, record.start_date) == ("15.QLVT", 5, date(2026, 11, 2))


def test_one_document_in_two_peoples_records_is_stored_once(demo):
    shared = _to_officer(demo)
    blobs = Blob.objects.count()
    mine = services.open_record(actor=demo["cv.qlvt.long"], title="Hồ sơ của Long", incoming=shared)
    services.share(actor=demo["cv.qlvt.long"], record=mine, person=demo["cv.qlvt.trang"])
    theirs = services.open_record(actor=demo.giamdoc, title="Hồ sơ của Giám đốc")
    services.file_document(actor=demo.giamdoc, record=theirs, incoming=shared)
    assert Blob.objects.count() == blobs
    assert set(RecordDocument.objects.filter(incoming=shared).values_list("record", flat=True)) == {mine.pk,
                                                                                                    theirs.pk}
    with pytest.raises(Exception):  # noqa: B017,PT011 - the officer of another unit cannot open it
        services.file_document(actor=demo["cv.khtc.nga"], record=services.open_record(
            actor=demo["cv.khtc.nga"], title="Khác"), incoming=shared)


def _closed_record(demo):
    """An incoming document, an earlier one filed later, the reply's draft kept, the reply issued, a photo."""
    officer = demo["cv.qlvt.long"]
    incoming, record, draft = reply_path(demo)
    earlier = _to_officer(demo, issued_on=date(2026, 1, 5), files=[pdf_upload(pages=3)])
    services.file_document(actor=officer, record=record, incoming=earlier)
    services.file_document(actor=officer, record=record, version=draft.latest)
    document = outgoing.issue(actor=demo.vanthu, draft=approve(demo, draft))
    services.add_note(actor=officer, record=record, text="Ảnh hiện trường", upload=pdf_upload("anh.pdf", pages=2))
    copy = open_verified(incoming.attachments.first().blob)
    services.add_note(actor=officer, record=record, text="Bản chụp lại",
                      upload=SimpleUploadedFile("ban-chup.pdf", copy, content_type="application/pdf"))
    return officer, record, incoming, earlier, document


def test_closing_checklist_index_totals_and_freeze(demo, client):
    officer, record, incoming, earlier, document = _closed_record(demo)
    assert record.documents.filter(outgoing=document).exists()  # issuing filed the reply
    with pytest.raises(ValidationError) as refused:
        services.close_record(actor=officer, record=record, note="Xong")
    assert "Số và ký hiệu hồ sơ" in str(refused.value) and "Thời hạn bảo quản" in str(refused.value)
    client.force_login(officer)
    page = client.get(reverse("records:close", args=[record.pk])).content.decode()
    assert "Văn bản trùng" in page and "Số và ký hiệu hồ sơ" in page
    response = client.post(reverse("records:close", args=[record.pk]),
                           {"title": record.title, "code": "09.QLVT", "retention": "10 năm", "note": "Xong"},
                           follow=True)
    assert "Đã đóng hồ sơ" in response.content.decode()
    record.refresh_from_db()
    assert record.status == "closed" and record.code == "09.QLVT" and record.retention_years == 10
    entries = list(record.documents.order_by("ordinal"))
    kinds = [(e.ordinal, e.kind) for e in entries]
    assert kinds[0] == (1, "incoming") and entries[0].incoming == earlier  # date order: January first
    assert [k for _o, k in kinds] == ["incoming", "incoming", "draft", "outgoing", "file"]  # the copy is gone
    assert record.doc_total == 5 and record.page_total == 3 + 1 + (document.page_count or 1) + 2
    assert all(e.checksums for e in entries if e.kind != "draft")
    assert entries[0].checksums[0]["sha256"] == earlier.attachments.first().blob_id
    assert len(record.index_sha256) == 64 and record.end_date >= record.start_date
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert "Mục lục văn bản trong hồ sơ" in page and earlier.attachments.first().blob_id in page
    assert "1–3" in page  # pages run on from document to document

    frozen = "đã đóng"
    for attempt in (
        lambda: services.file_document(actor=officer, record=record, outgoing=document),
        lambda: services.unfile_document(actor=officer, record=record, entry=entries[0]),
        lambda: services.add_note(actor=officer, record=record, text="thêm"),
        lambda: services.update_record(actor=officer, record=record, title="Đổi tên"),
    ):
        with pytest.raises(ValidationError, match=frozen):
            attempt()
    response = client.post(reverse("records:action", args=[record.pk, "unfile"]), {"entry": entries[0].pk},
                           follow=True)
    assert "đã đóng: không thêm, bớt hay sửa được" in response.content.decode()
    assert record.documents.count() == 5


def test_drafts_not_kept_leave_the_index_and_open_work_needs_a_note(demo):
    officer = demo["cv.qlvt.long"]
    _incoming, record, draft = reply_path(demo)
    services.submit(actor=officer, draft=draft)
    services.update_record(actor=officer, record=record, code="03.QLVT", retention="5 năm")
    with pytest.raises(ValidationError, match="Ghi chú khi đóng"):
        services.close_record(actor=officer, record=record)
    services.close_record(actor=officer, record=record, note="Chuyển người khác tiếp tục")
    record.refresh_from_db()
    assert list(record.documents.values_list("kind", flat=True)) == ["incoming"]
    assert record.doc_total == 1


def test_unfiling_closes_up_the_numbers(demo):
    officer = demo["cv.qlvt.long"]
    _incoming, record, draft = reply_path(demo)
    services.file_document(actor=officer, record=record, version=draft.latest)
    note = services.add_note(actor=officer, record=record, text="Tài liệu", upload=pdf_upload("tl.pdf"))
    services.unfile_document(actor=officer, record=record, entry=record.documents.get(ordinal=2))
    assert list(record.documents.values_list("ordinal", "note")) == [(1, None), (2, note.pk)]


def test_api_opens_files_checks_and_closes(demo, client):
    officer = demo["cv.qlvt.long"]
    document = _to_officer(demo)
    client.force_login(officer)
    body = client.post("/api/records/", {"title": "Hồ sơ qua API", "code": "21.QLVT", "retention": "Vĩnh viễn"},
                       content_type="application/json").json()
    assert body["retention"] == "Vĩnh viễn" and body["code"] == "21.QLVT"
    entry = client.post(f"/api/records/{body['id']}/documents", {"incoming_id": document.pk},
                        content_type="application/json").json()
    assert entry["ordinal"] == 1 and entry["notation"] == document.notation
    checks = client.get(f"/api/records/{body['id']}/closing-checklist").json()
    assert not any(c["blocking"] for c in checks if c["key"] != "unfinished")
    closed = client.post(f"/api/records/{body['id']}/close", {"note": "Lưu"}, content_type="application/json")
    assert closed.status_code == 200 and closed.json()["doc_total"] == 1 and closed.json()["index_sha256"]
    index = client.get(f"/api/records/{body['id']}/index").json()
    assert index[0]["checksums"][0]["sha256"] == document.attachments.first().blob_id
    refused = client.patch(f"/api/records/{body['id']}", {"title": "Khác"}, content_type="application/json")
    assert refused.status_code == 400 and "đã đóng" in str(refused.json())


def test_page_corrects_the_record_fields_while_open(demo, client):
    officer = demo["cv.qlvt.long"]
    record = services.open_record(actor=officer, title="Hồ sơ cũ")
    client.force_login(officer)
    response = client.post(reverse("records:action", args=[record.pk, "update"]), {
        "title": "Hồ sơ mới", "code": "11.QLVT", "retention": "Vĩnh viễn", "rights": "public",
        "language": "Tiếng Việt", "start_date": "2026-10-01", "notes": ""}, follow=True)
    page = response.content.decode()
    assert "Hồ sơ mới" in page and "11.QLVT" in page and "Vĩnh viễn" in page and "Công khai" in page
    client.force_login(demo["cv.qlvt.trang"])
    assert client.post(reverse("records:action", args=[record.pk, "update"]), {"title": "x"}).status_code == 404
