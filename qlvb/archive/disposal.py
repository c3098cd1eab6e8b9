"""Hủy tài liệu hết giá trị (issue 13 item 6): archived records whose retention has run out are proposed
for disposal by the archivist, each with its reason; the head of the agency records the decision taken
on the value appraisal council's advice (decision number and date, the council's members); the
archivist then carries it out: the records' documents and files are destroyed and the Biên bản hủy tài
liệu (PDF, with the list) is kept, as is every record's metadata. Records kept permanently ("Vĩnh
viễn") never qualify. One function per action: permission first, audit and notifications last.

What is destroyed, per document filed in a record (the record's own rows always go):
- a file added to the record (a note): the note and its file;
- a draft of record: the version's file and text;
- an incoming or issued document: its files, when no other record still holds it (its register entry,
  the metadata, stays);
and a stored content (Blob) only when nothing but the access history still refers to it (another
document, record, package, report…): its text goes, its bytes leave the store after the commit, and
`DestroyedFile` remembers it."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb import access
from qlvb.access import Action
from qlvb.audit.services import record as audit
from qlvb.core.text import field_text

from .models import DestroyedFile, Disposal, DisposalItem

MAX_TEXT = 2000
ACTIVE = (Disposal.State.PROPOSED, Disposal.State.APPROVED, Disposal.State.DISPOSED)


def _notify(**kwargs):
    from qlvb.monitoring.services import notify

    notify(**kwargs)


# ---- which records have run out of retention ---------------------------------------------------------

def last_year(record) -> int | None:
    """The last year a record is kept: its retention counts from the year its work ended (the end date,
    else the day it was closed); None for a permanent record or one without a retention or an end."""
    if record.retention_permanent or not record.retention_years:
        return None
    ended = record.end_date or (timezone.localdate(record.closed_at) if record.closed_at else None)
    return ended.year + record.retention_years if ended else None


def disposed_by(record):
    """The disposal that destroyed an archived record's documents (its metadata stays), or None."""
    if not record.is_archived:
        return None
    item = record.disposal_items.filter(disposal__state=Disposal.State.DISPOSED).select_related("disposal").first()
    return item.disposal if item else None


def has_expired(record, today: date) -> bool:
    last = last_year(record)
    return last is not None and today.year > last


def expired(records, today: date):
    """The records of `records` (a queryset) whose retention ran out before `today`'s year, never a
    permanent one, and not already in a disposal under way or done."""
    return (records.filter(retention_permanent=False, retention_years__isnull=False)
            .annotate(ended_year=Coalesce(ExtractYear("end_date"), ExtractYear("closed_at")))
            .filter(ended_year__lt=Value(today.year) - F("retention_years"))
            .exclude(disposal_items__disposal__state__in=ACTIVE))


def _refusal(record, today: date) -> str:
    """Why a record may not be proposed for disposal, or ""."""
    from qlvb.records.models import WorkRecord

    title, last = record.title, last_year(record)
    if record.retention_permanent:
        return _("Hồ sơ “%(t)s” có thời hạn bảo quản Vĩnh viễn: không được đề nghị hủy.") % {"t": title}
    if record.status != WorkRecord.Status.ARCHIVED:
        return _("Hồ sơ “%(t)s” chưa nộp lưu vào lưu trữ cơ quan: chỉ đề nghị hủy hồ sơ lưu trữ đã hết thời hạn "
                 "bảo quản.") % {"t": title}
    if last is None:
        return _("Hồ sơ “%(t)s” chưa có thời hạn bảo quản hoặc thời gian kết thúc: không đề nghị hủy được.") % {
            "t": title}
    if not has_expired(record, today):
        return _("Hồ sơ “%(t)s” còn thời hạn bảo quản đến hết năm %(y)d: chưa được đề nghị hủy.") % {
            "t": title, "y": last}
    item = DisposalItem.objects.filter(record=record, disposal__state__in=ACTIVE).select_related("disposal").first()
    return _("Hồ sơ “%(t)s” đã có trong %(d)s.") % {"t": title, "d": item.disposal} if item else ""


def _proposable(record, today: date) -> None:
    refusal = _refusal(record, today)
    if refusal:
        raise ValidationError(refusal)  # names the record; about the request, not one field


