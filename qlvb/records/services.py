"""Business actions on work records and drafts: open, share, note, close; save a draft version, ask
opinions, submit, approve, sign, return. Each is one transaction, permission first, audit last."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb import access
from qlvb.access import Action
from qlvb.audit.services import record as audit
from qlvb.core.taskqueue import enqueue_on_commit
from qlvb.core.text import field_text
from qlvb.files.storage import PDF_ONLY, store, store_all
from qlvb.organization.models import Role

from . import signature, signing, workflow
from .models import Draft, Note, OpinionRequest, RecordDocument, Share, Step, Version, WorkRecord
from .selectors import submit_receiver


def _notify(**kwargs):
    from qlvb.monitoring.services import notify

    notify(**kwargs)


def _check(draft, action):
    if not workflow.allowed(draft, action):
        raise ValidationError(_("Không thể thực hiện thao tác này khi dự thảo đang ở trạng thái “%(s)s”.")
                              % {"s": draft.get_state_display()})


def _frozen(record) -> None:
    """A closed record is frozen (F-5.d): nothing is added, removed or changed in it."""
    if record.status == WorkRecord.Status.ARCHIVED:
        raise ValidationError(_("Hồ sơ “%(t)s” đã nộp lưu vào lưu trữ cơ quan: chỉ xem, không thay đổi được.")
                              % {"t": record.title})
    if record.status != WorkRecord.Status.OPEN:
        raise ValidationError(_("Hồ sơ “%(t)s” đã đóng: không thêm, bớt hay sửa được.") % {"t": record.title})


def _record_text(value, field: str, label: str, limit: int, *, required=False) -> str:
    return field_text(value, field, label, limit, required=required)


@transaction.atomic
def open_record(*, actor, title: str = "", incoming=None, field=None, deadline=None, notes: str = "",
                plan_item=None, code: str = "", retention: str = "", start_date=None) -> WorkRecord:
    """Open a work record: from a planned record of the year's approved file plan (its code, title and
    retention), or ad hoc (the handler gives title, code, retention, start date — code and retention may
    wait until closing); on its own or from an incoming document the actor is handling, which is filed."""
    access.require(actor, Action.HANDLE_DOCUMENTS)
    if actor.unit_id is None:
        raise ValidationError(_("Tài khoản chưa thuộc đơn vị nào."))
    if incoming is not None:
        access.require(actor, Action.VIEW, incoming)
    start_date = start_date or timezone.localdate()
    item = WorkRecord(owner=actor, unit=actor.unit, field=field or (incoming.field if incoming else None),
                      deadline=deadline or (incoming.deadline if incoming else None), start_date=start_date,
                      year=start_date.year, language=settings.QLVB_DOCUMENT_LANGUAGE[:50])
    if plan_item is not None:
        plan = plan_item.plan
        if plan.is_draft or not access.can(actor, Action.VIEW, plan):
            raise ValidationError({"plan_item": _("Chỉ lập hồ sơ theo danh mục hồ sơ đã ban hành.")})
        item.plan_item, item.code, item.year = plan_item, plan_item.code, plan.year
        item.retention_permanent, item.retention_years = plan_item.retention_permanent, plan_item.retention_years
        title = title or plan_item.title
    else:
        item.code = _record_text(code, "code", _("số và ký hiệu hồ sơ"), 20)
        item.set_retention(retention)
    item.title = _record_text(title, "title", _("tên hồ sơ"), WorkRecord._meta.get_field("title").max_length,
                              required=True)
    item.notes = notes
    item.save()
    if incoming is not None:
        item.incoming.add(incoming)
        _file(actor, item, incoming=incoming)
    audit(actor=actor, action="records.open", obj=item,
          changes={"incoming": incoming.pk if incoming else None, "plan_item": plan_item.pk if plan_item else None,
                   "code": item.code})
    return item


RECORD_FIELDS = {"title", "code", "retention", "rights", "language", "start_date", "notes", "construction"}


@transaction.atomic
def update_record(*, actor, record: WorkRecord, **values) -> WorkRecord:
    """Correct the record's fields (Annex VI III) while it is open; a record opened from the plan keeps
    the plan's code unless the owner changes it here."""
    access.require(actor, Action.EDIT, record)
    record = WorkRecord.objects.select_for_update().get(pk=record.pk)
    _frozen(record)
    unknown = set(values) - RECORD_FIELDS
    if unknown:
        raise ValueError(unknown)
    before = {"title": record.title, "code": record.code, "retention": record.retention}
    if "title" in values:
        record.title = _record_text(values["title"], "title", _("tên hồ sơ"), 500, required=True)
    if "code" in values:
        record.code = _record_text(values["code"], "code", _("số và ký hiệu hồ sơ"), 20)
    if "retention" in values:
        record.set_retention(values["retention"])
    if "rights" in values:
        if values["rights"] not in WorkRecord.Rights.values:
            raise ValidationError({"rights": _("Chọn chế độ sử dụng.")})
        record.rights = values["rights"]
    if "language" in values:
        record.language = _record_text(values["language"], "language", _("ngôn ngữ"), 50, required=True)
    if "start_date" in values:
        if not values["start_date"]:
            raise ValidationError({"start_date": _("Nhập thời gian bắt đầu.")})
        record.start_date = values["start_date"]
        record.year = record.start_date.year if not record.plan_item_id else record.year
    if "notes" in values:
        record.notes = _record_text(values["notes"], "notes", _("ghi chú"), 500)
    if "construction" in values:
        record.construction = bool(values["construction"])
    record.save()
    audit(actor=actor, action="records.update", obj=record, changes={"before": before})
    return record


