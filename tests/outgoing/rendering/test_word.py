"""A Word draft (the officer's usual way) filled from the agency's template placeholders and converted by
real LibreOffice headless (Debian's libreoffice-writer-nogui, installed by scripts/bootstrap.sh)."""

import io
import shutil

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTTextContainer

from qlvb.documents.models import DocumentTemplate, Rendition
from qlvb.outgoing import rendering
from qlvb.outgoing.rendering import demo as demo_templates
from qlvb.outgoing.rendering.tasks import convert_word_draft
from qlvb.records import services as records
from tests.factories import reply_path

from .helpers import DATE_LINE, NATIONAL_TITLE, baseline_of, overlaps, text_of, where

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
A4 = (595.28, 841.89)
PLAIN_BOXES = {"number": {"page": 0, "x1": 120, "y1": 740, "x2": 260, "y2": 756},
               "date": {"page": 0, "x1": 300, "y1": 720, "x2": 560, "y2": 738},
               "signer": {"page": 0, "x1": 360, "y1": 400, "x2": 520, "y2": 470}}


def word_draft(demo, content: bytes, document_type="Quyết định"):
    _, record, draft = reply_path(demo, document_type=document_type)
    records.save_draft(actor=demo["cv.qlvt.long"], record=record, draft=draft, data={},
                       upload=SimpleUploadedFile("du-thao.docx", content))
    draft.refresh_from_db()
    return draft


@pytest.fixture
def draft(demo):
    return word_draft(demo, demo_templates.word_template())


def test_placeholders_filled_and_markers_gone(draft):
    """The signer, authority, agency and recipients are filled in (Annex I II.7, II.9); the number and
    date places stay empty, with no marker text left in the PDF."""
    result = rendering.render(draft)
    text = text_of(result.pdf)
    for expected in (NATIONAL_TITLE, "UBND TỈNH BẮC KẠN", "SỞ GIAO THÔNG VẬN TẢI", "Số:", "QUYẾT ĐỊNH",
                     "V/v báo cáo bảo trì", "Căn cứ Luật Giao thông đường bộ", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC",
                     draft.signer.full_name, "- UBND tỉnh Bắc Kạn;", "- Lưu: VT, QLVT, 02."):
        assert expected in text, expected
    assert "QLVB" not in text and "{{" not in text and "Bắc Kạn, ngày" not in text
    mono = [char for page in extract_pages(io.BytesIO(result.pdf)) for box in page
            if isinstance(box, LTTextContainer) for line in box for char in line
            if isinstance(char, LTChar) and "LiberationMono" in char.fontname]
    assert mono == []


def test_preview_and_boxes(draft):
    """Number after "Số:" in the top-left quarter, date line under the motto, signature between the
    position and the name, seal over the signature's left third (§1.6)."""
    preview = rendering.preview(draft, "15/QĐ-SGTVT", DATE_LINE)
    text = text_of(preview.pdf)
    assert "15/QĐ-SGTVT" in text and "Bắc Kạn, ngày 05 tháng 01 năm 2026" in text
    number, date, signer, seal = (preview.boxes[k] for k in ("number", "date", "signer", "seal"))
    width, height = A4
    assert number.x2 < width / 2 + 20 and number.y1 > height * 3 / 4
    assert where(preview.pdf, "Số:").x2 <= number.x1 + 1
    assert overlaps(number, where(preview.pdf, "15/QĐ-SGTVT"))
    # written on the line's baseline, as if typed after "Số:"
    assert baseline_of(preview.pdf, "15/QĐ-SGTVT") == pytest.approx(baseline_of(preview.pdf, "Số:"), abs=0.5)
    assert overlaps(date, where(preview.pdf, "ngày 05 tháng 01")) and date.x1 > width / 2 - 60
    name, position = where(preview.pdf, draft.signer.full_name), where(preview.pdf, "PHÓ GIÁM ĐỐC")
    assert name.y2 <= signer.y1 + 2 and signer.y2 <= position.y1 + 2
    # the whole blank space between them, not just the marker's line: room for the signature image
    assert signer.y1 - name.y2 < 3 and position.y1 - signer.y2 < 3 and signer.height > 20 * rendering.MM
    assert seal.x1 < signer.x1 < seal.x2 == pytest.approx(signer.x1 + signer.width / 3)


def test_word_file_without_placeholders_takes_the_template_positions(demo, agency):
    """A Word file with no placeholders still converts; its boxes come from the type's template."""
    plain = demo_templates.word_template()
    from docx import Document

    document = Document(io.BytesIO(plain))
    for paragraph in document.paragraphs:
        paragraph.text = paragraph.text.replace("{{", "").replace("}}", "")
    for table in document.tables:
        for cell in table._cells:
            for paragraph in cell.paragraphs:
                paragraph.text = paragraph.text.replace("{{", "").replace("}}", "")
    out = io.BytesIO()
    document.save(out)
    draft = word_draft(demo, out.getvalue())
    with pytest.raises(ValidationError, match="Chưa có vị trí cho: number, date, signer"):
        rendering.render(draft)
    DocumentTemplate.objects.create(agency=agency, document_type=draft.document_type, kind="docx",
                                    name="Mẫu Word", boxes=PLAIN_BOXES)
    result = rendering.render(draft)
    assert result.boxes["number"] == rendering.Box(0, 120, 740, 260, 756)
    assert result.boxes["seal"] == rendering.seal_for(result.boxes["signer"])
    assert "chuc_vu" in text_of(result.pdf)  # converted as it is


def test_worker_converts_once_and_the_preview_reuses_it(draft, settings):
    """The worker's task converts ahead of the preview; run twice, it keeps one conversion, and the
    preview then needs no LibreOffice."""
    convert_word_draft.enqueue(version_id=draft.latest.pk)
    convert_word_draft.enqueue(version_id=draft.latest.pk)
    assert Rendition.objects.count() == 1
    settings.QLVB_SOFFICE = "no-such-libreoffice"
    assert "15/QĐ-SGTVT" in text_of(rendering.preview(draft, "15/QĐ-SGTVT", DATE_LINE).pdf)


def test_conversion_time_out_is_a_clear_message(draft, settings):
    settings.QLVB_SOFFICE_TIMEOUT = 0.05
    with pytest.raises(ValidationError, match="quá 0 giây"):
        rendering.render(draft)