def _next_number(year: int) -> int:
    # Lock the year's rows, then count (PostgreSQL refuses FOR UPDATE with an aggregate); the unique
    # constraint answers a race on the year's first proposal.
    numbers = Disposal.objects.select_for_update().filter(year=year).values_list("number", flat=True)
    return max(numbers, default=0) + 1


# ---- the actions ------------------------------------------------------------------------------------------

@transaction.atomic
def propose(*, actor, items, note: str = "") -> Disposal:
    """The archivist proposes expired archived records for disposal: `items` is [(record, reason)]."""
    from qlvb.organization.selectors import director
    from qlvb.records.models import WorkRecord

    access.require(actor, Action.DISPOSE_RECORDS)
    if not items:
        raise ValidationError(_("Chọn hồ sơ đề nghị hủy."))
    note = field_text(note, "note", _("thuyết minh"), MAX_TEXT)
    locked = WorkRecord.objects.select_for_update().in_bulk([record.pk for record, _reason in items])
    today, chosen = timezone.localdate(), {}
    for record, reason in items:
        record = locked[record.pk]
        _proposable(record, today)
        reason = (reason or "").strip()
        # Named by its record: the reason of several records is not one field.
        if not reason:
            raise ValidationError(_("Nhập lý do hủy hồ sơ “%(t)s”.") % {"t": record.title})
        if len(reason) > MAX_TEXT:
            raise ValidationError(_("Lý do hủy hồ sơ “%(t)s” dài quá %(n)d ký tự.")
                                  % {"t": record.title, "n": MAX_TEXT})
        chosen[record.pk] = (record, reason)
    now = timezone.now()
    year = timezone.localdate(now).year
    disposal = Disposal.objects.create(number=_next_number(year), year=year, note=note, proposed_by=actor,
                                       proposed_at=now)
    DisposalItem.objects.bulk_create([DisposalItem(disposal=disposal, record=record, reason=reason)
                                      for record, reason in chosen.values()])
    for record, reason in chosen.values():
        audit(actor=actor, action="archive.disposal_propose", obj=record,
              changes={"disposal": str(disposal), "reason": reason})
    _notify(recipients=[director()], kind="archive", link=f"/archive/disposals/{disposal.pk}/",
            text=_("Đề nghị hủy %(n)d hồ sơ hết thời hạn bảo quản chờ phê duyệt (%(d)s).")
            % {"n": len(chosen), "d": disposal})
    return disposal


def _locked(disposal, state) -> Disposal:
    disposal = Disposal.objects.select_for_update().get(pk=disposal.pk)
    if disposal.state != state:
        raise ValidationError(_("%(d)s đang ở trạng thái “%(s)s”: không thực hiện được thao tác này.")
                              % {"d": disposal, "s": disposal.get_state_display()})
    return disposal


@transaction.atomic
def approve(*, actor, disposal: Disposal, decision_number: str, decision_date: date | None,
            council: str) -> Disposal:
    """The head of the agency records the decision to destroy the proposed records, taken on the value
    appraisal council's advice: the decision's number and date and the council's members."""
    access.require(actor, Action.APPROVE, disposal)
    disposal = _locked(disposal, Disposal.State.PROPOSED)
    number = field_text(decision_number, "decision_number", _("số quyết định hủy tài liệu"), 50, required=True)
    if decision_date is None:
        raise ValidationError({"decision_date": ValidationError(_("Nhập ngày quyết định hủy tài liệu."),
                                                                code="required")})
    if decision_date > timezone.localdate():
        raise ValidationError({"decision_date": _("Ngày quyết định hủy tài liệu không được sau hôm nay.")})
    if decision_date < timezone.localdate(disposal.proposed_at):
        raise ValidationError({"decision_date": _("Ngày quyết định hủy tài liệu không được trước ngày đề nghị %(d)s.")
                               % {"d": f"{timezone.localdate(disposal.proposed_at):%d/%m/%Y}"}})
    council = field_text(council, "council", _("thành viên hội đồng xác định giá trị tài liệu"), MAX_TEXT,
                         required=True)
    disposal.state, disposal.decided_by, disposal.decided_at = Disposal.State.APPROVED, actor, timezone.now()
    disposal.decision_number, disposal.decision_date, disposal.council = number, decision_date, council
    disposal.save(update_fields=["state", "decided_by", "decided_at", "decision_number", "decision_date", "council"])
    for item in disposal.items.select_related("record"):
        audit(actor=actor, action="archive.disposal_approve", obj=item.record,
              changes={"disposal": str(disposal), "decision": number, "date": decision_date.isoformat()})
    _notify(recipients=[disposal.proposed_by], kind="archive", link=f"/archive/disposals/{disposal.pk}/",
            text=_("Đã có quyết định hủy tài liệu số %(n)s (%(d)s): thực hiện hủy.") % {"n": number, "d": disposal})
    return disposal


@transaction.atomic
def refuse(*, actor, disposal: Disposal, reason: str) -> Disposal:
    """The head of the agency does not approve; the records may be proposed again."""
    access.require(actor, Action.APPROVE, disposal)
    disposal = _locked(disposal, Disposal.State.PROPOSED)
    reason = field_text(reason, "refusal_reason", _("lý do không phê duyệt"), MAX_TEXT, required=True)
    disposal.state, disposal.decided_by, disposal.decided_at = Disposal.State.REFUSED, actor, timezone.now()
    disposal.refusal_reason = reason
    disposal.save(update_fields=["state", "decided_by", "decided_at", "refusal_reason"])
    for item in disposal.items.select_related("record"):
        audit(actor=actor, action="archive.disposal_refuse", obj=item.record,
              changes={"disposal": str(disposal), "reason": reason})
    _notify(recipients=[disposal.proposed_by], kind="archive", link=f"/archive/disposals/{disposal.pk}/",
            text=_("Không phê duyệt %(d)s: %(r)s") % {"d": disposal, "r": reason})
    return disposal


@transaction.atomic
def destroy(*, actor, disposal: Disposal) -> Disposal:
    """The archivist carries out an approved disposal: each record's documents and files are destroyed
    (its metadata and the index of what was destroyed stay), and the Biên bản hủy tài liệu is made."""
    from qlvb.files import storage
    from qlvb.records.models import WorkRecord

    access.require(actor, Action.DISPOSE_RECORDS)
    disposal = _locked(disposal, Disposal.State.APPROVED)
    items = list(disposal.items.order_by("id"))
    records = WorkRecord.objects.select_for_update().in_bulk([item.record_id for item in items])
    candidates, touched = set(), set()
    for item in items:
        item.record = records[item.record_id]
        item.contents, blobs, refresh = _empty(item.record)
        item.save(update_fields=["contents"])
        candidates |= blobs
        touched |= refresh
    destroyed = _destroy_blobs(candidates, disposal)
    now = timezone.now()
    disposal.state, disposal.disposed_by, disposal.disposed_at = Disposal.State.DISPOSED, actor, now
    disposal.file_count = sum(len(row["files"]) for item in items for row in item.contents)
    disposal.report = storage.store(report_pdf(disposal, items), name="bien-ban-huy.pdf", allowed=storage.PDF_ONLY)
    disposal.save(update_fields=["state", "disposed_by", "disposed_at", "file_count", "report"])
    for item in items:
        audit(actor=actor, action="archive.dispose", obj=item.record,
              changes={"disposal": str(disposal), "decision": disposal.decision_number,
                       "documents": len(item.contents)})
    transaction.on_commit(lambda: _remove_from_store(destroyed))
    _refresh_search(touched)
    _notify(recipients=[disposal.decided_by], kind="archive", link=f"/archive/disposals/{disposal.pk}/",
            text=_("Đã hủy tài liệu của %(n)d hồ sơ theo quyết định số %(q)s; biên bản hủy tài liệu đã lập.")
            % {"n": len(items), "q": disposal.decision_number})
    return disposal


def report_pdf(disposal, items) -> bytes:
    """Biên bản hủy tài liệu hết giá trị: the decision, the council, who destroyed what and when, and the
    list (Danh mục tài liệu hủy) with each record's metadata and its number of documents and files."""
    from .exports import _pdf

    rows = [{"n": n, "record": item.record, "reason": item.reason, "documents": len(item.contents),
             "files": sum(len(row["files"]) for row in item.contents)} for n, item in enumerate(items, start=1)]
    return _pdf("archive/disposal_pdf.html", {"disposal": disposal, "rows": rows, "orientation": "landscape"})


# ---- destroying ------------------------------------------------------------------------------------------