def _file(actor, record, **target) -> RecordDocument:
    """Add a document to the record's index with the next number (once: filing it again is a no-op)."""
    (name, obj), = target.items()
    existing = record.documents.filter(**{name: obj}).first()
    if existing is not None:
        return existing
    last = record.documents.order_by("-ordinal").values_list("ordinal", flat=True).first() or 0
    kind = {"incoming": RecordDocument.Kind.INCOMING, "outgoing": RecordDocument.Kind.OUTGOING,
            "version": RecordDocument.Kind.DRAFT, "note": RecordDocument.Kind.FILE}[name]
    page_count = getattr(obj, "page_count", None) if name in ("incoming", "outgoing") else None
    return RecordDocument.objects.create(record=record, ordinal=last + 1, kind=kind, filed_by=actor,
                                         page_count=page_count, **target)


@transaction.atomic
def file_document(*, actor, record: WorkRecord, incoming=None, outgoing=None, version=None) -> RecordDocument:
    """File a document the actor may open in the record: an incoming one, an issued one, or a draft's
    version kept as a draft of record (bản thảo). The document is linked, never copied."""
    access.require(actor, Action.EDIT, record)
    record = WorkRecord.objects.select_for_update().get(pk=record.pk)
    _frozen(record)
    targets = {k: v for k, v in {"incoming": incoming, "outgoing": outgoing, "version": version}.items() if v}
    if len(targets) != 1:
        raise ValidationError(_("Chọn một văn bản để đưa vào hồ sơ."))
    (name, obj), = targets.items()
    if name == "version":
        if obj.draft.record_id != record.pk:
            raise ValidationError({"version": _("Bản thảo không thuộc hồ sơ này.")})
        access.require(actor, Action.VIEW, obj.draft)
    else:
        access.require(actor, Action.VIEW, obj)
    entry = _file(actor, record, **targets)
    if name == "incoming":
        record.incoming.add(obj)
    audit(actor=actor, action="records.file", obj=record, changes={name: obj.pk, "ordinal": entry.ordinal})
    return entry


@transaction.atomic
def unfile_document(*, actor, record: WorkRecord, entry: RecordDocument) -> None:
    """Take a document out of the record's index; the numbers after it close up."""
    access.require(actor, Action.EDIT, record)
    record = WorkRecord.objects.select_for_update().get(pk=record.pk)
    _frozen(record)
    if entry.record_id != record.pk:
        raise ValidationError(_("Văn bản không thuộc hồ sơ này."))
    changes = {"kind": entry.kind, "ordinal": entry.ordinal, "incoming": entry.incoming_id,
               "outgoing": entry.outgoing_id}
    entry.delete()
    if changes["incoming"]:
        record.incoming.remove(changes["incoming"])
    _renumber(record, list(record.documents.order_by("ordinal", "id")))
    audit(actor=actor, action="records.unfile", obj=record, changes=changes)


