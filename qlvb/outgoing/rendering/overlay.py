"""Text written onto an existing PDF in a box: the number and date line of the preview, and of an
uploaded PDF. The text is drawn by WeasyPrint on a transparent page of the same size (so Vietnamese is
shaped and the font embedded as in the rendered document) and merged onto the page with pypdf."""

import html
import io

from pypdf import PdfReader, PdfWriter

from .boxes import TEXT_STYLE, Box


def write_text(pdf: bytes, boxes: dict[str, Box], texts: dict[str, str]) -> bytes:
    """`pdf` with each text of `texts` ({"number": "15/QĐ-SGTVT", "date": "Bắc Kạn, ngày …"}) written
    in its box, in the style of `boxes.TEXT_STYLE`."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter(clone_from=reader)
    by_page: dict[int, list[tuple[Box, str, str]]] = {}
    for key, text in texts.items():
        if text:
            by_page.setdefault(boxes[key].page, []).append((boxes[key], key, text))
    for index, items in by_page.items():
        page = writer.pages[index]
        size = (float(page.mediabox.width), float(page.mediabox.height))
        overlay = PdfReader(io.BytesIO(_overlay(size, items))).pages[0]
        page.merge_page(overlay)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _overlay(size: tuple[float, float], items) -> bytes:
    from weasyprint import HTML

    width, height = size
    divs = "".join(_div(box, key, text, height) for box, key, text in items)
    page = (f'<html><head><style>@page {{ size: {width}pt {height}pt; margin: 0 }} '
            f'body {{ margin: 0; font-family: "Liberation Serif", serif; color: #000 }} '
            f'div {{ position: absolute; white-space: nowrap; overflow: visible }}</style></head>'
            f'<body>{divs}</body></html>')
    return HTML(string=page).write_pdf()


def _div(box: Box, key: str, text: str, page_height: float) -> str:
    size, style, align = TEXT_STYLE.get(key, (13, "normal", "left"))
    return (f'<div style="left: {box.x1}pt; top: {page_height - box.y2}pt; width: {box.width}pt; '
            f'height: {box.height}pt; line-height: {box.height}pt; font-size: {size}pt; '
            f'font-style: {style}; text-align: {align}">{html.escape(text)}</div>')
