"""Issue 13, Done-when 1 and 2: a year of records management walked through the pages — the plan approved,
a record opened from it, an incoming document, its reply and the draft filed, closed, the 30-day reminder,
submitted, accepted; the archived record is read-only, its PDF export opens with the index and every
document in date order, its metadata XML validates against the schema in the repo. And a document filed in
two people's records is stored once and appears in both."""

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import etree
from pypdf import PdfReader

from qlvb.archive import record_export, submission
from qlvb.archive import services as plans
from qlvb.archive.models import Submission
from qlvb.documents.models import DocumentType
from qlvb.files.models import Blob
from qlvb.monitoring import scheduler
from qlvb.monitoring.models import Notification
from qlvb.outgoing import services as outgoing
from qlvb.records import services as records
from qlvb.records.models import WorkRecord
from tests.archive.archived import NS, SCHEMA, text_pdf, to_officer
from tests.outgoing.issuing import approve

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _schema():
    return etree.XMLSchema(etree.parse(str(ROOT / SCHEMA)))


def _page_texts(reader) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in reader.pages]


def _outline(reader) -> list[tuple[str, int]]:
    return [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]


def _plan_issued(demo, client, officer):
    office = demo.vanthu
    plan = plans.create_plan(actor=office, year=timezone.localdate().year)
    heading = plans.add_heading(actor=office, plan=plan, title="Quản lý vận tải", abbreviation="QLVT")
    item = plans.add_item(actor=office, plan=plan, heading=heading, retention="Vĩnh viễn", responsible=officer,
                          title="Hồ sơ trả lời UBND tỉnh về bảo trì đường bộ")
    client.force_login(demo.giamdoc)
    client.post(reverse("archive:plan_action", args=[plan.pk, "approve"]))
    plan.refresh_from_db()
    assert plan.state == "approved"
    return item


def _reply_draft(demo, record, officer):
    return records.save_draft(
        actor=officer, record=record, body="ZQDUTHAO Sở Giao thông vận tải báo cáo kết quả bảo trì như sau.",
        data={"document_type": DocumentType.objects.get(name="Công văn"), "summary": "V/v báo cáo bảo trì",
              "signer": demo["pgd.mai"], "signing_form": "KT."})