def _renumber(record, entries) -> None:
    for number, entry in enumerate(entries, start=1):
        if entry.ordinal != number:
            entry.ordinal = number
            entry.save(update_fields=["ordinal"])


def file_issued(document) -> None:
    """Issuing files the document in its draft's record, by the system, unless the record is closed."""
    record = WorkRecord.objects.select_for_update().get(pk=document.draft.record_id)
    if record.status == WorkRecord.Status.OPEN:
        _file(document.issued_by, record, outgoing=document)


@transaction.atomic
def share(*, actor, record: WorkRecord, person, can_edit: bool = False) -> Share:
    access.require(actor, Action.EDIT, record)
    if person.pk == record.owner_id:
        raise ValidationError(_("Người lập hồ sơ đã có toàn quyền."))
    item, _created = Share.objects.update_or_create(record=record, person=person, defaults={"can_edit": can_edit})
    audit(actor=actor, action="records.share", obj=record, changes={"person": person.pk, "can_edit": can_edit})
    return item


@transaction.atomic
def add_note(*, actor, record: WorkRecord, text: str, upload=None) -> Note:
    access.require(actor, Action.EDIT, record)
    _frozen(record)
    if not (text or "").strip() and upload is None:
        raise ValidationError(_("Nhập nội dung hoặc chọn tệp."))
    blob = store_all([upload])[0] if upload is not None else None
    note = Note.objects.create(record=record, author=actor, text=(text or "").strip(), blob=blob,
                               file_name=getattr(upload, "name", "")[:255] if upload else "")
    if blob is not None:  # a file added to the record is one of its documents (photo, audio, other papers)
        _file(actor, WorkRecord.objects.select_for_update().get(pk=record.pk), note=note)
    audit(actor=actor, action="records.note", obj=record)
    return note


@transaction.atomic
def close_record(*, actor, record: WorkRecord, note: str = "", title: str | None = None, code: str | None = None,
                 retention: str | None = None) -> WorkRecord:
    """Close the record when the work ends (Decree 30 Art 29–30): the owner fixes title, code and
    retention on the closing page (`title`, `code`, `retention`), the checklist (`closing.checklist`) must
    pass, duplicates leave the index, the system numbers the documents in date order, counts documents
    and pages, sets the end date, and fixes the index with each file's SHA-256 (checked against the store).
    From then on the record is frozen. Open linked processing needs a closing note."""
    from qlvb.files.storage import FileCorrupted, verify

    from . import closing, index

    access.require(actor, Action.EDIT, record)
    record = WorkRecord.objects.select_for_update().get(pk=record.pk)
    _frozen(record)
    fixes = {k: v for k, v in {"title": title, "code": code, "retention": retention}.items() if v is not None}
    if fixes:
        record = update_record(actor=actor, record=record, **fixes)
    note = (note or "").strip()
    refused = {check.key: check.problem for check in closing.checklist(record, note=note) if check.blocking}
    if refused:
        raise ValidationError(refused)
    for entry in closing.duplicates(record):
        entry.delete()
    entries = index.date_order(record.documents.all())
    _renumber(record, entries)
    for row in index.rows(record.documents.all()):
        entry = row.entry
        try:
            for _name, blob in row.files:
                verify(blob)
        except FileCorrupted as exc:
            raise ValidationError(_("Văn bản số %(n)d trong hồ sơ: %(m)s") % {"n": entry.ordinal, "m": exc}) from exc
        entry.checksums = [{"name": name, "sha256": blob.sha256} for name, blob in row.files]
        if entry.page_count is None:
            from qlvb.outgoing.metadata import pdf_pages

            counted = [pdf_pages(blob) for _name, blob in row.files]
            entry.page_count = sum(n for n in counted if n) or None
        entry.save(update_fields=["checksums", "page_count"])
    rows = index.rows(record.documents.all())
    days = [row.day for row in rows if row.day]
    record.doc_total, record.page_total = len(rows), sum(row.pages or 0 for row in rows)
    record.end_date = max([*days, record.start_date] if record.start_date else days or [timezone.localdate()])
    record.index_sha256 = index.fingerprint(rows)
    record.status, record.closing_note = WorkRecord.Status.CLOSED, note
    record.closed_at, record.closed_by = timezone.now(), actor
    record.save()
    audit(actor=actor, action="records.close", obj=record,
          changes={"note": note, "code": record.code, "retention": record.retention, "documents": record.doc_total,
                   "pages": record.page_total, "index_sha256": record.index_sha256})
    return record


