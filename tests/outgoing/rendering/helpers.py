"""Reading rendered PDFs as a reader would: text, and where a piece of text is on the page."""

import datetime
import io
import unicodedata

from pdfminer.high_level import extract_pages, extract_text
from pdfminer.layout import LTChar, LTTextContainer

from qlvb.outgoing.rendering import Box, date_line

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
DATE_LINE = date_line("Bắc Kạn", datetime.date(2026, 1, 5))


def text_of(pdf: bytes, page: int | None = None) -> str:
    """The extracted text, NFC-normalised and with lines joined by spaces (table cells wrap)."""
    text = extract_text(io.BytesIO(pdf), page_numbers=None if page is None else [page])
    return " ".join(unicodedata.normalize("NFC", text).split())


def where(pdf: bytes, needle: str) -> Box:
    """The box of the first text line that contains `needle`."""
    for index, page in enumerate(extract_pages(io.BytesIO(pdf))):
        for element in page:
            if not isinstance(element, LTTextContainer):
                continue
            for line in element:
                if needle in unicodedata.normalize("NFC", line.get_text()) and any(
                        isinstance(c, LTChar) for c in line):
                    return Box(index, line.x0, line.y0, line.x1, line.y1)
    raise AssertionError(f"{needle!r} not in the PDF")


def overlaps(a: Box, b: Box) -> bool:
    return a.page == b.page and a.x1 < b.x2 and b.x1 < a.x2 and a.y1 < b.y2 and b.y1 < a.y2


def baseline_of(pdf: bytes, needle: str) -> float:
    """The baseline of the first character of the text line that contains `needle`."""
    for page in extract_pages(io.BytesIO(pdf)):
        for element in page:
            if isinstance(element, LTTextContainer):
                for line in element:
                    if needle in unicodedata.normalize("NFC", line.get_text()):
                        return next(c for c in line if isinstance(c, LTChar)).matrix[5]
    raise AssertionError(f"{needle!r} not in the PDF")
