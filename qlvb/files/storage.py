"""The content-addressed file store: every uploaded or generated file, once per content.

Files live at `ab/cd/<sha256>` under QLVB_FILES_DIR or in an S3 bucket (`backends.py`,
QLVB_STORAGE), are staged and checked in QLVB_FILES_DIR first (type from their bytes, never from their
name), written atomically (temporary file, fsync, rename; on S3 once per content, after checking it
is not there yet), and are re-hashed on every read, so a changed or damaged file is reported and
never served. Office files go through `officefiles` (zip bombs, XML entities) and PDFs through
`pdffiles` (damage, encryption, active content) before they are kept.

Rollback: a file is written before the database row that references it commits. If the transaction
rolls back, the file stays in the store unreferenced; it is harmless (content-addressed, never served
without a Blob row) and `verify_files --prune` removes it. No file is ever deleted while a row may
point to it.
"""

import dataclasses
import hashlib
import io
import os
import tempfile
from pathlib import Path

import filetype
from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from . import backends, officefiles, pdffiles
from .errors import FileCorrupted, FileRejected
from .models import Blob
from .officefiles import DOCX, ODS, ODT, XLSX

CHUNK = 64 * 1024
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


def path_for(sha256: str) -> Path:
    """Where the local store keeps a content (QLVB_STORAGE=local only; read through `open_checked`)."""
    return Path(settings.QLVB_FILES_DIR) / backends.key_for(sha256)


def sniff(head: bytes, path: Path) -> str:
    """The content type from the file's bytes, or FileRejected."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        kind = officefiles.content_type(path)
    else:
        kind = getattr(filetype.guess(head), "mime", None)
    if kind in ALLOWED_TYPES:
        return kind
    raise FileRejected(_("Định dạng tệp không được chấp nhận (chỉ nhận PDF, ảnh quét, Word, Excel)."))


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
    active_content: tuple[str, ...] = ()  # what a PDF reader may run (pdffiles), stored on the Blob


def _stage_named(source, limit: int, allowed: dict, name: str = "") -> Staged:
    """`_stage`, with the refusal naming the file (the clerk may have chosen several)."""
    name = str(name or getattr(source, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
    try:
        return _stage(source, limit, allowed)
    except FileRejected as exc:
        if not name:
            raise
        raise FileRejected(_("Không nhận tệp “%(name)s”. %(reason)s")
                           % {"name": name, "reason": " ".join(exc.messages)}) from exc


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
        active = ()
        if content_type == "application/pdf":
            active = tuple(pdffiles.check(tmp))
        elif content_type in officefiles.TYPES:
            officefiles.check(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return Staged(tmp, digest.hexdigest(), size, content_type, active)


def stage_all(sources, *, max_bytes: int | None = None, allowed: dict = ALLOWED_TYPES,
              names: list[str] | None = None) -> list[Staged]:
    """Check and hash every upload, or refuse them all. Services call it before their transaction, so
    copying, fsync and PDF parsing do not hold the database's write lock; `keep` then stores them."""
    limit = max_bytes or settings.QLVB_MAX_UPLOAD_BYTES
    staged = []
    try:
        for i, source in enumerate(sources):
            staged.append(_stage_named(source, limit, allowed, names[i] if names else ""))
        backend = backends.current()
        if backend.uploads_early:  # object storage: the upload happens before the caller's transaction
            for item in staged:
                backend.place(item.path, backends.key_for(item.sha256))
    except BaseException:
        discard(staged)
        raise
    return staged


def keep(staged: list[Staged]) -> list[Blob]:
    """Move staged files to their content address and record them (inside the caller's transaction)."""
    backend = backends.current()
    if not backend.uploads_early:
        for item in staged:
            backend.place(item.path, backends.key_for(item.sha256))
    now = timezone.now()
    blobs = [Blob(sha256=item.sha256, size=item.size, content_type=item.content_type, created_at=now,
                  active_content=list(item.active_content)) for item in staged]
    if blobs:
        _record(blobs)
    return blobs


