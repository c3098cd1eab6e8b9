"""The register books print as the paper books of Decree 30 Annex IV (Art 16.2.b outgoing, Art 22.3.b
incoming; Annex VI I.V lists them as system outputs): the columns in the decree's order, by register and
period, as PDF and Excel, closed and kept, and never listing a document the viewer may not open."""

import hashlib
import io
from datetime import datetime, time

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from qlvb.assignments import services as flow
from qlvb.assignments.services import Target
from qlvb.audit.models import AuditEntry
from qlvb.documents import selectors
from qlvb.documents.books import BOOKS, period_of
from qlvb.documents.models import ClosedBook, Register
from qlvb.files.storage import path_for
from qlvb.incoming import services as incoming_services
from qlvb.outgoing import services as outgoing
from tests.conftest import login
from tests.factories import incoming_register, register_doc, reply_path, root_of
from tests.outgoing.issuing import approve

pytestmark = pytest.mark.django_db

INCOMING_COLUMNS = ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu", "Ngày tháng văn bản",
                    "Tên loại và trích yếu nội dung", "Đơn vị hoặc người nhận", "Ngày chuyển", "Ký nhận", "Ghi chú"]
OUTGOING_COLUMNS = ["Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung", "Người ký",
                    "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản", "Ngày chuyển", "Ký nhận",
                    "Ghi chú"]
FOLLOWUP_COLUMNS = ["Số đến", "Tên loại, số, ký hiệu, ngày tháng văn bản, cơ quan ban hành và trích yếu",
                    "Đơn vị hoặc người nhận", "Thời hạn giải quyết", "Tiến độ giải quyết",
                    "Số, ký hiệu văn bản trả lời", "Ghi chú"]


def _year():
    return timezone.localdate().year


def _arriving(month, day=10):
    return timezone.make_aware(datetime.combine(timezone.localdate().replace(month=month, day=day), time(9, 0)))


def _march(register):
    return period_of(register.year, kind="month", month=3)


@pytest.fixture
def march(demo):
    """Two documents registered in March (one forwarded by the Director to the QLVT head), one in June."""
    first = register_doc(demo.vanthu, notation="12/UBND-KT", summary="V/v bảo trì đường tỉnh lộ 258",
                         arrived_at=_arriving(3, 5), issued_on=_arriving(3, 2).date(), send_to=demo.giamdoc)
    flow.forward(actor=demo.giamdoc, assignment=root_of(first), targets=[Target("main", person=demo["tp.qlvt"])])
    second = register_doc(demo.vanthu, notation="7/SXD-QLCL", issuer="Sở Xây dựng", arrived_at=_arriving(3, 20),
                          issued_on=_arriving(3, 18).date(), urgency="urgent")
    june = register_doc(demo.vanthu, notation="30/UBND-TH", arrived_at=_arriving(6), issued_on=_arriving(6, 1).date())
    return first, second, june


def test_incoming_book_has_the_ten_columns_of_annex_iv_in_order(demo, march, client):
    """Annex IV, Sổ đăng ký văn bản đến (Art 22.3.b): Ngày đến, Số đến, Tác giả, Số ký hiệu, Ngày tháng,
    Tên loại và trích yếu, Đơn vị hoặc người nhận, Ngày chuyển, Ký nhận, Ghi chú — filled from the
    document, its distribution and its receipt."""
    first, second, _june = march
    register = incoming_register(demo.vanthu)
    assert [str(c.title) for c in BOOKS["incoming"].columns] == INCOMING_COLUMNS
    rows = selectors.book_rows(demo.vanthu, BOOKS["incoming"], register, _march(register))
    assert [r.document_id for r in rows] == [first.pk, second.pk]  # by arrival number
    cells = rows[0].cells
    assert cells[:6] == [f"05/03/{_year()}", str(first.arrival_number), "UBND tỉnh Bắc Kạn", "12/UBND-KT",
                         f"02/03/{_year()}", "Công văn\nV/v bảo trì đường tỉnh lộ 258"]
    receivers = cells[6].split("\n")
    assert receivers[0].startswith("Nguyễn Văn Hùng") and "Phan Văn Đức" in receivers[1]
    assert "(xử lý chính)" in receivers[1]
    assert len(cells[7].split("\n")) == 2  # a transfer day per receiver
    assert rows[1].cells[9] == "Khẩn"

    login(client, demo.vanthu)
    page = client.get(f"/registers/incoming/?register={register.pk}&period=month&month=3").content.decode()
    heads = [page.index(f"<th>{title}</th>") for title in INCOMING_COLUMNS]
    assert heads == sorted(heads)
    assert "12/UBND-KT" in page and "7/SXD-QLCL" in page and "30/UBND-TH" not in page
    assert "Sở Giao thông vận tải".upper() in page.upper()