DRAFT_FIELDS = ["document_type", "summary", "signer", "signing_form", "collective", "delegation", "urgency",
                "confidentiality"]


@transaction.atomic
def save_draft(*, actor, record: WorkRecord, data: dict, body: str = "", upload=None, draft: Draft | None = None,
               recipients: dict | None = None) -> Draft:
    """Create the draft or save a new version of it (nothing is overwritten)."""
    access.require(actor, Action.EDIT, record)
    if record.status != WorkRecord.Status.OPEN:
        raise ValidationError(_("Hồ sơ đã đóng."))
    if draft is None:
        draft = Draft(record=record, created_by=actor)
    else:
        draft = Draft.objects.select_for_update().get(pk=draft.pk)
        _check(draft, "edit")
    for name in DRAFT_FIELDS:
        if name in data:
            setattr(draft, name, data[name])
    if not draft.signer.has_role(Role.LEADER, Role.HEAD):
        raise ValidationError(_("Người ký phải là lãnh đạo có thẩm quyền."))
    if draft.signing_form != Draft.SigningForm.TUQ:
        draft.delegation = None
    if draft.signing_form != Draft.SigningForm.TM:
        draft.collective = ""
    signing.check(draft)
    if not (draft.summary or "").strip():
        raise ValidationError(_("Nhập trích yếu."))
    if not (body or "").strip() and upload is None and draft.pk is None:
        raise ValidationError(_("Nhập nội dung dự thảo hoặc tải lên tệp DOCX/PDF."))
    draft.save()
    for name, values in (recipients or {}).items():
        getattr(draft, name).set(values)
    blob = store_all([upload])[0] if upload is not None else None
    previous = draft.latest
    version = Version.objects.create(
        draft=draft, number=(previous.number + 1) if previous else 1, author=actor,
        body=body if (body or "").strip() or not previous else previous.body,
        blob=blob or (previous.blob if previous else None),
        file_name=getattr(upload, "name", "")[:255] if upload else (previous.file_name if previous else ""))
    audit(actor=actor, action="records.save_draft", obj=draft, changes={"version": version.number})
    return draft


@transaction.atomic
def start_correction(*, actor, original, kind: str) -> Draft:
    """Begin a draft that amends or replaces an issued document (which itself never changes), with its
    type, signer, recipients and text as a starting point: in the original's work record while the
    actor may still edit it, else in a new record of the actor's."""
    from qlvb.documents.models import Correction
    from qlvb.organization.selectors import director
    from qlvb.outgoing import selectors as outgoing

    access.require(actor, Action.HANDLE_DOCUMENTS)
    access.require(actor, Action.VIEW, original)
    if kind not in Correction.values:
        raise ValidationError(_("Chọn sửa đổi, bổ sung hoặc thay thế."))
    if problem := outgoing.in_force_problem(original):
        raise ValidationError(problem)
    # Document text, not interface: Vietnamese whatever the reader's language. "V/v" heads the summary of
    # a công văn only (Annex I II.5); a typed document's summary follows its type name.
    label = "sửa đổi, bổ sung" if kind == Correction.AMEND else "thay thế"
    label = f"V/v {label}" if original.document_type.is_official_letter else label.capitalize()
    title = f"{label} {original.document_type} {original.notation} ({original.issued_on:%d/%m/%Y})"
    record = original.draft.record
    if record.status != WorkRecord.Status.OPEN or not access.can(actor, Action.EDIT, record):
        record = open_record(actor=actor, title=title, field=record.field)
    signer = original.signer if original.signer.is_active else director()
    draft = Draft.objects.create(
        record=record, created_by=actor, document_type=original.document_type, summary=title, signer=signer,
        signing_form=original.signing_form, collective=original.draft.collective,
        delegation=original.draft.delegation, urgency=original.urgency, confidentiality=original.confidentiality,
        corrects=original, correction=kind)
    recipients = original.recipients.all()
    draft.recipient_units.set([r.unit_id for r in recipients if r.unit_id])
    draft.recipient_people.set([r.person_id for r in recipients if r.person_id])
    draft.recipient_agencies.set([r.agency_id for r in recipients if r.agency_id])
    Version.objects.create(draft=draft, number=1, author=actor, body=original.body, blob=original.blob,
                           file_name=original.file_name)
    audit(actor=actor, action="records.start_correction", obj=draft,
          changes={"corrects": original.notation, "kind": kind})
    return draft


