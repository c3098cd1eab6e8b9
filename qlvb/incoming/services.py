"""Business actions on incoming documents: register, correct, present to a leader again, cancel, withdraw."""

import dataclasses
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb import access
from qlvb.access import Action
from qlvb.assignments import services as assignments
from qlvb.audit.services import record
from qlvb.documents import identifiers
from qlvb.documents.identifiers import check_code, code_key, join_code, normalize_organ_id, split_code
from qlvb.documents.services import next_number
from qlvb.files.storage import discard, keep, stage_all
from qlvb.organization.models import Role
from qlvb.signing.services import verify_on_arrival

from .duplicates import Candidate, DuplicateSuspected
from .duplicates import find as find_duplicates
from .metadata import split_signer
from .models import Attachment, IncomingDocument
from .rules import arrival_day, check_deadline
from .selectors import default_recipient


@dataclasses.dataclass(kw_only=True)
class IncomingData:
    """The Decree 30 metadata the clerk types in. Number and notation come either as printed
    (`notation="12/QĐ-UBND"`) or as the two Annex VI fields (`code_number`, `code_notation`); the signer
    as position and name, or (older API clients) as one text `signer`."""

    register: object
    issuer_name: str
    issued_on: date
    document_type: object
    summary: str
    notation: str = ""
    code_number: str = ""
    code_notation: str = ""
    issuer_code: str = ""
    document_identifier: str = ""
    arrived_at: datetime | None = None
    issuer: object = None
    signer: str = ""
    signer_position: str = ""
    signer_name: str = ""
    urgency: str = "normal"
    confidentiality: str = "normal"
    page_count: int | None = None
    medium: str = IncomingDocument.Medium.ELECTRONIC
    deadline: date | None = None
    notes: str = ""
    field: object = None
    files: list = dataclasses.field(default_factory=list)  # uploaded files; the first is the main one


def register_incoming(*, actor, data: IncomingData, send_to=None, instruction: str = "",
                      confirm_duplicate: bool = False) -> IncomingDocument:
    """Enter the document in the register with the next arrival number, store its files, and present
    it to `send_to`, else to the leader in charge of its field, else the Director.

    A document that seems registered already (incoming.duplicates) raises DuplicateSuspected with the
    matches, unless the clerk confirms (`confirm_duplicate`); the audit entry then names the matches."""
    access.require(actor, Action.REGISTER_INCOMING)
    # Files are checked before the transaction: the register's counter is locked for the rows only.
    staged = stage_all(data.files)
    try:
        return _register(actor, data, staged, send_to, instruction, confirm_duplicate)
    finally:
        discard(staged)  # what a refusal left behind; kept files have moved to their address


@transaction.atomic
def _register(actor, data: IncomingData, staged, send_to, instruction, confirm_duplicate) -> IncomingDocument:
    register = data.register
    _check_register(actor, register, data)
    arrived_at = data.arrived_at or timezone.now()
    if timezone.localtime(arrived_at).year != register.year:
        raise ValidationError(_("Ngày đến phải thuộc năm %(year)d của sổ.") % {"year": register.year})
    check_deadline(data.deadline, arrived_on=timezone.localdate(arrived_at))
    code_number, code_notation = resolve_code(data.notation, data.code_number, data.code_notation)
    signer_position, signer_name = (data.signer_position.strip(), data.signer_name.strip()) \
        if data.signer_position or data.signer_name else split_signer(data.signer)
    document = IncomingDocument(
        register=register, arrived_at=arrived_at, registered_by=actor,
        issuer=data.issuer, issuer_name=data.issuer_name or (data.issuer.name if data.issuer else ""),
        issuer_code=normalize_organ_id(data.issuer_code) or _valid_code(data.issuer.identifier if data.issuer else ""),
        code_number=code_number, code_notation=code_notation, issued_on=data.issued_on,
        document_identifier=data.document_identifier.strip(),
        document_type=data.document_type, summary=data.summary.strip(), signer_position=signer_position,
        signer_name=signer_name, urgency=data.urgency,
        confidentiality=data.confidentiality, page_count=data.page_count, medium=data.medium,
        deadline=data.deadline, notes=data.notes, field=data.field, arrival_number=0,
    )
    document.full_clean(exclude=["arrival_number", "register", "registered_by", "document_type", "issuer",
                                 "field"])
    receiver = send_to or default_recipient(document)
    if receiver is None:
        raise ValidationError(_("Chưa có lãnh đạo nhận văn bản: hãy khai báo Giám đốc trong danh mục cán bộ."))
    _check_receiver(receiver)
    # The rows first, under a provisional number (`_provisional_number`); the register's number last:
    # its counter stays locked from taking the number to the COMMIT (no gaps, no repeats), and a second
    # clerk entering the same document at the same moment waits there and then finds this one (the
    # duplicate check comes after the number). Everything before runs alongside other clerks.
    document.arrival_number = _provisional_number()
    stored = keep(staged)
    document.save()
    for i, (upload, blob) in enumerate(zip(data.files, stored, strict=True)):
        Attachment.objects.create(document=document, blob=blob, name=_file_name(upload, blob), is_main=i == 0,
                                  added_by=actor)
    verify_on_arrival(stored)

    def numbered() -> dict:
        _take_number(document)
        duplicates = find_duplicates(actor, Candidate(
            notation=join_code(code_number, code_notation), issuer_name=document.issuer_name,
            issuer_code=document.issuer_code, issuer=data.issuer,
            document_identifier=document.document_identifier, exclude_pk=document.pk))
        if duplicates and not confirm_duplicate:
            raise DuplicateSuspected(duplicates)
        changes = {"arrival_number": document.arrival_number, "register": register.code,
                   "notation": document.notation, "files": [b.sha256 for b in stored]}
        if duplicates:  # registered anyway, on the clerk's confirmation
            changes |= {"confirmed_duplicate_of": duplicates.ids, "hidden_duplicates": duplicates.hidden}
        return {"actor": actor, "action": "incoming.register", "obj": document, "changes": changes}

    _root, event = assignments.start_root(actor=actor, document=document, receiver=receiver,
                                          instruction=instruction)
    assignments.announce([event], audit_first=numbered)
    return document


# A number no register reaches, for the row written before its number is taken. Unique to the database
# connection (PostgreSQL: its server process id), so that clerks registering at the same moment do not wait
# on each other's provisional row in the (register, number) unique index; it never reaches a COMMIT.
PROVISIONAL_NUMBER = 2_000_000_000


def _provisional_number() -> int:
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        return PROVISIONAL_NUMBER + connection.connection.info.backend_pid % 100_000_000
    return PROVISIONAL_NUMBER  # SQLite: one writer at a time


def _take_number(document: IncomingDocument) -> None:
    """Give the document the register's next number (`documents.services.next_number`: the counter row
    locked until the COMMIT), with the search text that starts with it. PostgreSQL: one statement."""
    connection = transaction.get_connection()
    table = connection.ops.quote_name(IncomingDocument._meta.db_table)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "WITH taken AS (UPDATE documents_register SET last_number = last_number + 1 WHERE id = %s"  # noqa: S608
                f" RETURNING last_number) UPDATE {table} SET arrival_number = taken.last_number,"
                " search_text = taken.last_number::text || %s FROM taken WHERE id = %s RETURNING arrival_number",
                [document.register_id, document.search_text_with(""), document.pk])
            (document.arrival_number,) = cursor.fetchone()
        document.register.last_number = document.arrival_number
    else:
        document.arrival_number = next_number(document.register)
        IncomingDocument.objects.filter(pk=document.pk).update(
            arrival_number=document.arrival_number, search_text=document.search_text_with(document.arrival_number))
    document.search_text = document.search_text_with(document.arrival_number)


def _valid_code(identifier: str) -> str:
    """An identifier from a catalogue (agencies, our own agency), when it is a well-formed one."""
    code = normalize_organ_id(identifier)
    return code if identifiers.organ_id_format(code) else ""


