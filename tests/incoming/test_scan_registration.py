"""Registration from the scan (issue 12 item 3), through the registration page: the clerk picks a scan,
the page (HTMX) gets the suggestions for the fields she has left empty, each with its confidence; a
document printed to PDF is read at once from its text layer, an image-only scan by OCR in the task queue
while the page polls. Documents are generated here with the product's own renderer."""

import datetime
import html
import io
import re
import shutil

import pytest

from qlvb.documents.models import DocumentType, ExternalAgency
from qlvb.files.models import Blob
from qlvb.incoming.models import IncomingDocument
from qlvb.outgoing.rendering.content import DocumentData, date_line
from qlvb.outgoing.rendering.html import render_html
from qlvb.outgoing.rendering.overlay import write_text
from tests.files.builders import upload

pytestmark = pytest.mark.django_db
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="Tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-vie)")


def rendered(type_name: str, notation: str, day: datetime.date, summary: str) -> bytes:
    data = DocumentData(
        agency_name="SỞ TÀI CHÍNH", parent_agency_name="UBND TỈNH BẮC KẠN", place_name="Bắc Kạn",
        type_name=type_name, summary=summary, is_official_letter=type_name == "Công văn",
        body="Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ;\nĐiều 1. Nội dung.",
        authority_lines=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), signer_name="Nguyễn Văn An",
        recipients=("- Như trên;", "- Lưu: VT, NS, 02."))
    document = render_html(data)
    return write_text(document.pdf, document.boxes, {"number": notation, "date": date_line("Bắc Kạn", day)})


@pytest.fixture
def clerk(client, demo):
    ExternalAgency.objects.get_or_create(name="Sở Tài chính tỉnh Bắc Kạn", defaults={"identifier": "000.00.12.H05"})
    ExternalAgency.objects.get_or_create(name="Ủy ban nhân dân tỉnh Bắc Kạn")
    client.force_login(demo.vanthu)
    return client


def suggestions(page: str) -> dict[str, tuple[str, str]]:
    """{field: (value, note)} as the page's script applies them."""
    return {name: (html.unescape(value), html.unescape(note)) for name, value, note in re.findall(
        r'data-suggest-field="(\w+)" data-suggest-value="([^"]*)" data-suggest-note="([^"]*)"', page)}


@pytest.mark.parametrize(("type_name", "notation", "summary", "shown_summary"), [
    ("Quyết định", "15/QĐ-STC", "Về việc phê duyệt dự toán ngân sách năm 2026",
     "Về việc phê duyệt dự toán ngân sách năm 2026"),
    ("Công văn", "204/STC-NS", "Hướng dẫn quyết toán ngân sách năm 2025 cho các đơn vị dự toán",
     "Hướng dẫn quyết toán ngân sách năm 2025 cho các đơn vị dự toán"),
])
def test_a_printed_pdf_fills_the_form_with_number_date_issuer_summary_and_signer(
        clerk, type_name, notation, summary, shown_summary):
    day = datetime.date(2026, 1, 5)
    page = clerk.post("/incoming/new/read-scan/", {"files": upload("scan.pdf", rendered(type_name, notation, day,
                                                                                      summary))}).content.decode()
    found = suggestions(page)
    assert found["notation"][0] == notation
    assert found["issued_on"][0] == "05/01/2026"
    assert found["issuer_name"][0] == "Sở Tài chính tỉnh Bắc Kạn"
    assert found["issuer_code"][0] == "000.00.12.H05"  # from the known agencies list
    assert found["summary"][0] == shown_summary
    assert found["document_type"][0] == str(DocumentType.objects.get(name=type_name).pk)
    assert (found["signer_position"][0], found["signer_name"][0]) == ("PHÓ GIÁM ĐỐC", "Nguyễn Văn An")
    assert re.fullmatch(r"Gợi ý từ bản quét \(độ tin cậy \d{2}%\)", found["notation"][1])
    # Nothing is registered from a reading: only the file is kept (the same Blob the form will attach).
    assert IncomingDocument.objects.count() == 0 and Blob.objects.count() == 1


def test_the_registration_page_reads_the_scan_as_soon_as_it_is_picked(clerk):
    page = clerk.get("/incoming/new/").content.decode()
    assert 'hx-post="/incoming/new/read-scan/"' in page and 'hx-trigger="change from:[name=files]"' in page
    assert 'id="scan-read"' in page


def test_a_file_that_is_not_a_scan_says_so(clerk):
    page = clerk.post("/incoming/new/read-scan/", {"files": upload("a.txt", b"hello")}).content.decode()
    assert 'data-testid="scan-error"' in page and "data-suggest-field" not in page
    assert 'data-testid="scan-error"' in clerk.post("/incoming/new/read-scan/", {}).content.decode()


def test_only_clerks_read_scans_and_only_the_scans_they_sent(client, clerk, demo):
    other = Blob.objects.create(sha256="a" * 64, size=1, content_type="application/pdf")
    assert clerk.get(f"/incoming/new/read-scan/{other.pk}/").status_code == 404  # a hash alone opens nothing
    client.force_login(demo["cv.qlvt.long"])
    assert client.post("/incoming/new/read-scan/", {"files": upload("s.pdf", b"%PDF-1.4")}).status_code == 403


@needs_tesseract
def test_an_image_only_scan_is_read_by_ocr_in_the_task_and_the_page_polls_until_done(
        clerk, settings, django_capture_on_commit_callbacks):
    import pypdfium2

    settings.QLVB_OCR = True
    pdf = rendered("Công văn", "204/STC-NS", datetime.date(2026, 3, 9), "Hướng dẫn quyết toán ngân sách năm 2025")
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=200 / 72, grayscale=True).to_pil().convert("L")
    scan = io.BytesIO()
    image.save(scan, format="PDF", resolution=200)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        page = clerk.post("/incoming/new/read-scan/", {"files": upload("scan.pdf", scan.getvalue())}).content.decode()
    assert 'data-testid="scan-pending"' in page and "every 2s" in page
    poll = re.search(r'hx-get="([^"]+)"', page).group(1)
    for callback in queued:  # the task queue's worker
        callback()
    found = suggestions(clerk.get(poll).content.decode())
    assert found["notation"][0] == "204/STC-NS"
    assert found["issued_on"][0] == "09/03/2026"
    assert found["issuer_name"][0] == "Sở Tài chính tỉnh Bắc Kạn"
    assert found["summary"][0] == "Hướng dẫn quyết toán ngân sách năm 2025"