@transaction.atomic
def start_copy(*, actor, kind: str, outgoing=None, incoming=None) -> Draft:
    """Begin a copy (bản sao y SY, trích sao TrS, sao lục SL; Decree 30 Art 25-27) of an issued or a
    received document the actor may see: a draft of the copy type, with the original's text and file,
    in a new work record of the actor's. It is approved, signed and issued like any draft, and issuing
    numbers it in the copies series (`05/SY-SGTVT`, Annex I II.II.1.c)."""
    from qlvb.documents.models import DocumentType
    from qlvb.organization.selectors import director

    access.require(actor, Action.HANDLE_DOCUMENTS)
    if (outgoing is None) == (incoming is None):
        raise ValidationError(_("Chọn văn bản cần sao."))
    if outgoing is not None:
        access.require(actor, Action.VIEW, outgoing)
    if incoming is not None:
        access.require(actor, Action.VIEW, incoming)
    if problem := _recalled(outgoing, incoming):
        raise ValidationError(problem)
    copy_type = DocumentType.objects.filter(is_copy=True, abbreviation=kind, is_active=True).first()
    if copy_type is None:
        raise ValidationError(_("Hình thức sao: chọn sao y, trích sao hoặc sao lục."))
    signer = director()
    if signer is None:
        raise ValidationError(_("Chưa có người đứng đầu cơ quan để ký bản sao."))
    source = outgoing or incoming
    agency = outgoing.agency_name if outgoing else incoming.issuer_name
    summary = (f"{copy_type.name} {source.document_type} {source.notation} ngày {source.issued_on:%d/%m/%Y} "
               f"của {agency}: {source.summary}")[:1000]
    record = open_record(actor=actor, title=summary[:500])
    main = incoming.attachments.filter(is_main=True).first() if incoming else None
    draft = Draft.objects.create(
        record=record, created_by=actor, document_type=copy_type, summary=summary, signer=signer,
        confidentiality=source.confidentiality, copy_of_outgoing=outgoing, copy_of_incoming=incoming)
    Version.objects.create(draft=draft, number=1, author=actor, body=outgoing.body if outgoing else "",
                           blob=outgoing.blob if outgoing else (main.blob if main else None),
                           file_name=outgoing.file_name if outgoing else (main.name if main else ""))
    audit(actor=actor, action="records.start_copy", obj=draft, changes={"copies": source.notation, "kind": kind})
    return draft


def _recalled(outgoing, incoming) -> str:
    """A recalled (thu hồi) document is not copied: why, or ""."""
    from qlvb.incoming.services import frozen_problem
    from qlvb.outgoing.selectors import recall_problem

    if outgoing is not None:
        return recall_problem(outgoing)
    return frozen_problem(incoming) if incoming.status == incoming.Status.WITHDRAWN else ""


