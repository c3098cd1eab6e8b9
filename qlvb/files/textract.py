"""Reading the text of a stored file (issue 12): pure functions from a file on disk to its text, used by
the task `files.tasks.extract_text` through `files.texts`, never in a request.

- PDF with a text layer: pypdf, page by page.
- Scanned PDF (pages without text) and images (PNG, JPEG, TIFF): OCR with ocrmypdf and Tesseract
  (`QLVB_OCR_LANGUAGES`, Vietnamese by default; Debian's tesseract-ocr and tesseract-ocr-vie, installed
  by scripts/bootstrap.sh), which writes a searchable PDF/A; its text is then read back like any PDF's.
  Pages that had text keep it (`skip_text`).
- Word, Excel and OpenDocument files: their XML parts read through `officefiles.open_package` (the
  caps on entries and inflated size) and `core.safexml` (no DTD, no entities), as every reader of
  uploaded Office files must.
"""

import dataclasses
import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from . import officefiles
from .errors import FileRejected
from .officefiles import DOCX, ODS, ODT, XLSX

log = logging.getLogger(__name__)

IMAGES = ("image/png", "image/jpeg", "image/tiff")
MIN_CHARS_PER_PAGE = 20  # fewer letters than this on average: a scan (or a stamp on a scan)
IMAGE_DPI = 300  # an image without a resolution is taken as scanned at this one


class ExtractionFailed(Exception):
    """The file's text could not be read; the message (Vietnamese) says why and is shown on the document."""


@dataclasses.dataclass
class Extracted:
    text: str
    method: str  # FileText.Method value
    pages: int | None = None
    ocr_pdf: Path | None = None  # the searchable PDF/A written by OCR (in a temporary directory)
    reason: str = ""  # why there is no text, when that is normal (an unsupported format, OCR off)


def ocr_available() -> bool:
    return shutil.which("tesseract") is not None


def extract(path: Path, content_type: str, workdir: Path) -> Extracted:
    """The text of the file at `path`; OCR writes its PDF/A into `workdir`. Raises ExtractionFailed."""
    if content_type == "application/pdf":
        return _pdf(path, workdir)
    if content_type in IMAGES:
        return _ocr(path, workdir, image=True)
    if content_type in (DOCX, XLSX, ODT, ODS):
        return Extracted(_office(path, content_type), "office")
    return Extracted("", "", reason=_("Chưa đọc được nội dung của định dạng tệp này."))


# ---- PDF -----------------------------------------------------------------------------------------------