def test_period_is_a_month_a_quarter_the_year_or_from_to(demo, march, client):
    first, second, june = march
    register = incoming_register(demo.vanthu)
    login(client, demo.vanthu)

    def listed(query):
        answer = client.get(f"/api/registers/{register.pk}/books/incoming?{query}")
        assert answer.status_code == 200, answer.content
        return [row["document_id"] for row in answer.json()["rows"]]

    assert listed("period=month&month=3") == [first.pk, second.pk]
    assert listed("period=month&month=6") == [june.pk]
    assert listed("period=quarter&quarter=1") == [first.pk, second.pk]
    assert listed("period=quarter&quarter=2") == [june.pk]
    assert listed("period=year") == [first.pk, second.pk, june.pk]
    assert listed(f"period=range&start={_year()}-03-06&end={_year()}-06-30") == [second.pk, june.pk]

    refused = client.get(f"/api/registers/{register.pk}/books/incoming?period=range&start={_year() - 1}-03-06"
                         f"&end={_year()}-01-01")
    assert refused.status_code == 400
    assert [p["field"] for p in refused.json()["detail"]] == ["start"]
    page = client.get(f"/registers/incoming/?register={register.pk}&period=range&from={_year()}-05-01&to=")
    assert "Đến ngày: nhập ngày hợp lệ." in page.content.decode()


def test_confidential_register_book_is_only_for_its_keepers(demo, client):
    """Art 22.4: the confidential register is kept by named clerks; its book is 404 for anyone else, in
    the page, the files and the API."""
    secret = register_doc(demo["vanthu.mat"], confidential=True, notation="5/CA-PA03", summary="Kế hoạch bảo vệ")
    register = secret.register
    for who in ("vanthu", "cvp.lan", "giamdoc"):
        login(client, demo[who])
        for url in (f"/registers/incoming/?register={register.pk}", f"/registers/incoming/export/pdf/?register={register.pk}",
                    f"/api/registers/{register.pk}/books/incoming?period=year",
                    f"/api/registers/{register.pk}/books/incoming/file?period=year&fmt=xlsx"):
            assert client.get(url).status_code == 404, (who, url)
        assert register.pk not in [r["id"] for r in client.get("/api/registers/").json()]
    login(client, demo["vanthu.mat"])
    answer = client.get(f"/api/registers/{register.pk}/books/incoming?period=year").json()
    assert [row["document_id"] for row in answer["rows"]] == [secret.pk]