def test_a_year_from_the_plan_to_the_archive_and_the_exports(demo, client):
    officer, archivist = demo["cv.qlvt.long"], demo["cv.vp.hai"]
    today = timezone.localdate()
    item = _plan_issued(demo, client, officer)

    # The officer opens the planned record from the incoming document he handles.
    incoming = to_officer(demo, notation="45/UBND-KT", files=[text_pdf("cv-45.pdf", "ZQDEN45", pages=2)])
    client.force_login(officer)
    client.post(reverse("records:new"), {"plan_item": item.pk, "incoming": incoming.pk, "title": "",
                                         "start_date": f"{today - timedelta(days=60):%d/%m/%Y}"})
    record = WorkRecord.objects.get(plan_item=item)
    assert (record.code, record.retention) == ("01.QLVT", "Vĩnh viễn")

    # The reply's draft, its first version kept as the draft of record, a second version issued.
    draft = _reply_draft(demo, record, officer)
    client.post(reverse("records:action", args=[record.pk, "keep_draft"]), {"draft": draft.pk})
    records.save_draft(actor=officer, record=record, draft=draft, data={}, body="Sở GTVT báo cáo (bản hoàn chỉnh).")
    reply = outgoing.issue(actor=demo.vanthu, draft=approve(demo, draft))
    # An earlier letter on the same matter, filed last.
    earlier = to_officer(demo, notation="3/UBND-KT", days_ago=40, files=[text_pdf("cv-3.pdf", "ZQDEN3")])
    client.post(reverse("records:action", args=[record.pk, "file"]), {"incoming": earlier.pk})

    response = client.post(reverse("records:close", args=[record.pk]), {
        "title": record.title, "code": "01.QLVT", "retention": "Vĩnh viễn", "note": "Đã trả lời UBND tỉnh"},
        follow=True)
    assert "Đã đóng hồ sơ" in response.content.decode()
    record.refresh_from_db()
    assert (record.status, record.doc_total) == ("closed", 4)

    # Thirty days before the deadline the officer (and his head) are reminded.
    due = submission.due_date(record)
    assert scheduler.run_submission_reminders(due - timedelta(days=30)) == 2
    assert Notification.objects.filter(recipient=officer, kind="archive",
                                       text__contains=f"trước ngày {due:%d/%m/%Y}").count() == 1

    client.post(reverse("archive:submit", args=[record.pk]))
    client.force_login(archivist)
    sub = Submission.objects.get(record=record)
    client.post(reverse("archive:submissions"), {"submission": [sub.pk], "action": "accept"})

    # Archived: read-only for its owner.
    client.force_login(officer)
    page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
    assert "Đã nộp lưu vào lưu trữ cơ quan" in page and 'data-testid="close-record"' not in page
    response = client.post(reverse("records:action", args=[record.pk, "note"]), {"text": "thêm"}, follow=True)
    assert "đã nộp lưu vào lưu trữ cơ quan: chỉ xem, không thay đổi được" in response.content.decode()
    assert record.record_notes.count() == 0

    # The PDF: the index page, then every document in date order (the January letter first).
    archive_page = client.get(reverse("archive:archived", args=[record.pk])).content.decode()
    pdf_url = reverse("archive:archived_export", args=[record.pk, "pdf"])
    assert pdf_url in archive_page
    reader = PdfReader(io.BytesIO(client.get(pdf_url).content))
    texts = _page_texts(reader)
    assert "MỤC LỤC VĂN BẢN TRONG HỒ SƠ" in texts[0]
    reply_number = reply.notation.split("-")[0]  # the table may wrap the notation at its hyphen
    assert texts[0].index("1 3/UBND-KT") < texts[0].index("2 45/UBND-KT") < texts[0].index("Bản thảo (phiên bản 1)") \
        < texts[0].index(f"4 {reply_number}")
    outline = _outline(reader)
    assert outline[0] == ("Mục lục văn bản trong hồ sơ", 0)
    assert [title.split(" ")[0] for title, _p in outline[1:]] == ["1.", "2.", "3.", "4."]
    assert "3/UBND-KT" in outline[1][0] and "45/UBND-KT" in outline[2][0] and "Bản thảo" in outline[3][0]
    assert reply.notation in outline[4][0]
    starts = [page for _t, page in outline]
    assert starts == sorted(starts) and len(set(starts)) == 5
    assert "ZQDEN3 trang 1" in texts[starts[1]]
    assert "ZQDEN45 trang 1" in texts[starts[2]] and "ZQDEN45 trang 2" in texts[starts[2] + 1]
    assert "ZQDUTHAO" in texts[starts[3]]
    assert len(reader.pages) > starts[4]  # the issued reply's pages close the file

    # The metadata XML validates against the schema in the repository.
    xml = client.get(reverse("archive:archived_export", args=[record.pk, "xml"]))
    assert xml["Content-Type"] == "application/xml"
    document = etree.fromstring(xml.content)
    _schema().assertValid(document)
    assert document.findtext("h:FileCode/h:FileNotation", namespaces=NS) == "01.QLVT"
    assert document.findtext("h:Maintenance", namespaces=NS) == "Vĩnh viễn"
    assert document.findtext("h:DocTotal", namespaces=NS) == "4"
    notations = [d.findtext("h:CodeNotation", namespaces=NS) for d in document.iterfind("h:Documents/h:Document", NS)]
    assert notations[:2] == ["UBND-KT", "UBND-KT"] and notations[3] == reply.notation.split("/", 1)[1]
    first = document.find("h:Documents/h:Document", NS)
    assert first.findtext("h:Attachment/h:Sha256", namespaces=NS) == earlier.attachments.get().blob_id