def _record(blobs: list[Blob]) -> None:
    """INSERT the blobs' rows in one statement: a content stored before keeps its row (same name, same
    bytes, same verdict), but a row stored before the verdict existed (NULL) learns it now."""
    connection = transaction.get_connection()
    quote, table = connection.ops.quote_name, connection.ops.quote_name(Blob._meta.db_table)
    fields = [Blob._meta.get_field(name) for name in ("sha256", "size", "content_type", "created_at",
                                                      "active_content")]
    unique = list({blob.sha256: blob for blob in blobs}.values())  # the same file twice: one row
    params = [f.get_db_prep_save(getattr(blob, f.attname), connection) for blob in unique for f in fields]
    row, verdict = "(" + ", ".join(["%s"] * len(fields)) + ")", quote("active_content")
    # Names from the model's metadata only; every value is a parameter (PostgreSQL and SQLite alike).
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
            f"VALUES {', '.join([row] * len(unique))} ON CONFLICT ({quote('sha256')}) "
            f"DO UPDATE SET {verdict} = excluded.{verdict} WHERE {table}.{verdict} IS NULL", params)
    for blob in blobs:
        blob._state.adding, blob._state.db = False, connection.alias


def discard(staged: list[Staged]) -> None:
    """Remove temporary files that were not kept (a no-op for those already kept)."""
    for item in staged:
        item.path.unlink(missing_ok=True)


def store_all(sources, *, max_bytes: int | None = None, allowed: dict = ALLOWED_TYPES,
              names: list[str] | None = None) -> list[Blob]:
    """Store several uploads, or none: every file is checked before any enters the store."""
    staged = stage_all(sources, max_bytes=max_bytes, allowed=allowed, names=names)
    try:
        return keep(staged)
    finally:
        discard(staged)


def store(source, *, name: str = "", max_bytes: int | None = None, allowed: dict = ALLOWED_TYPES) -> Blob:
    """Store one upload (Django file, file-like or bytes) and return its Blob, or raise FileRejected."""
    return store_all([source], max_bytes=max_bytes, allowed=allowed, names=[name])[0]


def _corrupted(blob: Blob) -> FileCorrupted:
    return FileCorrupted(_("Tệp %(sha)s đã bị thay đổi hoặc hỏng so với lúc lưu.") % {"sha": blob.sha256[:12]})


def open_checked(blob: Blob):
    """A binary file of the stored content at position 0, after re-hashing it; FileCorrupted when it is
    missing or changed. The caller closes it (a FileResponse does). Hashed from the very handle that is
    then read, so what was checked is what is served; from S3 the object is fetched once, into a
    spooled temporary file (memory bounded), never into one bytes object."""
    try:
        handle = backends.current().open(backends.key_for(blob.sha256))
    except FileNotFoundError as exc:
        raise FileCorrupted(_("Tệp %(sha)s không còn trong kho lưu trữ.") % {"sha": blob.sha256[:12]}) from exc
    try:
        digest = hashlib.sha256()
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
        if digest.hexdigest() != blob.sha256:
            raise _corrupted(blob)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return handle


def verify(blob: Blob) -> None:
    """Re-hash the stored file; raise FileCorrupted when it is missing or changed."""
    open_checked(blob).close()


def ensure_verdict(blob: Blob, handle=None) -> None:
    """Decide the active content of a file stored before the check existed (once per content).
    `handle`: the content already open (left at position 0); otherwise it is fetched."""
    if blob.active_content is not None:
        return
    if blob.content_type != "application/pdf":
        blob.active_content = []
    elif handle is not None:
        blob.active_content = pdffiles.active_content(handle)
        handle.seek(0)
    else:
        with backends.current().open(backends.key_for(blob.sha256)) as fetched:
            blob.active_content = pdffiles.active_content(fetched)
    Blob.objects.filter(pk=blob.pk).update(active_content=blob.active_content)


def open_verified(blob: Blob) -> bytes:
    """The file's bytes, after checking them against the hash (for small files)."""
    try:
        with open_checked(blob) as handle:
            return handle.read()
    except FileCorrupted as exc:
        raise _corrupted(blob) from exc
