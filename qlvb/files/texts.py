"""The text of every attached file (issue 12): asked for when a file is attached to a document, read in
the task queue (`files.tasks.extract_text`), kept per content in `FileText`.

`request_text(blobs)` records a pending row per new content and queues the task after COMMIT (never in
the request). `run(sha256)` is the task's body and is safe to run twice: a content already read is left
alone, a second worker on the same content writes the same result. When the text is kept, the
documents that carry the file are indexed again (`documents.fulltext.reindex_blob`)."""

import logging
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb.core.taskqueue import enqueue_on_commit
from qlvb.core.text import clean

from . import storage, textract
from .errors import FileCorrupted, FileRejected
from .models import Blob, FileText

log = logging.getLogger(__name__)


def request_text(blobs) -> None:
    """Read the text of these stored files in the background, once per content."""
    from .tasks import extract_text

    shas = {b.pk if isinstance(b, Blob) else b for b in blobs if b}
    if not shas:
        return
    for sha in _insert_pending(sorted(shas)):
        enqueue_on_commit(extract_text, sha256=sha)


def _insert_pending(shas: list[str]) -> list[str]:
    """A pending row for each content not read yet, in one statement; the contents whose row it made."""
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    fields = FileText._meta.concrete_fields
    rows = [FileText(blob_id=sha) for sha in shas]
    params = [f.get_db_prep_save(f.pre_save(row, True), connection) for row in rows for f in fields]
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    # Names from the model's metadata only; every value is a parameter (PostgreSQL and SQLite alike).
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(FileText._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
            f"VALUES {', '.join([one] * len(rows))} ON CONFLICT DO NOTHING RETURNING {quote('blob_id')}", params)
        return sorted(sha for (sha,) in cursor.fetchall())


def run(sha256: str) -> FileText | None:
    """Read the file's text and keep it (the task's body)."""
    claimed = FileText.objects.filter(pk=sha256).exclude(state=FileText.State.DONE).update(
        state=FileText.State.RUNNING, started_at=timezone.now(), reason="")
    if not claimed:
        return None  # read already (or the file's row is gone)
    row = FileText.objects.select_related("blob").get(pk=sha256)
    FileText.objects.filter(pk=sha256).update(attempts=row.attempts + 1)
    try:
        extracted, ocr_blob = _extract(row.blob)
    except textract.ExtractionFailed as exc:
        _finish(sha256, state=FileText.State.FAILED, reason=str(exc)[:500])
    except (FileCorrupted, FileRejected) as exc:
        _finish(sha256, state=FileText.State.FAILED, reason=" ".join(getattr(exc, "messages", [str(exc)]))[:500])
    except Exception:
        log.exception("Reading the text of %s failed", sha256)
        _finish(sha256, state=FileText.State.FAILED, reason=_("Lỗi không mong đợi khi đọc nội dung tệp."))
    else:
        _finish(sha256, state=FileText.State.DONE, method=extracted.method, pages=extracted.pages,
                text=clean(extracted.text)[:settings.QLVB_FILE_TEXT_MAX_CHARS], reason=extracted.reason[:500],
                ocr_blob=ocr_blob)
    from qlvb.documents.fulltext import reindex_blob

    reindex_blob(sha256)
    return FileText.objects.get(pk=sha256)


def _extract(blob: Blob):
    """The file's text and, after OCR, the searchable PDF/A stored beside it (a Blob of its own)."""
    with tempfile.TemporaryDirectory(prefix="qlvb-text-") as tmp:
        workdir = Path(tmp)
        source = workdir / "source"
        with storage.open_checked(blob) as handle, open(source, "wb") as out:
            while chunk := handle.read(storage.CHUNK):
                out.write(chunk)
        extracted = textract.extract(source, blob.content_type, workdir)
        ocr_blob = None
        if extracted.ocr_pdf is not None:
            ocr_blob = storage.store(extracted.ocr_pdf.read_bytes(), name="ocr.pdf", allowed=storage.PDF_ONLY,
                                     max_bytes=max(settings.QLVB_MAX_UPLOAD_BYTES, 4 * blob.size))
        return extracted, ocr_blob


def _finish(sha256: str, **values) -> None:
    with transaction.atomic():
        FileText.objects.filter(pk=sha256).update(finished_at=timezone.now(), **values)


def texts_for(blob_ids) -> dict[str, FileText]:
    """The read state of these files, by SHA-256 (one query): what the document pages show."""
    ids = [i for i in blob_ids if i]
    return {t.pk: t for t in FileText.objects.filter(pk__in=ids).defer("text")} if ids else {}


def ocr_blob_of(sha256: str) -> Blob:
    """The searchable PDF/A that OCR made of this file (404 when there is none)."""
    from django.http import Http404

    text = FileText.objects.select_related("ocr_blob").filter(pk=sha256, ocr_blob__isnull=False).first()
    if text is None:
        raise Http404
    return text.ocr_blob


def ocr_name(name: str) -> str:
    """The name the searchable PDF/A is served under: `cong-van.pdf` → `cong-van (OCR).pdf`."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem} (OCR).pdf"