def test_a_book_never_lists_a_document_its_viewer_may_not_open(demo, client):
    """The head of the office reads the books from what they may open: a document sent to their unit is
    listed, one handled elsewhere is counted, never named, in the page, the files and the API; with
    documents missing, they cannot close the book (it would be incomplete)."""
    ordinary = incoming_register(demo.vanthu)
    ours = register_doc(demo.vanthu, notation="3/UBND-VP", summary="V/v lịch họp", arrived_at=_arriving(3, 4),
                        issued_on=_arriving(3, 1).date(), send_to=demo.giamdoc)
    flow.forward(actor=demo.giamdoc, assignment=root_of(ours), targets=[Target("main", person=demo["cvp.lan"])])
    theirs = register_doc(demo.vanthu, notation="9/UBND-KHTC", summary="V/v dự toán zqkhac",
                          arrived_at=_arriving(3, 12), issued_on=_arriving(3, 1).date(), send_to=demo.giamdoc)
    period = _march(ordinary)
    head = demo["cvp.lan"]
    assert [r.document_id for r in selectors.book_rows(head, BOOKS["incoming"], ordinary, period)] == [ours.pk]
    assert selectors.hidden_count(head, BOOKS["incoming"], ordinary, period) == 1
    assert len(selectors.book_rows(demo.vanthu, BOOKS["incoming"], ordinary, period)) == 2

    login(client, head)
    query = f"register={ordinary.pk}&period=month&month=3"
    for url in (f"/registers/incoming/?{query}", f"/registers/followup/?{query}",
                f"/api/registers/{ordinary.pk}/books/incoming?period=month&month=3"):
        text = client.get(url).content.decode()
        assert "zqkhac" not in text and theirs.notation not in text and ours.notation in text, url
    for fmt in ("pdf", "xlsx"):
        content = client.get(f"/registers/incoming/export/{fmt}/?{query}").getvalue()
        text = _pdf_text(content) if fmt == "pdf" else _xlsx_text(content)
        assert ours.notation in text and theirs.notation not in text
    closed = client.post(f"/registers/incoming/close/?{query}", follow=True)
    assert "1 văn bản bạn không được xem" in closed.content.decode()
    assert not ClosedBook.objects.exists()


def _xlsx_text(content: bytes) -> str:
    sheet = load_workbook(io.BytesIO(content)).active
    return "\n".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_pdf_is_a4_landscape_with_the_heading_and_columns_on_every_page(demo, client):
    """The printed book (Art 22.3.b): A4 landscape, the agency and book in the heading, the column
    titles and the page number on every page, every Vietnamese letter kept."""
    for n in range(45):
        register_doc(demo.vanthu, notation=f"{200 + n}/UBND-GT", summary=f"V/v đường Hồ Chí Minh đoạn số {n} ỹ ậ đ",
                     arrived_at=_arriving(3, 1 + n % 28), issued_on=_arriving(2, 1).date())
    register = incoming_register(demo.vanthu)
    login(client, demo.vanthu)
    response = client.get(f"/registers/incoming/export/pdf/?register={register.pk}&period=month&month=3")
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''S%E1%BB%95%20%C4%91%C4%83ng%20k%C3%BD" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.getvalue()))
    assert len(reader.pages) >= 2
    for number, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        assert float(box.width) > float(box.height)  # landscape
        assert round(float(box.width) / 72 * 25.4) == 297 and round(float(box.height) / 72 * 25.4) == 210
        text = page.extract_text()
        assert "Ngày chuyển" in text and "Số đến" in text, number  # the header row, repeated
        assert f"Trang {number}/{len(reader.pages)}" in text
        assert "Sở Giao thông vận tải" in text  # the running heading
    first = reader.pages[0].extract_text()
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN" in first and f"Tháng 03 năm {_year()}" in first
    everything = _pdf_text(response.getvalue())
    assert "200/UBND-GT" in everything and "244/UBND-GT" in everything
    assert "V/v đường Hồ Chí Minh đoạn số 7 ỹ ậ đ" in everything.replace("\n", " ")


