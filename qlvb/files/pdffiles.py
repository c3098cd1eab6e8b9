"""PDF files: refused when encrypted, damaged or oversized; flagged when they carry active content.

Active content is what a PDF reader may run or hand to the system: JavaScript (in the names tree,
an OpenAction, a page's or annotation's actions), launch actions, embedded files, XFA forms. Such a
file is still stored (agencies do receive them), but is never opened in the browser: it is served
for download only and the clerk is warned. The whole object graph reachable from the trailer is
walked, not only the catalog, so JavaScript hidden in any action dictionary is found; pypdf decodes
`#xx` escapes in names, so `/J#61vaScript` is `/JavaScript` here.
"""

from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from .errors import FileRejected

JAVASCRIPT, LAUNCH, EMBEDDED_FILE, XFA, UNSCANNABLE = "javascript", "launch", "embedded_file", "xfa", "unscannable"
# A bound on the walk's work (values visited): an ordinary 2,000-page PDF has a few hundred thousand;
# past it the file is not called harmless (it is flagged, so only downloaded).
MAX_VALUES = 2_000_000


def check(path: Path) -> list[str]:
    """Open the PDF defensively; refuse encrypted, damaged or oversized ones with FileRejected.
    Returns its active content (empty for an ordinary PDF)."""
    max_pages = getattr(settings, "QLVB_MAX_PDF_PAGES", 2000)
    with open(path, "rb") as handle:
        handle.seek(max(0, path.stat().st_size - 2048))
        if b"%%EOF" not in handle.read():
            raise FileRejected(_("Tệp PDF bị cắt cụt hoặc hỏng (thiếu phần kết thúc)."))
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            raise FileRejected(_("Tệp PDF được đặt mật khẩu; hãy gửi bản không mã hóa."))
        pages = len(reader.pages)
    except FileRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - any parser failure means a damaged file
        raise FileRejected(_("Tệp PDF bị hỏng, không đọc được.")) from exc
    if pages == 0:
        raise FileRejected(_("Tệp PDF không có trang nào."))
    if pages > max_pages:
        raise FileRejected(_("Tệp PDF có %(n)d trang, vượt quá giới hạn %(max)d trang.")
                           % {"n": pages, "max": max_pages})
    return _active_content(reader)


def active_content(source: Path | BinaryIO) -> list[str]:
    """The active content of a stored PDF (for files stored before the check existed): a path or an
    open binary file (the store's, which may be an S3 object's spooled copy)."""
    try:
        return _active_content(PdfReader(source, strict=False))
    except Exception:  # noqa: BLE001 - what cannot be read cannot be called harmless
        return [UNSCANNABLE]


def _active_content(reader: PdfReader) -> list[str]:
    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    stack, visited = [reader.trailer], 0
    try:
        while stack:
            item, visited = stack.pop(), visited + 1
            if visited > MAX_VALUES:
                return sorted(found | {UNSCANNABLE})
            if isinstance(item, IndirectObject):
                if (item.idnum, item.generation) in seen:
                    continue
                seen.add((item.idnum, item.generation))
                item = item.get_object()
            if isinstance(item, DictionaryObject):  # streams too: their dictionary, never their data
                found |= _findings(item)
                stack.extend(dict.values(item))  # unresolved: references are followed once, above
            elif isinstance(item, ArrayObject):
                stack.extend(list.__iter__(item))
    except Exception:  # noqa: BLE001 - a graph pypdf cannot walk is not called harmless
        found.add(UNSCANNABLE)
    return sorted(found)


def _findings(item: DictionaryObject) -> set[str]:
    keys = set(dict.keys(item))
    kind, subtype = item.get("/S"), item.get("/Subtype")
    found = set()
    if keys & {"/JS", "/JavaScript"} or kind == "/JavaScript":
        found.add(JAVASCRIPT)  # a JavaScript action, or the document's JavaScript names tree
    if kind == "/Launch" or "/Launch" in keys:
        found.add(LAUNCH)
    if keys & {"/EmbeddedFiles", "/EF"} or item.get("/Type") == "/EmbeddedFile" or subtype == "/FileAttachment":
        found.add(EMBEDDED_FILE)
    if "/XFA" in keys:
        found.add(XFA)  # XML forms carry their own scripts
    return found


def page_count(source: Path | BinaryIO) -> int | None:
    """The number of pages of a stored PDF (Annex VI PageAmount), or None when it cannot be read.
    `source`: a path or an open binary file (`storage.open_checked`)."""
    try:
        return len(PdfReader(source, strict=False).pages)
    except Exception:  # noqa: BLE001 - an unreadable file has no page count; the clerk enters it
        return None