def _row(row) -> dict:
    return {"ordinal": row.ordinal, "notation": row.notation, "day": row.day.isoformat() if row.day else None,
            "title": row.title, "author": row.author, "pages": row.pages,
            "files": [{"name": name, "sha256": blob.sha256, "size": blob.size} for name, blob in row.files]}


def _empty(record) -> tuple[list[dict], set[str], set[tuple[str, int]]]:
    """Remove a record's documents: (the index as it was, the contents that may now be unreferenced,
    the search entries to write again)."""
    from qlvb.incoming.models import Attachment
    from qlvb.outgoing.models import OutgoingDocument
    from qlvb.records import index
    from qlvb.records.models import Note, RecordDocument, Version

    rows = index.rows(record.documents.all())
    contents = [_row(row) for row in rows]
    blobs = {blob.sha256 for row in rows for _name, blob in row.files}
    refresh = {("record", record.pk)}
    record.documents.all().delete()
    kind = RecordDocument.Kind
    for entry in (row.entry for row in rows):
        if entry.kind == kind.INCOMING and not RecordDocument.objects.filter(incoming_id=entry.incoming_id).exists():
            Attachment.objects.filter(document_id=entry.incoming_id).delete()
            refresh.add(("incoming", entry.incoming_id))
        elif entry.kind == kind.OUTGOING and not RecordDocument.objects.filter(outgoing_id=entry.outgoing_id).exists():
            OutgoingDocument.objects.filter(pk=entry.outgoing_id).update(blob=None)
            refresh.add(("outgoing", entry.outgoing_id))
        elif entry.kind == kind.DRAFT and not RecordDocument.objects.filter(version_id=entry.version_id).exists():
            Version.objects.filter(pk=entry.version_id).update(blob=None, body="")
            refresh.add(("draft", entry.version.draft_id))
    # The record's notes (its own files and remarks) go, unless another record holds one.
    notes = Note.objects.filter(record=record).exclude(pk__in=RecordDocument.objects.filter(note__isnull=False)
                                                        .values("note_id"))
    blobs |= set(notes.exclude(blob=None).values_list("blob_id", flat=True))
    notes.delete()
    return contents, blobs, refresh


def _referenced(sha256: str) -> bool:
    """Whether a row other than the access history (never changed) or the content's own text refers to
    this content: a document, a record, a package, a report, a signed PDF…"""
    from qlvb.files.models import Blob, FileText

    # Most relations to Blob are hidden (related_name="+"): `related_objects` would leave them out.
    relations = [f for f in Blob._meta.get_fields(include_hidden=True) if f.auto_created and not f.concrete]
    for relation in relations:
        model, name = relation.related_model, relation.field.name
        if (model is FileText and name == "blob") or model._meta.label_lower == "audit.accesslog":
            continue
        if model._base_manager.filter(**{name: sha256}).exists():
            return True
    return False


def _destroy_blobs(candidates: set[str], disposal) -> list[str]:
    """Destroy the contents no longer referenced: their text, their row unless the access history names
    them; their bytes leave the store after the commit. The OCR copy of a destroyed content goes too."""
    from qlvb.audit.models import AccessLog
    from qlvb.files.models import Blob, FileText

    destroyed, todo = [], sorted(candidates)
    while todo:
        sha = todo.pop()
        if sha in destroyed or _referenced(sha):
            continue
        texts = FileText.objects.filter(blob_id=sha)
        todo.extend(texts.exclude(ocr_blob=None).values_list("ocr_blob_id", flat=True))
        texts.delete()
        if not AccessLog.objects.filter(blob_id=sha).exists():
            Blob.objects.filter(pk=sha).delete()
        DestroyedFile.objects.update_or_create(sha256=sha, defaults={"disposal": disposal})
        destroyed.append(sha)
    return destroyed


def _remove_from_store(destroyed: list[str]) -> None:
    """After the commit: remove the bytes, unless the same content was stored again meanwhile."""
    from qlvb.files import backends

    backend = backends.current()
    for sha in destroyed:
        if not _referenced(sha):
            backend.delete(backends.key_for(sha))


def _refresh_search(touched) -> None:
    from qlvb.documents.fulltext import request_reindex

    for kind, pk in sorted(touched):
        request_reindex(kind, pk)
