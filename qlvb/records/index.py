"""The index of a record (Mục lục văn bản trong hồ sơ, Decree 30 Annex V / PL VI I.V): one row per filed
document — STT · Số, ký hiệu · Ngày · Tên loại và trích yếu · Tác giả · Tờ số/Trang số · Ghi chú —, with
the files each row stands for. The system fills it (biên mục) when the record is closed."""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from .models import RecordDocument


@dataclass
class Row:
    ordinal: int
    notation: str
    day: date | None
    title: str
    author: str
    pages: int | None
    page_range: str = ""
    notes: str = ""
    files: list = field(default_factory=list)  # [(name, Blob)]
    entry: RecordDocument | None = None


def _files(entry) -> list:
    if entry.kind == RecordDocument.Kind.INCOMING:
        return [(a.name, a.blob) for a in entry.incoming.attachments.all()]
    if entry.kind == RecordDocument.Kind.OUTGOING:
        main = [(entry.outgoing.file_name, entry.outgoing.blob)] if entry.outgoing.blob_id else []
        return main + [(a.name, a.blob) for a in entry.outgoing.attachments.all()]  # in separate files (§1.6)
    if entry.kind == RecordDocument.Kind.DRAFT:
        version = entry.version
        return [(version.file_name, version.blob)] if version.blob_id else []
    return [(entry.note.file_name, entry.note.blob)] if entry.note.blob_id else []


def row_of(entry: RecordDocument) -> Row:
    kind = RecordDocument.Kind
    if entry.kind == kind.INCOMING:
        doc = entry.incoming
        row = Row(entry.ordinal, doc.notation, doc.issued_on, f"{doc.document_type} {doc.summary}".strip(),
                  doc.issuer_name, entry.page_count or doc.page_count)
    elif entry.kind == kind.OUTGOING:
        doc = entry.outgoing
        row = Row(entry.ordinal, doc.notation, doc.issued_on, f"{doc.document_type} {doc.summary}".strip(),
                  doc.agency_name or doc.drafting_unit.name, entry.page_count or doc.page_count)
    elif entry.kind == kind.DRAFT:
        version, draft = entry.version, entry.version.draft
        row = Row(entry.ordinal, "", timezone.localtime(version.created_at).date(),
                  f"Bản thảo (phiên bản {version.number}): {draft.document_type} {draft.summary}",
                  version.author.full_name, entry.page_count)
    else:
        note = entry.note
        row = Row(entry.ordinal, "", timezone.localtime(note.created_at).date(), note.text or note.file_name,
                  note.author.full_name, entry.page_count)
    row.notes, row.files, row.entry = entry.notes, _files(entry), entry
    return row


def with_related(entries):
    return entries.select_related(
        "incoming__document_type", "outgoing__document_type", "outgoing__drafting_unit", "outgoing__blob",
        "version__draft__document_type", "version__author", "version__blob", "note__author", "note__blob",
    ).prefetch_related("incoming__attachments__blob", "outgoing__attachments")


def rows(entries) -> list[Row]:
    """The index rows, with "Tờ số/Trang số" running on from one document to the next."""
    out, first = [], 1
    for entry in with_related(entries):
        row = row_of(entry)
        if row.pages:
            row.page_range = f"{first}–{first + row.pages - 1}" if row.pages > 1 else str(first)
            first += row.pages
        out.append(row)
    return out


def date_order(entries) -> list[RecordDocument]:
    """Entries in the order of the documents' dates (then the order they were filed): the index's order."""
    dated = [(row_of(e).day or date.max, e.ordinal, e.pk, e) for e in with_related(entries)]
    return [e for *_key, e in sorted(dated, key=lambda item: item[:3])]


def fingerprint(index_rows: list[Row]) -> str:
    """SHA-256 of the index as closed: each row's columns and its files' SHA-256, in order."""
    payload = [{"ordinal": r.ordinal, "notation": r.notation, "day": r.day.isoformat() if r.day else None,
                "title": r.title, "author": r.author, "pages": r.pages, "page_range": r.page_range,
                "notes": r.notes, "files": [blob.sha256 for _name, blob in r.files]} for r in index_rows]
    return hashlib.sha256(json.dumps(payload, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
