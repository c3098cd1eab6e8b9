"""Demo templates of the Department of Transport: the shipped HTML layouts per document type and a Word
template with the placeholders officers use (built here with python-docx, so no binary file is kept)."""

import io
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from .html import GENERIC, SHIPPED

HTML_TYPES = ["Quyết định", "Công văn", "Tờ trình", "Thông báo"]
DOCX_TYPES = ["Quyết định", "Công văn"]


def load(agency):
    from qlvb.documents.models import DocumentTemplate, DocumentType
    from qlvb.files.storage import store

    templates = Path(__file__).parent / "templates"
    for type_ in DocumentType.objects.filter(name__in=HTML_TYPES):
        html = (templates / SHIPPED.get(type_.name, GENERIC)).read_text(encoding="utf-8")
        DocumentTemplate.objects.get_or_create(
            agency=agency, document_type=type_, kind=DocumentTemplate.Kind.HTML, is_active=True,
            defaults={"name": f"Mẫu {type_.name} (Phụ lục III)", "html": html})
    for type_ in DocumentType.objects.filter(name__in=DOCX_TYPES):
        if not DocumentTemplate.objects.filter(agency=agency, document_type=type_, kind="docx", is_active=True):
            blob = store(word_template(), name="mau.docx")
            DocumentTemplate.objects.create(agency=agency, document_type=type_, kind=DocumentTemplate.Kind.DOCX,
                                            name=f"Mẫu Word {type_.name}", blob=blob, file_name="mau.docx")


def word_template(body: tuple[str, ...] = ("Căn cứ Luật Giao thông đường bộ ngày 13 tháng 11 năm 2008;",
                                           "Điều 1. Phê duyệt kế hoạch bảo trì đường bộ năm 2026.")) -> bytes:
    """A Word file in the Annex I layout with the placeholders of `docx.py`."""
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(30), Mm(15)  # Annex I margins (§1.7)
    section.top_margin = section.bottom_margin = Mm(20)
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Liberation Serif", Pt(14)
    left, right = _row(document, (Mm(65), Mm(100)))
    _line(left, "{{ co_quan_chu_quan }}", first=True)
    _line(left, "{{ co_quan }}", bold=True)
    _line(left, "Số: {{ so }}")
    _line(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True, size=12, first=True)
    _line(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=14)
    _line(right, "{{ ngay_thang }}", italic=True, size=14)
    for text in ("{{ loai_van_ban }}", "{{ trich_yeu }}"):
        _line(document, text, bold=True, size=14)
    for text in body:
        paragraph = document.add_paragraph(text)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Mm(10)
    left, right = _row(document, (Mm(75), Mm(90)))
    _line(left, "Nơi nhận:", bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT, first=True)
    _line(left, "{{ noi_nhan }}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(right, "{{ tham_quyen }}", bold=True, size=14, first=True)
    for text, bold in (("{{ chuc_vu }}", True), ("", False), ("", False), ("{{ chu_ky }}", False),
                       ("", False), ("", False), ("{{ nguoi_ky }}", True)):
        _line(right, text, bold=bold, size=14)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _row(document, widths):
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    cells = table.rows[0].cells
    for column, cell, width in zip(table.columns, cells, widths, strict=True):
        column.width = cell.width = width  # Word reads the cell, LibreOffice the column grid
    return cells


def _line(container, text, *, bold=False, italic=False, size=13, align=WD_ALIGN_PARAGRAPH.CENTER, first=False):
    paragraph = container.paragraphs[0] if first else container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph
