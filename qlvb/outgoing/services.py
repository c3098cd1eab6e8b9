"""Issuing (phát hành): the clerk gives the number and date from the outgoing register, the document
becomes immutable, internal recipients receive it in their inbox, external ones wait in the outbox,
and the incoming documents it answers are completed. Recall (thu hồi) freezes an issued document and
withdraws its internal copies."""

import dataclasses
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb import access
from qlvb.access import Action
from qlvb.assignments.models import OPEN_STATES, Assignment
from qlvb.assignments.services import complete_with_reply
from qlvb.audit.services import record as audit
from qlvb.core.taskqueue import enqueue_on_commit
from qlvb.documents.models import Register
from qlvb.documents.services import next_number, registers_for_year
from qlvb.files.storage import PDF_ONLY, discard, keep, stage_all, store
from qlvb.incoming import services as incoming_services
from qlvb.incoming.models import Attachment as IncomingAttachment
from qlvb.incoming.models import IncomingDocument
from qlvb.incoming.services import deliver_internal
from qlvb.organization.models import Agency
from qlvb.organization.selectors import unit_heads
from qlvb.records import services as record_services
from qlvb.records import signing, workflow
from qlvb.records.models import Draft, Step
from qlvb.signing.services import verify_blob
from qlvb.workdays.calendar import working_days_between

from . import metadata as annex
from . import notation, official
from .models import DraftAttachment, OutgoingAttachment, OutgoingDocument, Recipient
from .selectors import in_force_problem, recall_problem


def _register(agency, draft, year) -> Register:
    """The series the draft takes its number from: copies (SY, TrS, SL) their own (Annex I II.II.1.c),
    confidential documents the confidential one (Art 15.2), the rest the outgoing register."""
    kind = Register.Kind.COPY if draft.document_type.is_copy else Register.Kind.OUTGOING
    confidential = draft.confidentiality != "normal"
    registers = [r for r in registers_for_year(agency=agency, kind=kind, year=year)
                 if r.is_confidential == confidential]
    if not registers:
        raise ValidationError(_("Chưa có %(r)s cho năm %(y)d.") % {"r": Register.Kind(kind).label.lower(), "y": year})
    return registers[0]


def _issue_date(draft, sending, issued_on, today) -> date:
    """The date of issuing (Art 15.2, 15.3): the system's for electronic documents; for paper ones the
    clerk may give the signing day when numbering up to QLVB_PAPER_DATE_WORKING_DAYS working days later,
    never in the future nor in another year than the register's."""
    if issued_on is None or issued_on == today:
        return today
    if sending != OutgoingDocument.Sending.PAPER_AND_ELECTRONIC:
        raise ValidationError(_("Ngày ban hành: văn bản điện tử do hệ thống cấp số và thời gian ban hành "
                                "(Điều 15.3 Nghị định 30/2020); chỉ văn bản giấy được ghi ngày ký."))
    if issued_on > today:
        raise ValidationError(_("Ngày ban hành: không được sau ngày hôm nay."))
    if issued_on.year != today.year:
        raise ValidationError(_("Ngày ban hành: phải trong năm %(y)d của sổ văn bản đi đang dùng.") % {"y": today.year})
    signed = draft.steps.filter(decision=Step.Decision.SIGN).order_by("-at").values_list("at", flat=True).first()
    if signed is None or issued_on < timezone.localdate(signed):
        raise ValidationError(_("Ngày ban hành: không được trước ngày ký văn bản."))
    if working_days_between(issued_on, today) > settings.QLVB_PAPER_DATE_WORKING_DAYS:
        raise ValidationError(_("Ngày ban hành: văn bản giấy được cấp số chậm nhất trong ngày làm việc tiếp theo "
                                "ngày ký; quá hạn đó ngày ban hành là ngày cấp số."))
    return issued_on


def _check_order(register, number, issued_on):
    """A later number never carries an earlier date (Art 15.1). Runs while the counter row is locked."""
    previous = (OutgoingDocument.objects.filter(register=register, number__lt=number)
                .order_by("-number").values_list("issued_on", flat=True).first())
    if previous and issued_on < previous:
        raise ValidationError(_("Ngày ban hành: không được trước ngày của số liền trước trong sổ (%(d)s).")
                              % {"d": previous.strftime("%d/%m/%Y")})


@dataclasses.dataclass(frozen=True)
class Upcoming:
    """The number and date the draft would take if issued now, read from the register without taking it
    (no counter lock): what the clerk sees before confirming. Another clerk may take it meanwhile."""

    register: Register
    number: int
    notation: str
    issued_on: date
    date_line: str


def upcoming(*, actor, draft: Draft, sending: str = OutgoingDocument.Sending.ELECTRONIC,
             issued_on: date | None = None) -> Upcoming:
    access.require(actor, Action.ISSUE)
    agency = Agency.objects.get()
    issued_on = _issue_date(draft, sending, issued_on, timezone.localdate())
    register = _register(agency, draft, issued_on.year)
    if register.is_confidential and not register.keepers.filter(pk=actor.pk).exists():
        raise ValidationError(_("Bạn không được giao quản lý sổ văn bản đi mật."))  # not even its next number
    number = Register.objects.filter(pk=register.pk).values_list("last_number", flat=True).get() + 1
    code = notation.build(number=number, document_type=draft.document_type, agency=agency,
                          drafting_unit=draft.record.unit, mark=register.mark)
    return Upcoming(register, number, code, issued_on, official.texts(code, issued_on, agency.place_name)["date"])


def preview_pdf(*, actor, draft: Draft, sending: str = OutgoingDocument.Sending.ELECTRONIC,
                issued_on: date | None = None, positions=None) -> tuple[bytes, Upcoming]:
    """The PDF the draft becomes when issued now (number and date written as at issuing, without the
    agency's signature, which needs the PIN), and the number it shows. Takes no number."""
    coming = upcoming(actor=actor, draft=draft, sending=sending, issued_on=issued_on)
    base = official.base(draft, positions=positions, strict=True)
    values = official.texts(coming.notation, coming.issued_on, Agency.objects.get().place_name)
    return official.stamped(base.pdf, base.boxes, values), coming


def _checked(actor, draft, sending, issued_on, metadata):
    """Everything that refuses issuing, checked before signing and again under the locks: the date, the
    register, the copy and correction rules, the Annex VI fields. Returns (date, register, agency)."""
    if draft.state != Draft.State.APPROVED:
        raise ValidationError(_("Chỉ phát hành được dự thảo đã được ký duyệt."))
    if sending not in OutgoingDocument.Sending.values:
        raise ValidationError(_("Chọn hình thức gửi."))
    agency = Agency.objects.get()
    issued_on = _issue_date(draft, sending, issued_on, timezone.localdate())
    register = _register(agency, draft, issued_on.year)
    if register.is_confidential and not register.keepers.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("Bạn không được giao quản lý sổ văn bản đi mật."))
    if problem := _copied_problem(draft):
        raise ValidationError(problem)
    annex.resolve(metadata, blob=None, issued_on=issued_on, recipients=0)
    return issued_on, register, agency


def _signing(draft, agency, pin, credential):
    """The agency credential to sign with, or None (QLVB_REQUIRE_DIGITAL_SIGNATURE decides whether it
    may be left out). The clerk signs with the agency's key only what the competent person has signed
    digitally (Decree 30 Art 32.2.d)."""
    wanted = bool(pin) or credential is not None or official.require_signature()
    if not wanted:
        return None
    if not draft.signed_blob_id:
        raise ValidationError({"pin": _("Văn bản chưa có chữ ký số của người có thẩm quyền: văn thư chỉ ký số "
                                        "của cơ quan văn bản đã được người có thẩm quyền ký số (Điều 32.2.d "
                                        "Nghị định 30/2020).")})
    credential = official.agency_credential(agency, credential)
    if not pin:
        raise ValidationError({"pin": _("Mã PIN: nhập mã PIN chứng thư số của cơ quan để ký số khi phát hành.")})
    return credential


def issue(*, actor, draft: Draft, sending: str = OutgoingDocument.Sending.ELECTRONIC,
          issued_on: date | None = None, metadata: annex.IssueMetadata | None = None, pin: str | None = None,
          credential=None, positions=None) -> OutgoingDocument:
    """Number, date and register the signed draft, with the Annex VI fields the clerk adds (`metadata`).
    Its file becomes the official PDF (`official`): the leader-signed PDF (else the rendered draft) with
    the number and date written in, then signed by the agency (`credential`, unlocked by `pin`).

    The PDF is made first with the number the register would give (no lock held while rendering and
    signing; a wrong PIN takes no number); the number is then taken under the counter lock, and if
    another clerk took that one meanwhile, the PDF is made again with the number actually taken."""
    access.require(actor, Action.ISSUE)
    draft = Draft.objects.select_related("record__unit", "signer", "document_type", "signed_blob").get(pk=draft.pk)
    *_, agency = _checked(actor, draft, sending, issued_on, metadata)
    credential = _signing(draft, agency, pin, credential)
    coming = upcoming(actor=actor, draft=draft, sending=sending, issued_on=issued_on)
    base = official.base(draft, positions=positions)
    sources = [(a, official.attachment_pdf(a)) for a in draft.separate_attachments.select_related("blob")]

    def make(code, day):
        """The official PDF, then each attachment in a separate file signed with the same PIN (§1.6)."""
        pdf = official.finish(actor=actor, draft=draft, base_=base, credential=credential, pin=pin,
                              values=official.texts(code, day, agency.place_name))
        if credential is None:
            return pdf, [content for _a, content in sources]
        return pdf, [official.sign_attachment(actor=actor, credential=credential, pdf=content, notation=code,
                                              pin=pin, obj=draft) for _a, content in sources]

    pdf, attached = make(coming.notation, coming.issued_on)
    document = _issue_locked(actor=actor, draft=draft, sending=sending, issued_on=issued_on, metadata=metadata,
                             made=(coming.notation, pdf, attached), redo=make,
                             sources=[a for a, _content in sources])
    # The issued files' signature check, shown with them and counted in the ICT figures; after the
    # counter lock is released (it takes a moment).
    if document.blob_id:
        verify_blob(document.blob)
    for attachment in document.attachments.select_related("blob"):
        verify_blob(attachment.blob)
    # External recipients whose agency is a direct-exchange peer: the package, signed with the same PIN,
    # goes to the exchange outbox (posted after COMMIT, retried until delivered).
    from qlvb.exchange.services import send_to_peers

    send_to_peers(actor=actor, document=document, pin=pin, credential=credential)
    return document


@transaction.atomic
def _issue_locked(*, actor, draft, sending, issued_on, metadata, made, redo, sources) -> OutgoingDocument:
    # Lock the draft's row only: the signer's and the type's rows stay free for everyone else.
    draft = Draft.objects.select_for_update(of=("self",)).select_related(
        "record", "signer__position", "document_type", "delegation__delegator__position").get(pk=draft.pk)
    issued_on, register, agency = _checked(actor, draft, sending, issued_on, metadata)
    if draft.corrects_id:  # locked: two replacements of one document cannot both be issued
        corrected = OutgoingDocument.objects.select_for_update().get(pk=draft.corrects_id)
        if problem := in_force_problem(corrected):
            raise ValidationError(problem)
    final = draft.latest
    recipients = (draft.recipient_units.count() + draft.recipient_people.count()
                  + draft.recipient_agencies.count())
    number = next_number(register)  # locks the counter row until commit; a refusal below gives it back
    _check_order(register, number, issued_on)
    code = notation.build(number=number, document_type=draft.document_type, agency=agency,
                          drafting_unit=draft.record.unit, mark=register.mark)
    if OutgoingDocument.objects.filter(year=register.year, notation=code).exists():
        raise ValidationError(_("Số và ký hiệu %(n)s đã có trong năm %(y)d: sổ %(r)s cần ký hiệu riêng "
                                "(Quản trị → Sổ văn bản).") % {"n": code, "y": register.year, "r": register.name})
    made_code, pdf, attached = made
    if code != made_code and (pdf is not None or attached):  # another clerk took the number they were made with
        pdf, attached = redo(code, issued_on)
    if pdf is None:  # a file that cannot take the number (official.base) is issued as it is
        blob, name = (final.blob, final.file_name) if final else (None, "")
    else:
        blob, name = store(pdf, name=official.file_name(code), allowed=PDF_ONLY), official.file_name(code)
    fields = annex.resolve(metadata, blob=blob, issued_on=issued_on, recipients=recipients)
    document = OutgoingDocument.objects.create(
        register=register, number=number, year=register.year, issued_on=issued_on, notation=code,
        document_type=draft.document_type, summary=draft.summary, body=final.body if final else "",
        blob=blob, file_name=name,
        urgency=draft.urgency, confidentiality=draft.confidentiality, drafting_unit=draft.record.unit,
        sending=sending, draft=draft, replaces=draft.corrects, correction=draft.correction, issued_by=actor,
        **_issued_metadata(draft, agency), **fields,
    )
    for position, (source, content) in enumerate(zip(sources, attached, strict=True), start=1):
        name = official.attachment_name(source.name)
        OutgoingAttachment.objects.create(document=document, position=position, name=name, source=source.blob,
                                          blob=store(content, name=name, allowed=PDF_ONLY))
    draft.state = Draft.State.ISSUED
    draft.save(update_fields=["state"])
    Step.objects.create(draft=draft, actor=actor, decision=Step.Decision.ISSUE, comment=document.notation)
    record_services.file_issued(document)  # the issued document joins its record's index (F-4.d)
    _deliver(actor, document, draft)
    _link_replies(actor, document, draft)
    audit(actor=actor, action="outgoing.issue", obj=document,
          changes={"number": number, "notation": document.notation, "register": register.code,
                   "issued_on": issued_on, "corrects": str(draft.corrects or ""), "sha256": blob.sha256 if blob else "",
                   "first_made_with": made_code,
                   "attachments": [a.blob_id for a in document.attachments.all()]})
    return document


def _copied_problem(draft) -> str:
    """A copy (sao) cannot be issued of a document recalled or withdrawn since the copy was started."""
    if draft.copy_of_outgoing_id:
        return recall_problem(draft.copy_of_outgoing)
    if draft.copy_of_incoming_id and draft.copy_of_incoming.is_withdrawn:
        return incoming_services.frozen_problem(draft.copy_of_incoming)
    return ""


def _issued_metadata(draft, agency) -> dict:
    """Who signed, with what authority, for which agency, as of issuing: copied, never looked up again."""
    return {"signer": draft.signer, "signer_name": draft.signer.full_name or draft.signer.username,
            "signer_title": str(draft.signer.position or ""), "signing_form": draft.signing_form,
            "signing_authority": signing.authority_line(draft),
            "agency_name": agency.name, "parent_agency_name": agency.parent_name}


@transaction.atomic
def correct_issue_date(*, actor, document: OutgoingDocument, issued_on: date, reason: str) -> OutgoingDocument:
    """An administrator corrects a wrongly entered issue date, with a reason, in the audit trail. The date
    stays in the register's year, not in the future, and between the dates of its neighbours in the
    register, so that the order of numbers and dates holds (Art 15.1)."""
    access.require(actor, Action.ADMINISTER)
    document = OutgoingDocument.objects.select_for_update(of=("self",)).select_related("register").get(
        pk=document.pk)
    if document.register.is_confidential and not document.register.keepers.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("Bạn không được giao quản lý sổ văn bản đi mật."))
    if problem := recall_problem(document):
        raise ValidationError(problem)
    if not (reason or "").strip():
        raise ValidationError(_("Lý do: nhập lý do sửa ngày ban hành."))
    if issued_on is None or issued_on.year != document.year or issued_on > timezone.localdate():
        raise ValidationError(_("Ngày ban hành: phải trong năm %(y)d của sổ và không sau ngày hôm nay.")
                              % {"y": document.year})
    neighbours = OutgoingDocument.objects.filter(register=document.register)
    before = neighbours.filter(number__lt=document.number).order_by("-number").first()
    after = neighbours.filter(number__gt=document.number).order_by("number").first()
    if (before and issued_on < before.issued_on) or (after and issued_on > after.issued_on):
        raise ValidationError(_("Ngày ban hành: phải nằm giữa ngày của số liền trước và số liền sau trong sổ."))
    if document.reply_due and document.reply_due < issued_on:
        raise ValidationError(_("Ngày ban hành: không được sau hạn trả lời văn bản (%(d)s).")
                              % {"d": document.reply_due.strftime("%d/%m/%Y")})
    old = document.issued_on
    document.issued_on = issued_on
    document.save(update_fields=["issued_on"])
    audit(actor=actor, action="outgoing.correct_issue_date", obj=document,
          changes={"issued_on": [old, issued_on], "reason": reason.strip()})
    return document


def _deliver_internal(actor, document, receiver):
    """The incoming copy, with the attachments in separate files beside the main file."""
    incoming = deliver_internal(actor=actor, outgoing=document, receiver=receiver)
    for attachment in document.attachments.all():
        IncomingAttachment.objects.create(document=incoming, blob_id=attachment.blob_id, name=attachment.name,
                                          is_main=False, added_by=actor)
    return incoming


def _deliver(actor, document, draft):
    """Internal recipients get it as an incoming document, without retyping; external ones wait."""
    for unit in draft.recipient_units.all():
        head = unit_heads(unit).first()
        incoming = _deliver_internal(actor, document, head) if head else None
        Recipient.objects.create(document=document, unit=unit, incoming=incoming,
                                 status=Recipient.Status.DELIVERED if incoming else Recipient.Status.PENDING)
    for person in draft.recipient_people.all():
        incoming = _deliver_internal(actor, document, person)
        Recipient.objects.create(document=document, person=person, incoming=incoming,
                                 status=Recipient.Status.DELIVERED)
    for agency in draft.recipient_agencies.all():
        Recipient.objects.create(document=document, agency=agency, status=Recipient.Status.PENDING)


def _link_replies(actor, document, draft):
    """The reply completes its author's open main-handler item on each incoming document it answers."""
    owner = draft.record.owner
    for incoming in draft.record.incoming.all():
        document.replies_to.add(incoming)
        items = Assignment.objects.filter(document=incoming, receiver=owner, role=Assignment.Role.MAIN,
                                          state__in=OPEN_STATES)
        for item in items:
            complete_with_reply(actor=actor, assignment=item, reply=document)


@transaction.atomic
def mark_dispatched(*, actor, recipient: Recipient, status: str) -> Recipient:
    """The clerk records sending to an external recipient (electronic, or paper)."""
    access.require(actor, Action.ISSUE)
    if problem := recall_problem(recipient.document):
        raise ValidationError(problem)
    if status not in (Recipient.Status.SENT, Recipient.Status.PAPER_SENT) or recipient.agency_id is None:
        raise ValidationError(_("Trạng thái gửi không hợp lệ."))
    recipient.status = status
    recipient.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action="outgoing.dispatch", obj=recipient.document,
          changes={"recipient": str(recipient), "status": status})
    return recipient