def resolve_code(notation: str, code_number: str, code_notation: str) -> tuple[str, str]:
    """The number and notation (Annex VI CodeNumber, CodeNotation) from what was typed: the two fields,
    or the printed form `12/QĐ-UBND` in `notation` (or in the number field). Refusals name the field."""
    number, part = (code_number or "").strip(), (code_notation or "").strip()
    if not (number or part):
        if not (notation or "").strip():
            raise ValidationError({"notation": _("Nhập số, ký hiệu của văn bản (ví dụ 12/QĐ-UBND).")})
        return _split(notation, "notation", _("Số, ký hiệu"))
    if "/" in number and not part:
        return _split(number, "code_number", _("Số"))
    for field, value, label in (("code_number", number, _("Số")), ("code_notation", part, _("Ký hiệu"))):
        if not value:
            raise ValidationError({field: _("Nhập %(field)s của văn bản.") % {"field": label.lower()}})
    try:
        check_code(number, part, number_label=_("Số"), notation_label=_("Ký hiệu"))
    except ValidationError as exc:
        raise ValidationError({exc.code: exc.messages}) from None
    if (notation or "").strip() and code_key(notation) != code_key(join_code(number, part)):
        raise ValidationError({"notation": _("Số, ký hiệu “%(notation)s” khác với Số và Ký hiệu nhập riêng.")
                               % {"notation": notation.strip()}})
    return number, part


def _split(text, field, label):
    try:
        return split_code(text, label=label)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def _file_name(upload, blob) -> str:
    return (getattr(upload, "name", "") or f"{blob.sha256[:12]}").rsplit("/", 1)[-1][:255]


def _check_register(actor, register, data):
    if register.kind != register.Kind.INCOMING or not register.is_active:
        raise ValidationError(_("Sổ văn bản đến không hợp lệ."))
    if register.is_confidential and not register.keepers.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("Bạn không được giao quản lý sổ văn bản mật."))
    if data.confidentiality != "normal" and not register.is_confidential:
        raise ValidationError(_("Văn bản mật phải vào sổ văn bản đến mật."))


def _check_receiver(receiver):
    if not receiver.is_active or not receiver.has_role(Role.LEADER, Role.HEAD):
        raise ValidationError(_("Văn bản đến chỉ được trình cho lãnh đạo."))


# What the clerk may correct after registration. Never the register, the arrival number or time (the
# register's order), the confidentiality (it decides the register) nor the files.
CORRECTABLE = ("issuer_name", "issuer", "issuer_code", "document_identifier", "code_number", "code_notation",
               "issued_on", "document_type", "summary", "signer_position", "signer_name", "urgency", "page_count",
               "medium", "deadline", "notes", "field")