@transaction.atomic
def ask_opinion(*, actor, draft: Draft, people, question: str = "", deadline=None) -> list[OpinionRequest]:
    access.require(actor, Action.EDIT, draft.record)
    _check(draft, "ask_opinion")
    people = [p for p in people if p.pk != actor.pk]
    if not people:
        raise ValidationError(_("Chọn người cần xin ý kiến."))
    made = [OpinionRequest.objects.create(draft=draft, asked_by=actor, person=p, question=question,
                                          deadline=deadline) for p in people]
    audit(actor=actor, action="records.ask_opinion", obj=draft, changes={"people": [p.pk for p in people]})
    _notify(recipients=people, kind="opinion_requested", link=f"/records/drafts/{draft.pk}/#opinions",
            text=_("%(who)s xin ý kiến dự thảo: %(d)s") % {"who": actor, "d": draft.summary[:100]})
    return made


@transaction.atomic
def answer_opinion(*, actor, request: OpinionRequest, answer: str) -> OpinionRequest:
    request = OpinionRequest.objects.select_for_update().get(pk=request.pk)
    if request.person_id != actor.pk:
        raise PermissionDenied(_("Bạn không được xin ý kiến về dự thảo này."))
    if not (answer or "").strip():
        raise ValidationError(_("Nhập ý kiến."))
    request.answer, request.answered_at = answer.strip(), timezone.now()
    request.save(update_fields=["answer", "answered_at"])
    audit(actor=actor, action="records.answer_opinion", obj=request.draft)
    return request


def _step(draft, actor, decision, comment="", to=None):
    Step.objects.create(draft=draft, actor=actor, decision=decision, comment=comment, to=to)
    audit(actor=actor, action=f"records.{decision}", obj=draft,
          changes={"state": draft.state, "to": to.pk if to else None, "comment": comment})


def _locked(draft):
    """Lock the draft's row only (not the record's or the signer's, which select_related joins)."""
    return Draft.objects.select_for_update(of=("self",)).select_related("record", "signer").get(pk=draft.pk)


@transaction.atomic
def submit(*, actor, draft: Draft, comment: str = "") -> Draft:
    """The officer submits to the head of the unit (a head submits straight to the signer)."""
    draft = _locked(draft)
    access.require(actor, Action.EDIT, draft.record)
    _check(draft, "submit")
    receiver = submit_receiver(actor, draft)
    draft.state = Draft.State.AT_LEADER if receiver.pk == draft.signer_id else Draft.State.AT_HEAD
    draft.holder = receiver
    draft.save(update_fields=["state", "holder"])
    _step(draft, actor, Step.Decision.SUBMIT, comment, draft.holder)
    _convert_ahead(draft)
    _notify(recipients=[draft.holder], kind="approval_requested", link=f"/records/drafts/{draft.pk}/",
            text=_("%(who)s trình dự thảo: %(d)s") % {"who": actor, "d": draft.summary[:100]})
    return draft


def _convert_ahead(draft):
    """A Word draft reaching its signer is converted to PDF by the worker meanwhile (kept by content), so
    "Duyệt ký" finds the conversion ready instead of waiting seconds for LibreOffice."""
    latest = draft.latest
    if draft.holder_id == draft.signer_id and latest and latest.blob_id \
            and latest.blob.content_type != "application/pdf":
        from qlvb.outgoing.rendering.tasks import convert_word_draft

        enqueue_on_commit(convert_word_draft, version_id=latest.pk)


def _holder_check(actor, draft):
    if draft.holder is None or not access.acts_for(actor, draft.holder, draft.record.field_id):
        raise PermissionDenied(_("Dự thảo không đang trình bạn."))


@transaction.atomic
def approve(*, actor, draft: Draft, comment: str = "") -> Draft:
    """The head approves and passes the draft up to the signer."""
    draft = _locked(draft)
    _holder_check(actor, draft)
    _check(draft, "approve")
    draft.state, draft.holder = Draft.State.AT_LEADER, draft.signer
    draft.save(update_fields=["state", "holder"])
    _step(draft, actor, Step.Decision.APPROVE, comment, draft.holder)
    _convert_ahead(draft)
    _notify(recipients=[draft.holder], kind="approval_requested", link=f"/records/drafts/{draft.pk}/",
            text=_("%(who)s trình ký dự thảo: %(d)s") % {"who": actor, "d": draft.summary[:100]})
    return draft