@transaction.atomic
def recall(*, actor, document: OutgoingDocument, reason: str, reference: str = "") -> OutgoingDocument:
    """Recall an issued document (thu hồi; Decree 30 Art 18.4.b, PL VI I.III.8): its signer or the head of
    the agency, with a reason and optionally the number and notation of the recall document. The
    document is frozen with its metadata (no date correction, dispatch, correction or copy), the copies
    delivered inside the agency are withdrawn (their open items close with the reason, their holders
    are told), and who recalled it, when and why is kept. External recipients are told by the exchange
    (edXML BussinessDocType 1, status 13) once it exists; the clerk who issued it is notified now."""
    document = OutgoingDocument.objects.select_for_update(of=("self",)).select_related("signer").get(pk=document.pk)
    access.require(actor, Action.RECALL, document)
    reason, reference = (reason or "").strip(), (reference or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Lý do thu hồi: nhập lý do.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Lý do thu hồi: tối đa 500 ký tự.")})
    if len(reference) > 100:
        raise ValidationError({"reference": _("Số, ký hiệu văn bản thu hồi: tối đa 100 ký tự.")})
    if problem := recall_problem(document):
        raise ValidationError(problem)
    document.recalled_at, document.recalled_by = timezone.now(), actor
    document.recall_reason, document.recall_reference = reason, reference
    document.save(update_fields=["recalled_at", "recalled_by", "recall_reason", "recall_reference"])
    order = reference or document.notation
    withdrawn = [incoming_services.withdraw_internal(actor=actor, incoming=incoming, reason=reason,
                                                     order_reference=order) for incoming in _delivered(document)]
    audit(actor=actor, action="outgoing.recall", obj=document,
          changes={"reason": reason, "reference": reference, "withdrawn_incoming": [d.pk for d in withdrawn]})
    _notify_recalled(actor, document)
    return document


def _delivered(document):
    """The internal copies still in processing (a cancelled or withdrawn one stays as it is), locked."""
    ids = document.recipients.exclude(incoming=None).values("incoming_id")
    open_copies = IncomingDocument.objects.filter(pk__in=ids).exclude(
        status__in=[IncomingDocument.Status.CANCELLED, IncomingDocument.Status.WITHDRAWN])
    return list(open_copies.select_for_update())


def _notify_recalled(actor, document):
    from qlvb.monitoring.services import notify

    notify(recipients=[document.issued_by, document.draft.record.owner], kind="recalled", about=document,
           link=f"/outgoing/{document.pk}/",
           text=_("%(who)s thu hồi văn bản %(n)s: %(reason)s") % {
               "who": actor, "n": document.notation, "reason": document.recall_reason})


# --- Attachments in separate files (phụ lục, văn bản kèm theo; Annex I §1.6) ---------------------------

MAX_ATTACHMENTS = 20


def _attachable(actor, draft) -> Draft:
    """The draft, locked, while its drafter may still add or remove files (being drafted or returned)."""
    draft = Draft.objects.select_for_update(of=("self",)).select_related("record").get(pk=draft.pk)
    access.require(actor, Action.EDIT, draft.record)
    if draft.record.status != draft.record.Status.OPEN:
        raise ValidationError(_("Hồ sơ đã đóng."))
    if not workflow.allowed(draft, "edit"):
        raise ValidationError(_("Chỉ thêm, bớt tệp kèm theo khi dự thảo đang soạn hoặc bị trả lại (dự thảo đang "
                                "ở trạng thái “%(s)s”).") % {"s": draft.get_state_display()})
    return draft


def add_attachments(*, actor, draft: Draft, uploads) -> list[DraftAttachment]:
    """The drafter attaches files as attachments in separate files: PDF, or Word/Excel converted to PDF at
    issuing. Checked as every upload is (type from the bytes, size, damage, active content), all or none."""
    access.require(actor, Action.EDIT, draft.record)
    uploads = list(uploads)
    if not uploads:
        raise ValidationError({"attachments": _("Chọn tệp kèm theo để tải lên.")})
    names = [(getattr(u, "name", "") or "phu-luc")[:255] for u in uploads]
    staged = stage_all(uploads, allowed=official.ATTACHMENT_TYPES, names=names)
    try:
        with transaction.atomic():
            draft = _attachable(actor, draft)
            if draft.separate_attachments.count() + len(uploads) > MAX_ATTACHMENTS:
                raise ValidationError({"attachments": _("Tối đa %(n)d tệp kèm theo một văn bản.")
                                       % {"n": MAX_ATTACHMENTS}})
            blobs = keep(staged)
            added = [DraftAttachment.objects.create(draft=draft, blob=blob, name=name, added_by=actor)
                     for blob, name in zip(blobs, names, strict=True)]
            audit(actor=actor, action="outgoing.attach", obj=draft,
                  changes={"files": [[a.name, a.blob_id] for a in added]})
    finally:
        discard(staged)
    from .rendering.tasks import convert_attachment

    for attachment in added:  # LibreOffice takes seconds: the worker converts ahead of issuing
        if attachment.blob.content_type != "application/pdf":
            enqueue_on_commit(convert_attachment, attachment_id=attachment.pk)
    return added


@transaction.atomic
def remove_attachment(*, actor, attachment: DraftAttachment) -> None:
    _attachable(actor, attachment.draft)
    audit(actor=actor, action="outgoing.detach", obj=attachment.draft,
          changes={"file": [attachment.name, attachment.blob_id]})
    attachment.delete()