def test_a_document_in_two_peoples_records_is_stored_once_and_in_both(demo, client):
    shared = to_officer(demo, notation="77/UBND-KT", files=[text_pdf("cv-77.pdf", "ZQCHUNG")])
    blobs = Blob.objects.count()
    officer, director = demo["cv.qlvt.long"], demo.giamdoc
    client.force_login(officer)
    client.post(reverse("records:new"), {"incoming": shared.pk, "title": "Hồ sơ của Long", "code": "07.QLVT",
                                         "retention": "10 năm", "start_date": f"{timezone.localdate():%d/%m/%Y}"})
    mine = WorkRecord.objects.get(owner=officer)
    client.force_login(director)
    client.post(reverse("records:new"), {"title": "Hồ sơ chỉ đạo của Giám đốc", "code": "02.VP", "retention": "20 năm",
                                         "start_date": f"{timezone.localdate():%d/%m/%Y}"})
    theirs = WorkRecord.objects.get(owner=director)
    client.post(reverse("records:action", args=[theirs.pk, "file"]), {"incoming": shared.pk})
    sha256 = shared.attachments.get().blob_id
    for person, record in ((officer, mine), (director, theirs)):
        client.force_login(person)
        assert "77/UBND-KT" in client.get(reverse("records:detail", args=[record.pk])).content.decode()
        records.close_record(actor=person, record=record, note="Xong")
        sub = submission.submit(actor=person, record=record)
        submission.accept(actor=demo["cv.vp.hai"], submissions=[sub])
        page = client.get(reverse("records:detail", args=[record.pk])).content.decode()
        assert f"SHA-256 {sha256}" in page  # the index fixed at closing names the one stored file
        xml = etree.fromstring(client.get(reverse("archive:archived_export", args=[record.pk, "xml"])).content)
        assert [a.text for a in xml.iterfind(".//h:Attachment/h:Sha256", NS)] == [sha256]
        texts = _page_texts(PdfReader(io.BytesIO(
            client.get(reverse("archive:archived_export", args=[record.pk, "pdf"])).content)))
        assert any("ZQCHUNG trang 1" in text for text in texts)
    assert Blob.objects.count() == blobs


def test_historical_package_of_permanent_records(demo, client):
    from tests.archive.archived import archived

    permanent = archived(demo, title="Hồ sơ quy hoạch bến xe", code="01.QLVT", retention="Vĩnh viễn")
    ten_years = archived(demo, title="Hồ sơ kiểm tra", code="02.QLVT", retention="10 năm")
    client.force_login(demo["cv.vp.hai"])
    page = client.get(reverse("archive:archive_search")).content.decode()
    assert 'data-testid="historical-export"' in page
    response = client.post(reverse("archive:historical_export"), {"record": [permanent.pk, ten_years.pk]},
                           follow=True)
    assert "chỉ hồ sơ vĩnh viễn được nộp lưu vào lưu trữ lịch sử" in response.content.decode()
    response = client.post(reverse("archive:historical_export"), {"record": [permanent.pk]})
    assert response["Content-Type"] == "application/zip"
    package = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    folder = record_export._folder(permanent)
    names = package.namelist()
    assert {"GoiNopLuu.xml", f"{folder}/HoSo.xml", f"{folder}/MucLuc.pdf"} <= set(names)
    manifest = etree.fromstring(package.read("GoiNopLuu.xml"))
    _schema().assertValid(manifest)
    assert manifest.findtext("h:FileAmount", namespaces=NS) == "1"
    _schema().assertValid(etree.fromstring(package.read(f"{folder}/HoSo.xml")))
    assert record_export.pdfa_level(package.read(f"{folder}/MucLuc.pdf")) == "3B"
    attachment = manifest.find(".//h:Attachment", NS)
    path = attachment.findtext("h:Path", namespaces=NS)
    assert path in names and attachment.findtext("h:Source", namespaces=NS) == "original"
    # The incoming scan is not PDF/A and no conversion is available: packaged as stored, marked so.
    assert attachment.findtext("h:PdfA", namespaces=NS) == ""
    assert package.read(path).startswith(b"%PDF")
    # The record's access history says it left in the package (the ten-year one, refused, did not).
    from qlvb.audit.models import AccessLog

    exported = AccessLog.objects.filter(action=AccessLog.Kind.EXPORT, file_name__startswith="Goi nop luu")
    assert [(e.object_id, e.person_id) for e in exported] == [(permanent.pk, demo["cv.vp.hai"].pk)]
