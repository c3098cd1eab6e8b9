"""The content-addressed file store: every uploaded or generated file, once per content.

Files live at `<QLVB_FILES_DIR>/ab/cd/<sha256>`, are written atomically (temporary file, fsync,
rename), have their type checked from their bytes (never from their name), and are re-hashed on
every read, so a changed or damaged file is reported and never served.

Rollback: a file is written before the database row that references it commits. If the transaction
rolls back, the file stays on disk unreferenced; it is harmless (content-addressed, never served
without a Blob row) and `verify_files --prune` removes it. No file is ever deleted while a row may
point to it.
"""

import dataclasses
import hashlib
import io
import os
import tempfile
import zipfile
from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models import Blob

CHUNK = 64 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
OLE = "application/x-ole-storage"  # legacy .doc / .xls

ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/tiff": "TIFF",
    DOCX: "Word (.docx)",
    XLSX: "Excel (.xlsx)",
    ODT: "OpenDocument (.odt)",
    ODS: "OpenDocument (.ods)",
    OLE: "Word/Excel 97-2003",
}
PDF_ONLY = {"application/pdf": "PDF"}


class FileRejected(ValidationError):
    """The upload is refused; nothing was stored."""


class FileCorrupted(Exception):
    """A stored file no longer matches its SHA-256 (or is missing)."""


def path_for(sha256: str) -> Path:
    return Path(settings.QLVB_FILES_DIR) / sha256[:2] / sha256[2:4] / sha256


def sniff(head: bytes, path: Path) -> str:
    """The content type from the file's bytes, or FileRejected."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        return _zip_office_type(path)
    kind = filetype.guess(head)
    if kind and kind.mime in ALLOWED_TYPES:
        return kind.mime
    raise FileRejected(_("Định dạng tệp không được chấp nhận (chỉ nhận PDF, ảnh quét, Word, Excel)."))


def _zip_office_type(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                if mimetype in (ODT, ODS):
                    return mimetype
            if "word/document.xml" in names:
                return DOCX
            if "xl/workbook.xml" in names:
                return XLSX
    except (zipfile.BadZipFile, OSError) as exc:
        raise FileRejected(_("Tệp nén bị hỏng hoặc không đúng định dạng.")) from exc
    raise FileRejected(_("Định dạng tệp không được chấp nhận (chỉ nhận PDF, ảnh quét, Word, Excel)."))


def check_pdf(path: Path) -> int:
    """Open the PDF defensively; refuse encrypted, damaged or oversized ones. Returns its page count."""
    from pypdf import PdfReader

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
    return pages


def _chunks(source):
    if isinstance(source, bytes | bytearray):
        source = io.BytesIO(source)
    if hasattr(source, "chunks"):
        yield from source.chunks(CHUNK)
        return
    if hasattr(source, "seek"):
        source.seek(0)
    while chunk := source.read(CHUNK):
        yield chunk


def _too_big(limit: int) -> FileRejected:
    return FileRejected(_("Tệp vượt quá dung lượng cho phép (%(max)s).") % {"max": filesizeformat(limit)})


@dataclasses.dataclass(frozen=True)
class Staged:
    """An upload checked and hashed into a temporary file of the store, not kept yet."""

    path: Path
    sha256: str
    size: int
    content_type: str


def _stage(source, limit: int, allowed: dict) -> Staged:
    """Copy the upload to a temporary file in the store while hashing and checking it."""
    declared = getattr(source, "size", None)
    if declared is not None and declared > limit:
        raise _too_big(limit)  # refused before reading a byte
    root = Path(settings.QLVB_FILES_DIR)
    root.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp_name = tempfile.mkstemp(dir=root, prefix=".upload-")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in _chunks(source):
                size += len(chunk)
                if size > limit:
                    raise _too_big(limit)
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if size == 0:
            raise FileRejected(_("Tệp rỗng."))
        with open(tmp, "rb") as handle:
            content_type = sniff(handle.read(8192), tmp)
        if content_type not in allowed:
            raise FileRejected(_("Chỉ chấp nhận tệp %(types)s.") % {"types": ", ".join(allowed.values())})
        if content_type == "application/pdf":
            check_pdf(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Staged(tmp, digest.hexdigest(), size, content_type)


def stage_all(sources, *, max_bytes: int | None = None, allowed: dict = ALLOWED_TYPES) -> list[Staged]:
    """Check and hash every upload, or refuse them all. Services call it before their transaction, so
    copying, fsync and PDF parsing do not hold the database's write lock; `keep` then stores them."""
    limit = max_bytes or settings.QLVB_MAX_UPLOAD_BYTES
    staged = []
    try:
        for source in sources:
            staged.append(_stage(source, limit, allowed))
    except BaseException:
        discard(staged)
        raise
    return staged


def keep(staged: list[Staged]) -> list[Blob]:
    """Move staged files to their content address and record them (inside the caller's transaction)."""
    for item in staged:
        final = path_for(item.sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(item.path, final)
    blobs = [Blob(sha256=item.sha256, size=item.size, content_type=item.content_type) for item in staged]
    # One statement; a content stored before keeps its row (same name, same bytes).
    Blob.objects.bulk_create(blobs, ignore_conflicts=True)
    return blobs


def discard(staged: list[Staged]) -> None:
    """Remove temporary files that were not kept (a no-op for those already kept)."""
    for item in staged:
        item.path.unlink(missing_ok=True)


def store_all(sources, *, max_bytes: int | None = None, allowed: dict = ALLOWED_TYPES) -> list[Blob]:
    """Store several uploads, or none: every file is checked before any enters the store."""
    staged = stage_all(sources, max_bytes=max_bytes, allowed=allowed)
    try:
        return keep(staged)
    finally:
        discard(staged)


def store(source, *, name: str = "", max_bytes: int | None = None, allowed: dict = ALLOWED_TYPES) -> Blob:
    """Store one upload (Django file, file-like or bytes) and return its Blob, or raise FileRejected."""
    return store_all([source], max_bytes=max_bytes, allowed=allowed)[0]


def verify(blob: Blob) -> None:
    """Re-hash the stored file; raise FileCorrupted when it is missing or changed."""
    path = path_for(blob.sha256)
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(CHUNK):
                digest.update(chunk)
    except FileNotFoundError as exc:
        raise FileCorrupted(_("Tệp %(sha)s không còn trong kho lưu trữ.") % {"sha": blob.sha256[:12]}) from exc
    if digest.hexdigest() != blob.sha256:
        raise FileCorrupted(_("Tệp %(sha)s đã bị thay đổi hoặc hỏng so với lúc lưu.") % {"sha": blob.sha256[:12]})


def open_verified(blob: Blob) -> bytes:
    """The file's bytes, after checking them against the hash (for small files)."""
    data = path_for(blob.sha256).read_bytes() if path_for(blob.sha256).exists() else None
    if data is None or hashlib.sha256(data).hexdigest() != blob.sha256:
        raise FileCorrupted(_("Tệp %(sha)s đã bị thay đổi hoặc hỏng so với lúc lưu.") % {"sha": blob.sha256[:12]})
    return data