def pdf_text(path: Path) -> tuple[str, int]:
    """The text layer of every page and the page count."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise ExtractionFailed(_("Tệp PDF bị hỏng, không đọc được nội dung.")) from exc
    return "\n\n".join(p.strip() for p in pages), len(pages)


def _letters(text: str) -> int:
    return sum(ch.isalnum() for ch in text)


def _pdf(path: Path, workdir: Path) -> Extracted:
    text, pages = pdf_text(path)
    if pages and _letters(text) >= MIN_CHARS_PER_PAGE * pages:
        return Extracted(text, "text", pages)
    return _ocr(path, workdir, image=False, pages=pages, text_layer=text)


# ---- OCR ------------------------------------------------------------------------------------------------

def _ocr(path: Path, workdir: Path, *, image: bool, pages: int | None = None, text_layer: str = "") -> Extracted:
    if not settings.QLVB_OCR:
        return Extracted(text_layer, "text" if text_layer.strip() else "", pages,
                         reason=_("Nhận dạng chữ (OCR) đang tắt trên máy chủ."))
    if not ocr_available():
        raise ExtractionFailed(_("Máy chủ chưa cài Tesseract để nhận dạng chữ trong tệp quét."))
    if pages and pages > settings.QLVB_OCR_MAX_PAGES:
        raise ExtractionFailed(_("Tệp có %(pages)d trang, quá %(max)d trang được nhận dạng chữ tự động.")
                               % {"pages": pages, "max": settings.QLVB_OCR_MAX_PAGES})
    import ocrmypdf
    from ocrmypdf import exceptions as ocr_errors

    output = workdir / "ocr.pdf"
    options = {"language": [lang for lang in settings.QLVB_OCR_LANGUAGES.split("+") if lang],
               "output_type": "pdfa", "progress_bar": False, "jobs": 1,
               "tesseract_timeout": settings.QLVB_OCR_PAGE_TIMEOUT,
               # PDF/A written by pikepdf and pages rasterized by pypdfium2, both from the pinned Python
               # packages: no Ghostscript (ocrmypdf refuses Debian 12's 10.0.0 for pages that have text).
               "pdfa_backend": "internal", "rasterizer": "pypdfium"}
    if image:
        options["image_dpi"] = IMAGE_DPI
    else:
        options["skip_text"] = True  # pages with a text layer keep it; only the scanned ones are read
    try:
        ocrmypdf.ocr(path, output, **options)
    except ocr_errors.MissingDependencyError as exc:
        raise ExtractionFailed(_("Máy chủ thiếu chương trình nhận dạng chữ: %(what)s.") % {"what": str(exc)[:200]}) \
            from exc
    except ocr_errors.EncryptedPdfError as exc:
        raise ExtractionFailed(_("Tệp PDF được mã hóa, không nhận dạng chữ được.")) from exc
    except ocr_errors.InputFileError as exc:
        raise ExtractionFailed(_("Tệp không nhận dạng chữ được: %(what)s.") % {"what": str(exc)[:200]}) from exc
    except ocr_errors.SubprocessOutputError as exc:
        raise ExtractionFailed(_("Tesseract không nhận dạng được tệp (quá thời gian hoặc lỗi).")) from exc
    except ocr_errors.ExitCodeException as exc:
        raise ExtractionFailed(_("Nhận dạng chữ không thành công (mã lỗi %(code)s).")
                               % {"code": int(exc.exit_code)}) from exc
    text, pages = pdf_text(output)
    return Extracted(text, "ocr", pages, ocr_pdf=output)


# ---- Office files --------------------------------------------------------------------------------------

class _TextTarget:
    """An ElementTree parser target keeping the text of the elements named `keep` (local names), with a
    line break after each element named in `breaks`."""

    def __init__(self, keep: set[str], breaks: set[str]):
        self.keep, self.breaks, self.parts, self._inside = keep, breaks, [], 0

    @staticmethod
    def _local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    def start(self, tag, attrib):
        if self._local(tag) in self.keep:
            self._inside += 1
        elif self._local(tag) == "tab":
            self.parts.append("\t")

    def end(self, tag):
        name = self._local(tag)
        if name in self.keep:
            self._inside -= 1
        if name in self.breaks:
            self.parts.append("\n")

    def data(self, text):
        if self._inside:
            self.parts.append(text)

    def close(self):
        return "".join(self.parts)


def _office(path: Path, content_type: str) -> str:
    if content_type == DOCX:
        parts, keep, breaks = lambda names: [n for n in names if n.startswith("word/") and n.endswith(".xml")
                                             and n.rsplit("/", 1)[-1].startswith(("document", "header", "footer",
                                                                                  "footnotes", "endnotes"))], \
            {"t"}, {"p", "tr"}
    elif content_type == XLSX:
        parts, keep, breaks = lambda names: sorted(
            n for n in names if n == "xl/sharedStrings.xml" or (n.startswith("xl/worksheets/") and n.endswith(".xml"))
        ), {"t", "v"}, {"si", "row", "c"}
    else:  # ODT, ODS: all the text of content.xml
        parts, keep, breaks = lambda names: [n for n in names if n == "content.xml"], {"p", "h", "span", "s"}, \
            {"p", "h"}
    texts = []
    try:
        with officefiles.open_package(path) as package:
            for name in parts(package.names):
                texts.append(package.parse(name, _TextTarget(keep, breaks)) or "")
    except FileRejected as exc:
        raise ExtractionFailed(" ".join(exc.messages)) from exc
    return "\n".join(t.strip() for t in texts if t.strip())