def test_xlsx_has_the_same_columns_bold_frozen_and_sized(demo, march, client):
    first, _second, _june = march
    register = incoming_register(demo.vanthu)
    login(client, demo.vanthu)
    for url in (f"/registers/incoming/export/xlsx/?register={register.pk}&period=month&month=3",
                f"/api/registers/{register.pk}/books/incoming/file?period=month&month=3&fmt=xlsx"):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith(".xlsx")
        sheet = load_workbook(io.BytesIO(response.getvalue())).active
        header = [c.value for c in sheet[6]]
        assert header == INCOMING_COLUMNS
        assert all(c.font.bold for c in sheet[6])
        assert sheet.freeze_panes == "A7"
        assert sheet.column_dimensions["F"].width == 38
        assert [c.value for c in sheet[7]][3] == "12/UBND-KT"
        assert sheet.max_row == 8
        assert sheet["A1"].value == "SỞ GIAO THÔNG VẬN TẢI TỈNH BẮC KẠN" and sheet["A2"].value == "SỔ ĐĂNG KÝ VĂN BẢN ĐẾN"


def test_outgoing_book_has_the_ten_columns_of_annex_iv_in_order(demo, client):
    """Annex IV, Sổ đăng ký văn bản đi (Art 16.2.b): Số ký hiệu, Ngày tháng, Tên loại và trích yếu, Người
    ký, Nơi nhận, Đơn vị và người nhận bản lưu, Số lượng bản, Ngày chuyển, Ký nhận, Ghi chú."""
    _incoming, _record, draft = reply_path(demo)  # to the KHTC unit and UBND tỉnh Bắc Kạn
    issued = outgoing.issue(actor=demo.vanthu, draft=approve(demo, draft), sending="paper_electronic")
    register = issued.register
    today = timezone.localdate()
    period = period_of(register.year, kind="month", month=today.month)
    assert [str(c.title) for c in BOOKS["outgoing"].columns] == OUTGOING_COLUMNS
    (row,) = selectors.book_rows(demo.vanthu, BOOKS["outgoing"], register, period)
    cells = row.cells
    recipients = [str(r) for r in issued.recipients.all()]
    assert cells[0] == issued.notation and cells[1] == today.strftime("%d/%m/%Y")
    assert cells[2] == f"Công văn\n{issued.summary}" and cells[3] == "Trần Thị Mai"
    assert cells[4].split("\n") == recipients and cells[6] == str(len(recipients))
    assert cells[5] == "Phòng Quản lý vận tải – phương tiện và người lái\nTạ Văn Long"
    assert cells[7] == today.strftime("%d/%m/%Y") and cells[8] == ""
    assert "Gửi bản giấy và điện tử" in cells[9]

    login(client, demo.vanthu)
    page = client.get(f"/registers/outgoing/?register={register.pk}&period=month&month={today.month}")
    text = page.content.decode()
    heads = [text.index(f"<th>{title}</th>") for title in OUTGOING_COLUMNS]
    assert heads == sorted(heads) and issued.notation in text


def test_followup_book_has_the_seven_columns_and_the_reply(demo, client):
    """Annex IV, Sổ theo dõi giải quyết văn bản đến: Số đến, the document, Đơn vị hoặc người nhận, Thời
    hạn, Tiến độ, Số ký hiệu văn bản trả lời, Ghi chú."""
    incoming, _record, draft = reply_path(demo)
    reply = outgoing.issue(actor=demo.vanthu, draft=approve(demo, draft))
    register = incoming.register
    period = period_of(register.year, kind="month", month=timezone.localdate().month)
    assert [str(c.title) for c in BOOKS["followup"].columns] == FOLLOWUP_COLUMNS
    rows = selectors.book_rows(demo.vanthu, BOOKS["followup"], register, period)
    (row,) = [r for r in rows if r.document_id == incoming.pk]  # the reply was delivered inside as well
    assert row.cells[0] == str(incoming.arrival_number)
    assert row.cells[1].startswith(f"Công văn số {incoming.notation} ngày 20/11/2026 của UBND tỉnh Bắc Kạn")
    assert "Phan Văn Đức" in row.cells[2]
    assert row.cells[4].startswith("Đã giải quyết xong")
    assert row.cells[5] == reply.notation