def _may_sign(actor, draft) -> None:
    _holder_check(actor, draft)
    _check(draft, "sign")
    if draft.holder_id != draft.signer_id:
        raise PermissionDenied(_("Chỉ người ký được duyệt ký dự thảo."))
    signing.check(draft)  # a TUQ. delegation must still be in force when the signer signs


def sign(*, actor, draft: Draft, comment: str = "", pin: str | None = None, credential=None) -> Draft:
    """The signer approves for issuing ("Duyệt ký") and signs digitally with their own credential
    (`credential`: the one chosen, else their active one): with `pin` for a PKCS#12 file or a token;
    a remote credential sends the request to the phone and the draft waits (`signature.ask_phone_for`).
    Without a credential the approval is recorded unsigned, unless QLVB_REQUIRE_DIGITAL_SIGNATURE."""
    draft = Draft.objects.select_related("record", "signer").get(pk=draft.pk)
    _may_sign(actor, draft)  # permission first, before rendering or asking for a PIN
    chosen = signature.choose(actor, credential)
    if chosen is None:
        if settings.QLVB_REQUIRE_DIGITAL_SIGNATURE:
            raise ValidationError({"credential": _("Cơ quan yêu cầu ký số khi duyệt ký, nhưng bạn chưa có chứng "
                                                   "thư số dùng được: hãy liên hệ quản trị hệ thống.")})
        return _approve_signed(actor=actor, draft=draft, comment=comment)
    if chosen.backend == chosen.Backend.REMOTE:
        return signature.ask_phone_for(actor=actor, draft=draft, credential=chosen, comment=comment)
    pdf, boxes = signature.sign_now(actor=actor, draft=draft, credential=chosen, pin=pin)
    return _approve_signed(actor=actor, draft=draft, comment=comment, pdf=pdf, boxes=boxes)


@transaction.atomic
def _approve_signed(*, actor, draft: Draft, comment: str, pdf: bytes | None = None, boxes=None) -> Draft:
    """APPROVED, with the signed PDF stored content-addressed when there is one; the clerks told."""
    draft = _locked(draft)
    _may_sign(actor, draft)  # again under the lock: a second click or another decision came first
    fields = ["state", "holder"]
    if pdf is not None:
        draft.signed_blob = store(pdf, name="du-thao-da-ky.pdf", allowed=PDF_ONLY)
        draft.signed_boxes = boxes
        fields += ["signed_blob", "signed_boxes"]
        from qlvb.signing.services import verify_bytes

        verify_bytes(pdf)  # the verdict badge on the draft page at once (kept by content)
    draft.state, draft.holder = Draft.State.APPROVED, None
    draft.save(update_fields=fields)
    _step(draft, actor, Step.Decision.SIGN, comment)
    from qlvb.organization.selectors import people_with_role

    _notify(recipients=[draft.record.owner, *people_with_role(Role.CLERK)], kind="decided", about=draft,
            link=f"/records/drafts/{draft.pk}/",
            text=_("Dự thảo đã được ký, chờ phát hành: %(d)s") % {"d": draft.summary[:100]})
    return draft


@transaction.atomic
def return_draft(*, actor, draft: Draft, comment: str) -> Draft:
    draft = _locked(draft)
    _holder_check(actor, draft)
    _check(draft, "return")
    if not (comment or "").strip():
        raise ValidationError(_("Nhập ý kiến khi trả lại dự thảo."))
    draft.state, draft.holder = Draft.State.RETURNED, None
    draft.save(update_fields=["state", "holder"])
    _step(draft, actor, Step.Decision.RETURN, comment.strip())
    _notify(recipients=[draft.record.owner], kind="decided", link=f"/records/drafts/{draft.pk}/",
            text=_("%(who)s trả lại dự thảo: %(c)s") % {"who": actor, "c": comment.strip()[:150]})
    return draft


# The approval decisions by name, for the pages and the API.
DECISIONS = {"submit": submit, "approve": approve, "sign": sign, "return": return_draft}
