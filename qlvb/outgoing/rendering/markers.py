"""Marker text in a converted PDF: where it is (pdfminer), then gone (pypdf), its space left empty.

Markers are white Liberation Mono text; only text drawn in that font with a white fill is removed, so a
document's own Courier-like text (black) is never touched."""

import io

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ContentStream, NameObject

from .boxes import Box

TEXT_OPERATORS = {b"Tj", b"TJ", b"'", b'"'}
WHITE = {(1.0,), (1.0, 1.0, 1.0), (0.0, 0.0, 0.0, 0.0)}


def locate(pdf: bytes, markers: dict[str, str], font: str) -> tuple[dict[str, Box], dict[str, float]]:
    """{key: box of its marker text}, for the markers found, and {key: its baseline}."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer

    wanted = font.replace(" ", "")
    found, baselines = {}, {}
    for index, page in enumerate(extract_pages(io.BytesIO(pdf))):
        chars = [char for element in page if isinstance(element, LTTextContainer)
                 for line in element for char in line if isinstance(char, LTChar) and wanted in char.fontname]
        text = "".join(char.get_text() for char in chars)
        for key, marker in markers.items():
            at = text.find(marker)
            if at >= 0 and key not in found:
                part = chars[at:at + len(marker)]
                found[key] = Box(index, min(c.x0 for c in part), min(c.y0 for c in part),
                                 max(c.x1 for c in part), max(c.y1 for c in part))
                baselines[key] = part[0].matrix[5]
    return found, baselines


def blank_around(pdf: bytes, marker: Box, font: str) -> Box:
    """The blank space around a marker in its column: from the text line below it (the signer's name) to
    the one above (the position), as wide as the marker."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTTextContainer

    page = next(page for index, page in enumerate(extract_pages(io.BytesIO(pdf))) if index == marker.page)
    middle, wanted = (marker.x1 + marker.x2) / 2, font.replace(" ", "")
    lines = [line for element in page if isinstance(element, LTTextContainer) for line in element
             if line.get_text().strip() and line.x0 <= middle <= line.x1
             and not any(isinstance(c, LTChar) and wanted in c.fontname for c in line)]
    below = max((line.y1 for line in lines if line.y1 <= marker.y1), default=marker.y1)
    above = min((line.y0 for line in lines if line.y0 >= marker.y2), default=marker.y2)
    return Box(marker.page, marker.x1, below, marker.x2, above)


def strip(pdf: bytes, font: str) -> bytes:
    """The PDF without the white text drawn in the marker font."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    wanted = font.replace(" ", "")
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        markers = {name for name, ref in fonts.items() if wanted in str(ref.get_object().get("/BaseFont", ""))}
        if not markers:
            continue
        content = ContentStream(page.get_contents(), writer)
        content.operations = _without_markers(content.operations, markers)
        page.replace_contents(content)
        page[NameObject("/Resources")] = page["/Resources"]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _without_markers(operations, markers: set[str]):
    current_font, fill, kept = None, (0.0,), []
    stack = []
    for operands, operator in operations:
        if operator == b"q":
            stack.append((current_font, fill))
        elif operator == b"Q" and stack:
            current_font, fill = stack.pop()
        elif operator == b"Tf":
            current_font = str(operands[0])
        elif operator in (b"rg", b"g", b"k", b"sc", b"scn"):
            fill = tuple(round(float(value), 3) for value in operands if not isinstance(value, NameObject))
        if operator in TEXT_OPERATORS and current_font in markers and fill in WHITE:
            continue
        kept.append((operands, operator))
    return kept