def test_closing_keeps_the_printed_book_and_flags_later_changes(demo, march, client):
    """Art 22.3.b: the book is closed for a period; the PDF is kept under its SHA-256 with who closed it
    and when; a document registered or corrected in the closed period afterwards is flagged, not refused."""
    first, second, _june = march
    register = incoming_register(demo.vanthu)
    query = f"register={register.pk}&period=month&month=3"
    login(client, demo.vanthu)
    client.post(f"/registers/incoming/close/?{query}")
    closing = ClosedBook.objects.get()
    assert (closing.register, closing.book, closing.closed_by) == (register, "incoming", demo.vanthu)
    assert (closing.start.month, closing.end.month, closing.end.day) == (3, 3, 31)
    stored = path_for(closing.sha256).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == closing.sha256
    assert "12/UBND-KT" in _pdf_text(stored) and "7/SXD-QLCL" in _pdf_text(stored)
    entry = AuditEntry.objects.filter(action="register.book_closed").get()
    assert entry.changes["sha256"] == closing.sha256 and entry.actor == demo.vanthu

    page = client.get(f"/registers/incoming/?{query}").content.decode()
    assert 'data-testid="book-closed"' in page and 'data-testid="close-book"' not in page
    assert f"/registers/closed/{closing.pk}/download/" in page
    assert 'data-testid="row-flag"' not in page
    download = client.get(f"/registers/closed/{closing.pk}/download/")
    assert download.getvalue() == stored
    again = client.post(f"/registers/incoming/close/?{query}", follow=True)
    assert "Sổ đã được khóa cho Tháng 03" in again.content.decode()
    assert ClosedBook.objects.count() == 1

    late = register_doc(demo.vanthu, notation="99/UBND-KT", arrived_at=_arriving(3, 25), issued_on=_arriving(3).date())
    incoming_services.update_incoming(actor=demo.vanthu, document=second, changes={"summary": "V/v sửa trích yếu"})
    rows = {r.document_id: r.flag for r in selectors.book_rows(demo.vanthu, BOOKS["incoming"], register,
                                                               _march(register))}
    assert rows == {first.pk: "", second.pk: "changed", late.pk: "late"}
    page = client.get(f"/registers/incoming/?{query}").content.decode()
    assert "Vào sổ sau khi đã khóa sổ" in page and "Sửa sau khi đã khóa sổ" in page
    api = client.get(f"/api/registers/{register.pk}/books/incoming?period=month&month=3").json()
    assert api["closing"]["sha256"] == closing.sha256
    assert {r["document_id"]: r["flag"] for r in api["rows"]}[late.pk] == "late"

    not_over = client.post(f"/api/registers/{register.pk}/books/incoming/close?period=year")
    assert not_over.status_code == 400 and not_over.json()["detail"][0]["field"] == "end"
    quarter = client.post(f"/api/registers/{register.pk}/books/incoming/close?period=range&start={_year()}-01-01"
                          f"&end={_year()}-02-28")
    assert quarter.status_code == 201 and quarter.json()["download_url"]


def test_only_those_who_keep_the_registers_see_the_books(demo, client):
    """The clerks and the head of the office; an officer or a leader gets 404, and no menu entry."""
    register_doc(demo.vanthu)
    register = incoming_register(demo.vanthu)
    for who, status in (("vanthu", 200), ("cvp.lan", 200), ("cv.vp.hai", 404), ("giamdoc", 404), ("tp.khtc", 404)):
        login(client, demo[who])
        assert client.get(f"/registers/incoming/?register={register.pk}").status_code == status, who
        assert client.get(f"/api/registers/{register.pk}/books/incoming?period=year").status_code == status, who
        assert ('href="/registers/"' in client.get("/").content.decode()) == (status == 200), who
    assert Register.objects.filter(kind="incoming", is_confidential=True).exists()
