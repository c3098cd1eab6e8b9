"""A draft as a PDF: the source chosen from its latest version (typed text, Word file or PDF) and the
agency's template for its type (qlvb.documents.models.DocumentTemplate, else the shipped layout)."""

from qlvb.documents.models import DocumentTemplate
from qlvb.files.officefiles import DOCX
from qlvb.files.storage import open_verified

from . import boxes as boxes_
from .boxes import Box, Rendered
from .content import data_for
from .html import render_html
from .overlay import write_text
from .pdfsource import render_pdf


def template_for(draft, kind: str) -> DocumentTemplate | None:
    return (DocumentTemplate.objects.filter(document_type=draft.document_type, kind=kind,
                                            is_active=True).select_related("blob").first())


def render(draft, *, positions: dict[str, Box] | None = None) -> Rendered:
    """The draft's PDF with empty spaces for the number and date, and the boxes. `positions` (the clerk's,
    for an uploaded PDF or a Word file without placeholders) override the template's fixed ones."""
    version = draft.latest
    data = data_for(draft)
    if version is None or version.blob is None:
        template = template_for(draft, DocumentTemplate.Kind.HTML)
        return render_html(data, template.html if template else "")
    content = open_verified(version.blob)
    fixed = {**_fixed(draft), **(positions or {})}
    if version.blob.content_type == "application/pdf":
        return render_pdf(content, fixed)
    from .conversions import converted
    from .docx import render_docx

    return render_docx(content, data, fixed=fixed, is_docx=version.blob.content_type == DOCX,
                       convert_with=converted)


def preview(draft, number_text: str, date_text: str, *, positions: dict[str, Box] | None = None) -> Rendered:
    """What the document will look like once numbered: `render` with the number ("15/QĐ-SGTVT") and the
    date line ("Bắc Kạn, ngày 05 tháng 01 năm 2026") written in their boxes. Takes no number."""
    rendered = render(draft, positions=positions)
    pdf = write_text(rendered.pdf, rendered.boxes, {"number": number_text, "date": date_text})
    return Rendered(pdf=pdf, page_count=rendered.page_count, boxes=rendered.boxes)


def _fixed(draft) -> dict[str, Box]:
    """The template's fixed positions for the draft's type (any kind of template may carry them)."""
    for template in DocumentTemplate.objects.filter(document_type=draft.document_type, is_active=True):
        if template.boxes:
            return boxes_.from_json(template.boxes)
    return {}