@transaction.atomic
def update_incoming(*, actor, document: IncomingDocument, changes: dict) -> IncomingDocument:
    """Correct the metadata the clerk typed at registration; the audit entry keeps each old value."""
    access.require(actor, Action.REGISTER_INCOMING)
    document = IncomingDocument.objects.select_for_update().get(pk=document.pk)
    access.require(actor, Action.VIEW, document)
    if problem := frozen_problem(document):
        raise ValidationError(problem)
    changes = _code_changes(document, dict(changes))
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise ValidationError(_("Không sửa được các trường: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    diff = {name: [_plain(getattr(document, name)), _plain(value)] for name, value in changes.items()
            if getattr(document, name) != value}
    if "deadline" in diff:
        check_deadline(changes["deadline"], arrived_on=arrival_day(document))
    if not diff:
        return document
    for name in diff:
        setattr(document, name, changes[name])
    document.full_clean(exclude=["register", "registered_by", "document_type", "issuer", "field"])
    document.save()
    # The trail is read by administrators, who may not open a confidential document: its values stay out.
    record(actor=actor, action="incoming.update", obj=document,
           changes=dict.fromkeys(diff, "***") if document.is_confidential else diff)
    return document


def _code_changes(document, changes: dict) -> dict:
    """Number and notation corrected as printed (`notation`) or as parts: resolved into the two parts."""
    if "issuer_code" in changes:
        changes["issuer_code"] = normalize_organ_id(changes["issuer_code"])
    if "notation" in changes and not {"code_number", "code_notation"} & set(changes):
        number, part = resolve_code(changes.pop("notation"), "", "")
    elif {"code_number", "code_notation"} & set(changes):
        changes.pop("notation", None)
        number, part = resolve_code("", changes.get("code_number", document.code_number),
                                    changes.get("code_notation", document.code_notation))
    else:
        return changes
    return {**changes, "code_number": number, "code_notation": part}


def _plain(value):
    """A value as the audit trail stores it (JSON): model rows by id, dates as ISO text."""
    if hasattr(value, "pk"):
        return value.pk
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def present_again(*, actor, document: IncomingDocument, receiver, instruction: str = "") -> IncomingDocument:
    """After a leader returned it (or the clerk recalled it), present the document to a leader again."""
    access.require(actor, Action.REGISTER_INCOMING)
    document = IncomingDocument.objects.select_for_update().get(pk=document.pk)
    access.require(actor, Action.VIEW, document)
    if problem := frozen_problem(document):
        raise ValidationError(problem)
    if document.status not in (document.Status.RETURNED, document.Status.REGISTERED) or \
            document.assignments.filter(parent=None, state__in=["new", "seen", "in_progress", "pending"]).exists():
        raise ValidationError(_("Văn bản đang được lãnh đạo xử lý."))
    _check_receiver(receiver)
    document.status = document.Status.REGISTERED
    document.save(update_fields=["status"])
    assignments.create_root(actor=actor, document=document, receiver=receiver, instruction=instruction)
    return document


@transaction.atomic
def cancel_registration(*, actor, document: IncomingDocument, reason: str) -> IncomingDocument:
    """Cancel a wrong registration. The arrival number stays taken and marked, never reused."""
    document = IncomingDocument.objects.select_for_update().get(pk=document.pk)
    access.require(actor, Action.CANCEL, document)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Nhập lý do hủy đăng ký."))
    if problem := frozen_problem(document):
        raise ValidationError(problem)
    if document.assignments.exclude(parent=None).exists():
        raise ValidationError(_("Văn bản đã được chuyển xử lý, không thể hủy đăng ký."))
    before = document.status
    document.status, document.cancel_reason = document.Status.CANCELLED, reason
    document.save(update_fields=["status", "cancel_reason"])
    assignments.withdraw(actor=actor, document=document, reason=reason)
    record(actor=actor, action="incoming.cancel", obj=document,
           changes={"status": [before, document.status], "reason": reason})
    return document


def frozen_problem(document) -> str:
    """Why the document can no longer be corrected or processed (cancelled, withdrawn), or ""."""
    if document.status == IncomingDocument.Status.CANCELLED:
        return _("Văn bản đã hủy đăng ký, không sửa được.")
    if document.status == IncomingDocument.Status.WITHDRAWN:
        return _("Văn bản đã bị thu hồi, không xử lý hay sửa được nữa.")
    return ""


@transaction.atomic
def withdraw(*, actor, incoming: IncomingDocument, reason: str, order_reference: str = "") -> IncomingDocument:
    """Remove a document from processing on its issuer's recall order (Decree 30 Art 18.4.b, PL VI
    I.III.8): its open items close with the reason, it is marked withdrawn and frozen, and the recall's
    metadata (who, when, why, the order) is kept with the document's. Its files are hidden from all but
    clerks and administrators, or removed when QLVB_WITHDRAWN_INCOMING_FILES is "remove"."""
    incoming = IncomingDocument.objects.select_for_update().get(pk=incoming.pk)
    access.require(actor, Action.RECALL, incoming)
    return withdraw_internal(actor=actor, incoming=incoming, reason=reason, order_reference=order_reference)


def withdraw_internal(*, actor, incoming, reason: str, order_reference: str = "") -> IncomingDocument:
    """The withdrawal itself, without the permission check: for `withdraw`, and for the recall of an issued
    document delivered inside the agency (the issuer's recall is the order; `outgoing.services.recall`
    checks who may). Call inside a transaction with the document's row locked."""
    reason, order_reference = (reason or "").strip(), (order_reference or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Lý do thu hồi: nhập lý do.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Lý do thu hồi: tối đa 500 ký tự.")})
    if len(order_reference) > 150:
        raise ValidationError({"order_reference": _("Văn bản yêu cầu thu hồi: tối đa 150 ký tự.")})
    if problem := frozen_problem(incoming):
        raise ValidationError(problem)
    before = incoming.status
    incoming.status, incoming.withdrawn_at, incoming.withdrawn_by = incoming.Status.WITHDRAWN, timezone.now(), actor
    incoming.withdraw_reason, incoming.withdraw_order = reason, order_reference
    incoming.save(update_fields=["status", "withdrawn_at", "withdrawn_by", "withdraw_reason", "withdraw_order"])
    removed = _remove_files(incoming) if settings.QLVB_WITHDRAWN_INCOMING_FILES == "remove" else []
    note = _("Văn bản đã bị thu hồi: %(reason)s") % {"reason": reason}
    closed = assignments.close_open_items(actor=actor, document=incoming, reason=note)
    record(actor=actor, action="incoming.withdraw", obj=incoming,
           changes={"status": [before, incoming.status], "reason": reason, "order": order_reference,
                    "closed_items": [a.pk for a in closed], "removed_files": removed})
    _notify_withdrawn(incoming, note, already=[a.receiver for a in closed])
    return incoming


def _remove_files(incoming) -> list[dict]:
    """Detach the files (their names and hashes stay in the audit entry). The stored content is not
    erased here: content-addressed, it may also be the issuer's own copy or another document's."""
    files = [{"name": a.name, "sha256": a.blob_id} for a in incoming.attachments.all()]
    incoming.attachments.all().delete()
    return files


def _notify_withdrawn(incoming, note, already):
    """The people who worked on the document and whose items were already closed (done) are told too;
    those whose open items were just closed are told by the processing tree's own notification."""
    from qlvb.monitoring.services import notify

    told = {p.pk for p in already}
    people = {a.receiver for a in incoming.assignments.select_related("receiver") if a.receiver_id not in told}
    notify(recipients=list(people), kind="recalled", link=f"/incoming/{incoming.pk}/", about=incoming,
           text=f"{incoming.notation}: {note}"[:1000])


@transaction.atomic
def deliver_internal(*, actor, outgoing, receiver) -> IncomingDocument:
    """An issued document reaches an internal unit or person as an incoming document, without retyping:
    registered in this year's incoming register (the confidential one if it is confidential) with the
    same file, and presented to the receiver."""
    from qlvb.documents.models import Register
    from qlvb.documents.services import registers_for_year

    confidential = outgoing.confidentiality != "normal"
    register = next(r for r in registers_for_year(agency=outgoing.register.agency, kind=Register.Kind.INCOMING,
                                                  year=timezone.localdate().year)
                    if r.is_confidential == confidential)
    document = IncomingDocument(
        register=register, arrival_number=next_number(register), arrived_at=timezone.now(),
        issuer_name=outgoing.agency_name, issuer_code=_valid_code(outgoing.register.agency.identifier),
        notation=outgoing.notation, issued_on=outgoing.issued_on, document_type=outgoing.document_type,
        summary=outgoing.summary, signer_name=outgoing.signer_name, signer_position=outgoing.signer_title,
        urgency=outgoing.urgency, confidentiality=outgoing.confidentiality,
        medium=IncomingDocument.Medium.ELECTRONIC, registered_by=actor,
        notes=_("Văn bản nội bộ do cơ quan phát hành."),
    )
    document.save()
    if outgoing.blob_id:
        Attachment.objects.create(document=document, blob=outgoing.blob, name=outgoing.file_name or "van-ban",
                                  is_main=True, added_by=actor)
    record(actor=actor, action="incoming.deliver_internal", obj=document,
           changes={"outgoing": outgoing.pk, "arrival_number": document.arrival_number})
    assignments.create_root(actor=actor, document=document, receiver=receiver)
    return document
