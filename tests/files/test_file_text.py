"""The text of every attached file (issue 12, item 1): read in the task queue after the upload, kept once
per content, OCR of scans into a searchable PDF/A beside the original, progress and failures shown on the
document while the file stays usable."""

import hashlib
import io
import re
import shutil

import pytest
from pypdf import PdfReader

from qlvb.files import texts
from qlvb.files.models import Blob, FileText
from tests.factories import register_doc

from .builders import document_xml, docx_bytes, upload
from .scans import scanned_page

pytestmark = pytest.mark.django_db
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="Tesseract is not installed (Debian: tesseract-ocr tesseract-ocr-vie)")


@pytest.fixture
def register(demo, django_capture_on_commit_callbacks):
    """Register an incoming document with these files and run what its COMMIT queues (tasks run inline)."""
    def run(files):
        with django_capture_on_commit_callbacks(execute=True):
            return register_doc(demo.vanthu, files=files)
    return run


def _attachment_text(document) -> FileText:
    return FileText.objects.get(pk=document.attachments.get().blob_id)


def _search(client, words) -> int:
    page = client.get("/search/", {"kind": "all", "q": words}).content.decode()
    return int(re.search(r'data-testid="result-count">(\d+)', page).group(1))


@needs_tesseract
def test_a_scanned_pdf_is_read_by_ocr_found_without_accents_and_kept_beside_the_original(client, demo, settings, register):
    """Done-when of item 1: an image-only PDF rendered from Vietnamese text is read by Tesseract in the
    task, found by a phrase of its body typed without accents; the searchable PDF/A is kept beside the
    original, whose hash is still the one uploaded."""
    settings.QLVB_OCR = True
    scan = scanned_page()
    assert not PdfReader(io.BytesIO(scan)).pages[0].extract_text().strip()  # no text layer at all
    document = register([upload("cong-van-scan.pdf", scan)])

    text = _attachment_text(document)
    assert (text.state, text.method, text.pages) == ("done", "ocr", 1)
    assert "kiểm soát tải trọng phương tiện" in text.text
    assert text.blob_id == hashlib.sha256(scan).hexdigest() == document.attachments.get().blob_id
    ocr = PdfReader(io.BytesIO(client_bytes(client, demo, document, ocr=True)))
    assert "Chợ Đồn" in ocr.pages[0].extract_text()
    assert "/GTS_PDFA1" in str(ocr.trailer["/Root"].get("/OutputIntents")) or "pdfaid" in str(
        ocr.trailer["/Root"]["/Metadata"].get_object().get_data())

    client.force_login(demo.vanthu)
    assert _search(client, "kiem soat tai trong phuong tien cho don") == 1
    page = client.get(f"/incoming/{document.pk}/").content.decode()
    assert 'data-testid="ocr-pdf"' in page and "Đang nhận dạng chữ" not in page
    [item] = client.get(f"/api/incoming/{document.pk}/attachments").json()
    assert item["text"]["state"] == "done" and item["text"]["ocr_pdf_url"].endswith("?ocr=1")
    # A second run of the task (a worker died after the work) changes nothing.
    assert texts.run(text.pk) is None
    assert Blob.objects.filter(content_type="application/pdf").count() == 2


def client_bytes(client, demo, document, *, ocr=False) -> bytes:
    client.force_login(demo.vanthu)
    url = f"/incoming/{document.pk}/files/{document.attachments.get().pk}/" + ("?ocr=1" if ocr else "")
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_word_and_text_pdf_files_are_read_without_ocr(client, demo, register):
    """Word files are read from their parts, PDFs with a text layer from it; both are found without accents."""
    from weasyprint import HTML

    word = docx_bytes(document_xml("Kế hoạch duy tu cầu Nà Phặc năm 2027"))
    pdf = HTML(string="<p>Báo cáo sạt lở đèo Áng Toòng</p>").write_pdf()
    one = register([upload("ke-hoach.docx", word)])
    two = register([upload("bao-cao.pdf", pdf)])
    assert (_attachment_text(one).state, _attachment_text(one).method) == ("done", "office")
    assert (_attachment_text(two).state, _attachment_text(two).method) == ("done", "text")
    client.force_login(demo.vanthu)
    assert _search(client, "duy tu cau na phac") == 1
    assert _search(client, "sat lo deo ang toong") == 1


def test_a_file_that_cannot_be_read_says_why_and_stays_usable(client, demo, settings, monkeypatch, register):
    """Without Tesseract the scan's text cannot be read: the document page says why, the file still opens."""
    from qlvb.files import textract

    settings.QLVB_OCR = True
    monkeypatch.setattr(textract, "ocr_available", lambda: False)
    document = register([upload("scan.png", scanned_page(fmt="PNG"))])
    assert _attachment_text(document).state == "failed"
    client.force_login(demo.vanthu)
    page = client.get(f"/incoming/{document.pk}/").content.decode()
    assert 'data-testid="text-failed"' in page and "Máy chủ chưa cài Tesseract" in page
    [item] = client.get(f"/api/incoming/{document.pk}/attachments").json()
    assert item["text"]["state"] == "failed" and "Tesseract" in item["text"]["reason"]
    assert client_bytes(client, demo, document).startswith(b"\x89PNG")


def test_the_document_shows_progress_while_the_text_is_read(client, demo, settings, register):
    """Queued, then running: the page says so (the worker has not run yet here)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    document = register([upload("scan.pdf", scanned_page())])
    client.force_login(demo.vanthu)
    assert "Chờ đọc nội dung…" in client.get(f"/incoming/{document.pk}/").content.decode()
    FileText.objects.filter(pk=document.attachments.get().blob_id).update(state="running")
    assert "Đang nhận dạng chữ…" in client.get(f"/incoming/{document.pk}/").content.decode()


def test_the_outgoing_document_and_the_draft_show_the_reading_and_a_failure_keeps_the_file(client, demo):
    """As on the incoming page: queued, running, then a failure that says why, the file still downloading."""
    from qlvb.outgoing import services as outgoing
    from qlvb.records import services as records
    from tests.factories import reply_path
    from tests.outgoing.issuing import approved

    document = outgoing.issue(actor=demo.vanthu, draft=approved(demo))  # its task not run: the text waits
    _incoming, record, draft = reply_path(demo)
    records.save_draft(actor=demo["cv.qlvt.long"], record=record, draft=draft, data={},
                       upload=upload("du-thao.docx", docx_bytes(document_xml("Dự thảo báo cáo"))))
    version = draft.versions.order_by("-number").first()
    pages = {f"/outgoing/{document.pk}/": (document.blob_id, f"/outgoing/{document.pk}/file/"),
             f"/records/drafts/{draft.pk}/": (version.blob_id, f"/records/drafts/{draft.pk}/versions/{version.number}/file/")}
    client.force_login(demo["cv.qlvt.long"])
    for url, (sha, file_url) in pages.items():
        assert "Chờ đọc nội dung…" in client.get(url).content.decode(), url
        FileText.objects.filter(pk=sha).update(state="running")
        assert "Đang nhận dạng chữ…" in client.get(url).content.decode(), url
        FileText.objects.filter(pk=sha).update(state="failed", reason="Tệp PDF bị khóa bằng mật khẩu.")
        page = client.get(url).content.decode()
        assert 'data-testid="text-failed"' in page and "Tệp PDF bị khóa bằng mật khẩu." in page, url
        response = client.get(file_url)
        assert response.status_code == 200 and b"".join(response.streaming_content), file_url
        assert client.get(file_url + "?ocr=1").status_code == 404  # no OCR'd copy of a failed reading
