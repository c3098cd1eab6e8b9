"""An outgoing document as a PDF (issue 14, point 1): rendered from a structured draft (HTML/CSS,
WeasyPrint), converted from a Word draft (LibreOffice), or taken as uploaded (PDF), always with the
boxes where the number, the date line, the signature and the seal go. See docs/architecture.md.

The Django-free parts (`render_html`, `render_docx`, `render_pdf`, `write_text`) take a `DocumentData`
or bytes; `render(draft)` and `preview(draft, number_text, date_text)` choose the source and template."""

from . import boxes
from .boxes import KEYS, MM, TEXT_STYLE, Box, Rendered, check_on_page, seal_for
from .content import DocumentData, archive_line, data_for, date_line
from .overlay import write_text


def render(draft, *, positions=None) -> Rendered:
    from .drafts import render as render_draft

    return render_draft(draft, positions=positions)


def preview(draft, number_text: str, date_text: str, *, positions=None) -> Rendered:
    from .drafts import preview as preview_draft

    return preview_draft(draft, number_text, date_text, positions=positions)


__all__ = ["boxes", "KEYS", "MM", "TEXT_STYLE", "Box", "Rendered", "DocumentData", "archive_line", "check_on_page",
           "data_for", "date_line", "preview", "render", "seal_for", "write_text"]
