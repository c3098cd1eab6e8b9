"""Business actions of the exchange by files (issue 15, first slice): export the edXML package of an
issued document for an external recipient, import a received package into the electronic inbox, register
or refuse it (status 03 / 02 written as files to send back), import a status notice about a document we
sent. The direct transport and the gateways (later) call the same import and status functions."""

import dataclasses
import logging
from contextlib import ExitStack

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb import access
from qlvb.access import Action
from qlvb.audit.services import record as audit
from qlvb.documents.identifiers import organ_id_format
from qlvb.documents.models import DocumentType, ExternalAgency
from qlvb.documents.services import registers_for_year
from qlvb.files.storage import discard, keep, open_checked, stage_all
from qlvb.incoming.models import IncomingDocument
from qlvb.incoming.services import IncomingData, register_incoming
from qlvb.organization.models import Agency
from qlvb.outgoing import services as outgoing_services
from qlvb.outgoing.models import Recipient

from . import outbox, packages, preflight, signature, store
from .edxml import codes, dsig, model, reader, writer
from .edxml.errors import EdxmlError
from .messages import refused
from .models import BUSINESS_LABELS, Package, PackageAttachment, Peer, StatusMessage

log = logging.getLogger(__name__)


@dataclasses.dataclass
class Imported:
    """What an imported file was: a document package (new or already received) or a status notice."""

    package: Package
    created: bool
    status: StatusMessage | None = None


def _our_agency(field: str = "identifier") -> Agency:
    agency = Agency.objects.get()
    if not organ_id_format((agency.identifier or "").strip().upper()):
        raise ValidationError({field: _("Cơ quan chưa khai báo mã định danh hợp lệ (Quản trị → Cơ quan): không "
                                        "liên thông văn bản điện tử được.")})
    return agency


# ---- sending ------------------------------------------------------------------------------------

def _export_problems(recipient: Recipient, *, direct: bool = False) -> list[str]:
    """Why the package cannot be made, each in a sentence the clerk can act on (`preflight`), or []."""
    return preflight.problems(recipient, direct=direct)


def _existing_out(recipient) -> Package | None:
    return Package.objects.filter(direction=Package.Direction.OUT, recipient=recipient,
                                  business_type=model.BusinessType.NEW).first()


def _make_package(actor, recipient, *, pin, credential, keep, change=None):
    """Write the package of `recipient`'s document, signed by the agency when a PIN is given (or a
    credential chosen), and `keep(doc, staged, signer_summary)` it. The PIN unlocks the key for this
    package only; a wrong PIN is refused on the field `pin` (counted by the signing app)."""
    agency = _our_agency()
    doc = packages.document_package(actor=actor, agency=agency, document=recipient.document, recipient=recipient)
    if change is not None:  # (original package, business type, reason): refers to the DocumentId first sent
        original, kind, reason = change
        doc.document_id = original.document_id
        doc.business = model.Business(doc_type=kind, reason=reason, document_id=original.document_id,
                                      staff=doc.business.staff)
        if kind == model.BusinessType.REVOKE:
            doc.attachments = []  # a revocation carries no file
    credential = signature.credential_for(agency, credential) if (pin or credential is not None) else None
    if (pin or credential is not None) and credential is None:
        raise ValidationError({"pin": _("Cơ quan chưa có chứng thư số để ký gói tin (Quản trị → Chứng thư số).")})
    with store.work_dir() as directory:
        if credential is None:
            staged = store.write(directory, "package.edxml", lambda out: writer.write_document(doc, out))
            signer = {}
        else:
            with signature.package_signer(actor=actor, credential=credential, pin=pin,
                                          obj=recipient.document) as sign:
                staged = store.write(directory, "package.edxml",
                                     lambda out: writer.write_document(doc, out, sign=sign))
            signer = {"verdict": dsig.VALID, "subject": credential.subject, "issuer": credential.issuer,
                      "serial": credential.serial, "fingerprint": credential.fingerprint}
        return keep(doc, staged, signer)


def export_package(*, actor, recipient: Recipient, pin: str | None = None, credential=None) -> Package:
    """The clerk makes the `.edxml` package of an issued document for one external recipient (to send by
    another gateway or by hand), signed by the agency when the PIN is given; the recipient is marked sent.
    Exporting again returns the same package."""
    access.require(actor, Action.ISSUE)
    if existing := _existing_out(recipient):
        return existing
    if problems := _export_problems(recipient):
        raise ValidationError(problems)
    try:
        return _make_package(actor, recipient, pin=pin, credential=credential,
                             keep=lambda doc, staged, signer: _keep_export(actor, recipient, doc, staged, signer))
    except IntegrityError:  # another clerk exported it at the same moment: theirs is the package
        return _existing_out(recipient)


def _new_out_package(actor, recipient, doc, staged, signer, state, peer=None, **extra) -> Package:
    return Package.objects.create(
        direction=Package.Direction.OUT, state=state, document_id=doc.document_id,
        sender_organ_id=doc.sender.organ_id, receiver_organ_id=doc.receivers[0].organ_id,
        blob=store.keep_one(staged), code=doc.code, subject=doc.subject[:1000], sender_name=doc.sender.name,
        promulgation_date=doc.promulgation_date, header=packages.header_json(doc), outgoing=recipient.document,
        recipient=recipient, created_by=actor, peer=peer, signature_verdict=signer.get("verdict", ""),
        signature=signer, **extra)


@transaction.atomic
def _keep_export(actor, recipient, doc: model.Document, staged, signer) -> Package:
    recipient = (Recipient.objects.select_for_update(of=("self",)).select_related("document", "agency")
                 .get(pk=recipient.pk))
    package = _new_out_package(actor, recipient, doc, staged, signer, Package.State.EXPORTED)
    if recipient.status == Recipient.Status.PENDING:
        outgoing_services.mark_dispatched(actor=actor, recipient=recipient, status=Recipient.Status.SENT)
    audit(actor=actor, action="exchange.export", obj=recipient.document,
          changes={"recipient": str(recipient), "document_id": doc.document_id, "file": package.blob_id})
    return package


def send_package(*, actor, recipient: Recipient, pin: str | None = None, credential=None) -> Package:
    """Send the package of an issued document to an external recipient whose agency is a peer (direct
    transport): signed by the agency when the PIN is given, kept in the outbox and posted by a task after
    COMMIT, retried until delivered. Sending again returns the same package (and queues it if it was
    only exported as a file before)."""
    access.require(actor, Action.ISSUE)
    peer = outbox.peer_for(recipient.agency.identifier if recipient.agency_id else "")
    if peer is None:
        raise ValidationError(_("Nơi nhận “%(name)s” chưa được khai báo liên thông trực tiếp (Quản trị → Cơ quan liên "
                                "thông trực tiếp): xuất tệp .edxml để gửi qua trục liên thông.")
                              % {"name": recipient.agency.name if recipient.agency_id else recipient})
    if existing := _existing_out(recipient):
        with transaction.atomic():
            if not existing.outbox.filter(status_message__isnull=True).exists():
                Package.objects.filter(pk=existing.pk).update(peer=peer, state=Package.State.QUEUED)
                outbox.enqueue(peer=peer, package=existing)
        return existing
    if problems := _export_problems(recipient, direct=True):
        raise ValidationError(problems)
    try:
        return _make_package(actor, recipient, pin=pin, credential=credential,
                             keep=lambda doc, staged, signer: _keep_queued(actor, recipient, doc, staged, signer,
                                                                            peer))
    except IntegrityError:
        return _existing_out(recipient)


@transaction.atomic
def _keep_queued(actor, recipient, doc, staged, signer, peer) -> Package:
    recipient = (Recipient.objects.select_for_update(of=("self",)).select_related("document", "agency")
                 .get(pk=recipient.pk))
    package = _new_out_package(actor, recipient, doc, staged, signer, Package.State.QUEUED, peer=peer)
    outbox.enqueue(peer=peer, package=package)
    audit(actor=actor, action="exchange.queue", obj=recipient.document,
          changes={"recipient": str(recipient), "peer": peer.organ_id, "document_id": doc.document_id,
                   "signed": bool(signer)})
    return package


def send_to_peers(*, actor, document, pin: str | None = None, credential=None) -> list[Package]:
    """At issuing: each external recipient whose agency is an active peer gets the package through the
    outbox, signed with the PIN the clerk gave to issue. A recipient that cannot be sent to (confidential
    document, no identifier) stays pending for the clerk, as before."""
    peers = set(Peer.objects.filter(is_active=True).values_list("organ_id", flat=True))
    sent = []
    for recipient in document.recipients.filter(agency__isnull=False).select_related("agency", "document"):
        organ_id = (recipient.agency.identifier or "").strip().upper()
        if organ_id in peers and not _export_problems(recipient, direct=True):
            try:
                sent.append(send_package(actor=actor, recipient=recipient, pin=pin, credential=credential))
            except ValidationError as exc:  # issued already: the clerk sends it from the exchange page
                log.warning("exchange: package for %s not queued at issuing: %s", recipient, exc.messages)
    return sent


# ---- revoke, update, replace (the sender) -------------------------------------------------------

CHANGE_ACTIONS = {model.BusinessType.REVOKE: "exchange.revoke", model.BusinessType.UPDATE: "exchange.update",
                  model.BusinessType.REPLACE: "exchange.replace"}


def send_change(*, actor, document, kind: int, reason: str, pin: str | None = None, credential=None) -> list[Package]:
    """Revoke (thu hồi), update (cập nhật) or replace (thay thế) a document we sent: to each external recipient
    that was sent its package, a new package whose Bussiness carries `kind`, the reason and the original
    DocumentId (update and replace carry the document's current metadata and file), by the same way the
    original went (the outbox for a peer, a file to export otherwise). Audited on the document."""
    access.require(actor, Action.ISSUE)
    if kind not in CHANGE_ACTIONS:
        raise ValidationError({"kind": _("Loại nghiệp vụ: chọn thu hồi, cập nhật hoặc thay thế.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Lý do: nhập lý do để gửi kèm cho nơi nhận.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Lý do: tối đa 500 ký tự.")})
    originals = list(Package.objects.filter(direction=Package.Direction.OUT, outgoing=document,
                                            business_type=model.BusinessType.NEW)
                     .select_related("recipient__agency", "recipient__document", "peer"))
    if not originals:
        raise ValidationError(_("Văn bản chưa được gửi điện tử cho nơi nhận bên ngoài nào: không có gì để thu hồi, "
                                "cập nhật hay thay thế."))
    earlier = {c.original_id: c for c in Package.objects.filter(direction=Package.Direction.OUT, business_type=kind,
                                                                original__in=originals)}
    if len(earlier) == len(originals):
        raise ValidationError({"kind": _already_changed(kind, list(earlier.values()))})
    sent = []
    for original in originals:
        if original.pk in earlier:  # one package of each kind per recipient: that one had it already
            continue
        recipient = original.recipient
        peer = original.peer if original.peer_id and original.peer.is_active else None
        sent.append(_make_package(
            actor, recipient, pin=pin, credential=credential, change=(original, kind, reason),
            keep=lambda doc, staged, signer, original=original, peer=peer: _keep_change(
                actor, original, doc, staged, signer, kind, reason, peer)))
    return sent


def _already_changed(kind: int, changes: list[Package]) -> str:
    """Why a second revoke / update / replace of the same kind is refused: each recipient takes one
    package of each kind per document (its DocumentId is the original's: a second would be taken for the first)."""
    kind_name = str(BUSINESS_LABELS[kind]).lower()
    last = max(c.created_at for c in changes)
    return _("Đã gửi %(kind)s văn bản này cho %(recipients)s (lúc %(when)s): mỗi nơi nhận chỉ nhận một gói tin "
             "%(kind)s cho một văn bản, không gửi lần thứ hai.") % {
        "kind": kind_name, "recipients": ", ".join(sorted(c.receiver_organ_id for c in changes)),
        "when": timezone.localtime(last).strftime("%H:%M %d/%m/%Y")}


@transaction.atomic
def _keep_change(actor, original, doc, staged, signer, kind, reason, peer) -> Package:
    state = Package.State.QUEUED if peer else Package.State.EXPORTED
    package = _new_out_package(actor, original.recipient, doc, staged, signer, state, peer=peer, business_type=kind,
                               original=original, business_reason=reason)
    if peer:
        outbox.enqueue(peer=peer, package=package)
    audit(actor=actor, action=CHANGE_ACTIONS[kind], obj=original.outgoing,
          changes={"recipient": original.receiver_organ_id, "document_id": original.document_id, "reason": reason,
                   "package": package.pk, "peer": peer.organ_id if peer else ""})
    return package


# ---- receiving ----------------------------------------------------------------------------------

def import_file(*, actor, upload) -> Imported:
    """Read an `.edxml` file the clerk received: a document package lands in the electronic inbox (status
    01 written), a status notice joins the history of the recipient it is about. A refused file leaves
    nothing stored; the same package imported twice is one inbox entry."""
    access.require(actor, Action.REGISTER_INCOMING)
    return _receive(upload, actor=actor, peer=None)


def receive_from_peer(*, peer: Peer, stream, declared_size: int | None) -> Imported:
    """A package or a status notice posted by a peer (its token checked by the caller): the same reading,
    checks and storing as a file the clerk imports, with the peer as the sender it must come from.
    Refusals are ValidationError (the endpoint answers them with status 02 and the reason)."""
    limit = settings.QLVB_EXCHANGE_MAX_PACKAGE_BYTES
    if declared_size is not None and declared_size > limit:
        raise refused(EdxmlError("too_large", limit=limit))
    return _receive(stream, actor=None, peer=peer)


def _receive(source, *, actor, peer) -> Imported:
    limit = settings.QLVB_EXCHANGE_MAX_PACKAGE_BYTES
    with store.work_dir() as directory:
        staged = store.spool(directory, source, limit)
        if staged is None:
            raise refused(EdxmlError("too_large", limit=limit))
        try:
            with open(staged.path, "rb") as handle:
                parsed = reader.read(handle, work_dir=directory, max_bytes=limit,
                                     max_attachment_bytes=settings.QLVB_MAX_UPLOAD_BYTES,
                                     max_attachments=settings.QLVB_EXCHANGE_MAX_ATTACHMENTS)
        except EdxmlError as exc:
            raise refused(exc) from exc
        if peer is not None and parsed.sender.organ_id != peer.organ_id:
            raise ValidationError({"file": _("Gói tin ghi nơi gửi %(sent)s nhưng được gửi bằng tài khoản liên thông "
                                             "của %(peer)s.") % {"sent": parsed.sender.organ_id,
                                                                 "peer": peer.organ_id}})
        if isinstance(parsed, model.Status):
            return _import_status(actor, parsed, staged, peer=peer)
        return _import_document(actor, parsed, staged, peer=peer)


def _import_document(actor, doc: model.Document, staged, *, peer=None) -> Imported:
    agency = _our_agency("file")
    if agency.identifier.strip().upper() not in {r.organ_id for r in doc.receivers}:
        raise ValidationError({"file": _("Gói tin không gửi cho cơ quan mình (mã định danh %(id)s) mà cho: "
                                         "%(to)s.") % {"id": agency.identifier,
                                                       "to": ", ".join(r.organ_id for r in doc.receivers)}})
    if existing := _received(doc):
        return Imported(existing, created=False)
    original = _original_of(doc)
    checked = signature.check(staged.path, doc, peer=peer or outbox.peer_for(doc.sender.organ_id))
    if checked.verdict == dsig.MODIFIED:
        raise ValidationError({"file": _("Gói tin đã bị sửa đổi sau khi ký (chữ ký số của %(who)s không khớp với "
                                         "nội dung): không tiếp nhận.") % {"who": doc.sender.name or
                                                                           doc.sender.organ_id}},
                              code="signature_modified")
    if peer is not None and actor is None and checked.reason == signature.NOT_THE_PEERS:
        # Posted with the peer's token but signed by someone else: a stolen token or a forged package.
        # (A clerk importing a file keeps it, marked not trusted: the file came by other means.)
        raise ValidationError({"file": _("Gói tin được ký bằng chứng thư số khác với chứng thư đã đăng ký của "
                                         "%(who)s: không tiếp nhận.") % {"who": peer.name or peer.organ_id}},
                              code="signature_not_peers")
    with ExitStack() as files:
        sources = [files.enter_context(open(a.path, "rb")) for a in doc.attachments]
        files_staged = stage_all(sources, names=[a.name for a in doc.attachments])
    try:
        with transaction.atomic():
            package = _keep_received(actor, agency, doc, staged, files_staged, checked, peer, original)
            if original is not None:
                _apply_change(actor, package, original)
    except IntegrityError:  # the same package imported at the same moment by another clerk
        if existing := _received(doc):
            return Imported(existing, created=False)
        raise
    finally:
        discard(files_staged)
    return Imported(package, created=True)


def _received(doc: model.Document) -> Package | None:
    return Package.objects.filter(direction=Package.Direction.IN, document_id=doc.document_id,
                                  sender_organ_id=doc.sender.organ_id, business_type=doc.business.doc_type).first()


def _original_of(doc: model.Document) -> Package | None:
    """The received package a revoke / update / replace refers to (None for a new document); refused when we
    never received it."""
    if doc.business.doc_type == model.BusinessType.NEW:
        return None
    document_id = doc.business.document_id or doc.document_id
    original = Package.objects.filter(direction=Package.Direction.IN, document_id=document_id,
                                      sender_organ_id=doc.sender.organ_id,
                                      business_type=model.BusinessType.NEW).first()
    if original is None:
        raise ValidationError({"file": _("Gói tin %(kind)s văn bản %(id)s, nhưng cơ quan mình chưa nhận văn bản đó "
                                         "từ %(from)s.") % {"kind": str(BUSINESS_LABELS.get(doc.business.doc_type,
                                                                                            "")).lower(),
                                                            "id": document_id, "from": doc.sender.organ_id}})
    return original


def _apply_change(actor, change: Package, original: Package) -> None:
    """The receiver applies what its sender changed (inside the receipt's transaction; audited):
    revoke → the received package and its registered incoming document are frozen and marked;
    update → the registered document takes the new metadata (both versions stay: the two packages'
    headers and the audit entry); replace → the new files join the document's, the old ones kept."""
    from qlvb.incoming import services as incoming_services
    from qlvb.incoming.models import Attachment

    original = Package.objects.select_for_update().get(pk=original.pk)
    incoming = (IncomingDocument.objects.select_for_update().get(pk=original.incoming_id)
                if original.incoming_id else None)
    reason = change.header.get("business", {}).get("reason", "")
    Package.objects.filter(pk=change.pk).update(original=original, business_reason=reason[:500])
    changes = {"document_id": original.document_id, "from": original.sender_organ_id, "reason": reason,
               "package": change.pk, "incoming": original.incoming_id}
    if change.business_type == model.BusinessType.REVOKE:
        original.revoked_at, original.business_reason = timezone.now(), reason[:500]
        original.save(update_fields=["revoked_at", "business_reason"])
        if incoming is not None and not incoming_services.frozen_problem(incoming):
            # Delivered by a peer, nobody of ours acted: the processing tree records the clerk who
            # registered it (the exchange's own audit entry below says the sender revoked it).
            incoming_services.withdraw_internal(
                actor=actor or incoming.registered_by, incoming=incoming,
                reason=(_("Đã bị thu hồi bởi cơ quan gửi: %(reason)s") % {"reason": reason})[:500],
                order_reference=change.code[:150])
    elif incoming is not None and incoming_services.frozen_problem(incoming):
        changes["skipped"] = incoming_services.frozen_problem(incoming)
    elif change.business_type == model.BusinessType.UPDATE and incoming is not None:
        header, signer = change.header, change.header.get("signer") or {}
        new = {"summary": change.subject, "signer_position": signer.get("position", "")[:100],
               "signer_name": signer.get("full_name", "")[:50], "page_count": header.get("page_amount")}
        diff = {f: [getattr(incoming, f), v] for f, v in new.items() if getattr(incoming, f) != v}
        for field, (_old, value) in diff.items():
            setattr(incoming, field, value)
        if diff:
            incoming.save(update_fields=list(diff))
        changes["fields"] = diff
    elif change.business_type == model.BusinessType.REPLACE and incoming is not None:
        incoming.attachments.filter(is_main=True).update(is_main=False)
        for i, attachment in enumerate(change.attachments.all()):
            Attachment.objects.create(document=incoming, blob=attachment.blob, name=attachment.name,
                                      is_main=i == 0, added_by=actor or incoming.registered_by)
        changes["files"] = [a.blob_id for a in change.attachments.all()]
    audit(actor=actor, action={1: "exchange.revoked_by_sender", 2: "exchange.updated_by_sender",
                               3: "exchange.replaced_by_sender"}[change.business_type], obj=original,
          changes=changes)
    if incoming is not None and change.business_type != model.BusinessType.REVOKE:
        audit(actor=actor, action="incoming.changed_by_sender", obj=incoming, changes=changes)


def _keep_received(actor, agency, doc: model.Document, staged, files_staged, checked, peer,
                   original=None) -> Package:
    blobs = keep(files_staged)
    package = Package.objects.create(
        direction=Package.Direction.IN, state=Package.State.RECEIVED, document_id=doc.document_id,
        sender_organ_id=doc.sender.organ_id, receiver_organ_id=agency.identifier.strip().upper(),
        business_type=doc.business.doc_type, blob=store.keep_one(staged), code=doc.code[:100],
        subject=doc.subject[:1000], sender_name=doc.sender.name[:255], promulgation_date=doc.promulgation_date,
        header=packages.header_json(doc), created_by=actor, peer=peer, signature_verdict=checked.verdict,
        signature=checked.summary(), original=original, business_reason=doc.business.reason[:500])
    for i, (attachment, blob) in enumerate(zip(doc.attachments, blobs, strict=True)):
        PackageAttachment.objects.create(package=package, blob=blob, name=attachment.name[:255],
                                         description=attachment.description[:500], position=i)
    _send_status(actor, agency, package, codes.RECEIVED)
    audit(actor=actor, action="exchange.import" if peer is None else "exchange.received", obj=package,
          changes={"document_id": doc.document_id, "from": doc.sender.organ_id, "file": package.blob_id,
                   "signature": checked.verdict})
    return package


def _send_status(actor, agency, package: Package, code: str, description: str = "") -> StatusMessage:
    """Write our status notice about a received package as a file in the store, and when its sender is a
    peer, queue it in the outbox (posted after COMMIT). Inside the caller's transaction."""
    notice = packages.status_notice(actor=actor, agency=agency, package=package, code=code, description=description)
    with store.work_dir() as directory:
        staged = store.write(directory, "status.edxml", lambda out: writer.write_status(notice, out))
        blob = store.keep_one(staged)
    message = StatusMessage.objects.create(
        direction=StatusMessage.Direction.OUT, package=package, code=code, description=description,
        organ_id=notice.sender.organ_id, department=notice.staff.department[:255], staff=notice.staff.staff[:255],
        mobile=notice.staff.mobile[:40], email=notice.staff.email[:255],
        timestamp=timezone.make_aware(notice.timestamp), blob=blob)
    if peer := outbox.peer_for(package.sender_organ_id):
        outbox.enqueue(peer=peer, package=package, status_message=message)
    return message


def send_status(*, actor, package: Package, code: str, description: str = "") -> StatusMessage:
    """A status notice about a received package, from the workflow (04/05/06, `progress`); audited."""
    message = _send_status(actor, _our_agency(), package, code, description)
    audit(actor=actor, action="exchange.status_sent", obj=package, changes={"code": code})
    return message


def _import_status(actor, status: model.Status, staged, *, peer=None) -> Imported:
    """A recipient's status notice about a document we sent: matched by DocumentId and its sender (a peer
    reports only about packages sent to it: its OrganId is the sender checked in `_receive`)."""
    # The history of the document as the recipient got it: the original package, whose DocumentId a
    # revoke / update / replace package shares (their own 01 joins that history too).
    package = Package.objects.filter(direction=Package.Direction.OUT, document_id=status.response_for.document_id,
                                     receiver_organ_id=status.sender.organ_id).order_by("business_type",
                                                                                        "-created_at").first()
    visible = peer is not None or (package is not None and access.visible_outgoing(actor).filter(
        pk=package.outgoing_id).exists())
    if package is None or not visible:
        raise ValidationError({"file": _("Thông báo trạng thái nói về văn bản %(id)s gửi %(to)s, nhưng không có "
                                         "gói tin nào đã gửi khớp.") % {"id": status.response_for.document_id,
                                                                        "to": status.sender.organ_id}})
    timestamp = timezone.make_aware(status.timestamp) if status.timestamp else timezone.now()
    with transaction.atomic():
        notice, created = StatusMessage.objects.get_or_create(
            package=package, direction=StatusMessage.Direction.IN, code=status.code, timestamp=timestamp,
            defaults={"description": status.description[:1000], "organ_id": status.sender.organ_id,
                      "department": status.staff.department[:255], "staff": status.staff.staff[:255],
                      "mobile": status.staff.mobile[:40], "email": status.staff.email[:255],
                      "blob": store.keep_one(staged)})
        if created:
            audit(actor=actor, action="exchange.status_received", obj=package.outgoing,
                  changes={"recipient": package.receiver_organ_id, "code": status.code,
                           "description": status.description[:200]})
    return Imported(package, created=created, status=notice)


# ---- the clerk's decision -----------------------------------------------------------------------

def _default_register(agency):
    registers = registers_for_year(agency=agency, kind="incoming", year=timezone.localdate().year)
    register = next((r for r in registers if not r.is_confidential), None)
    if register is None:
        raise ValidationError({"register": _("Chưa có sổ văn bản đến của năm nay.")})
    return register


def _document_type(package: Package, chosen):
    if chosen is not None:
        return chosen
    name = package.header.get("type_name", "")
    found = DocumentType.objects.filter(name__iexact=name, is_active=True).first() if name else None
    if found is None:
        raise ValidationError({"document_type": _("Loại văn bản “%(name)s” của gói tin không có trong danh mục: "
                                                  "chọn loại văn bản.") % {"name": name}})
    return found


def _incoming_data(package: Package, register, document_type, files) -> IncomingData:
    header = package.header
    signer = header.get("signer") or {}
    return IncomingData(
        register=register, issuer_name=package.sender_name or package.sender_organ_id,
        issuer=ExternalAgency.objects.filter(identifier=package.sender_organ_id).first(),
        issuer_code=package.sender_organ_id, issued_on=package.promulgation_date, document_type=document_type,
        summary=package.subject, code_number=header.get("code_number", ""),
        code_notation=header.get("code_notation", ""), document_identifier=package.document_id,
        signer_position=signer.get("position", ""), signer_name=signer.get("full_name", ""),
        urgency=_urgency(header.get("priority", 0)), page_count=header.get("page_amount"),
        medium=IncomingDocument.Medium.ELECTRONIC, files=files)


def _urgency(code) -> str:
    from qlvb.documents.codes import urgency_of

    return urgency_of(int(code or 0))


def register_received(*, actor, package: Package, register=None, document_type=None, send_to=None,
                      confirm_duplicate: bool = False) -> IncomingDocument:
    """Register a received package as an incoming document in one click (register_incoming with the
    package's metadata and files) and write status 03. Registering it again returns the same document."""
    access.require(actor, Action.REGISTER_INCOMING)
    agency = _our_agency()
    with transaction.atomic():
        package = Package.objects.select_for_update().get(pk=package.pk, direction=Package.Direction.IN)
        if package.incoming_id:
            return package.incoming
        if package.state == Package.State.REFUSED:
            raise ValidationError(_("Gói tin đã bị từ chối, không vào sổ được."))
        if package.revoked_at:
            raise ValidationError(_("Văn bản đã bị thu hồi bởi cơ quan gửi (%(reason)s): không vào sổ được.")
                                  % {"reason": package.business_reason})
        if package.business_type != model.BusinessType.NEW:
            raise ValidationError(_("Gói tin %(kind)s đã được áp dụng vào văn bản gốc, không vào sổ riêng.")
                                  % {"kind": str(package.business_label).lower()})
        with ExitStack() as files:
            # Named as the package named them: register_incoming records the upload's name.
            uploads = [File(files.enter_context(open_checked(a.blob)), name=a.name)
                       for a in package.attachments.select_related("blob")]
            document = register_incoming(
                actor=actor, data=_incoming_data(package, register or _default_register(agency),
                                                 _document_type(package, document_type), uploads),
                send_to=send_to, confirm_duplicate=confirm_duplicate)
        package.incoming, package.state = document, Package.State.REGISTERED
        package.decided_by, package.decided_at = actor, timezone.now()
        package.save(update_fields=["incoming", "state", "decided_by", "decided_at"])
        _send_status(actor, agency, package, codes.ACCEPTED)
        audit(actor=actor, action="exchange.register", obj=package, changes={"incoming": document.pk})
    return document


def refuse_received(*, actor, package: Package, reason: str) -> StatusMessage:
    """Refuse a received package with a reason (returned to the sender): status 02 written as a file."""
    access.require(actor, Action.REGISTER_INCOMING)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Lý do từ chối: nhập lý do để gửi lại nơi gửi.")})
    if len(reason) > 500:
        raise ValidationError({"reason": _("Lý do từ chối: tối đa 500 ký tự.")})
    agency = _our_agency()
    with transaction.atomic():
        package = Package.objects.select_for_update().get(pk=package.pk, direction=Package.Direction.IN)
        if package.state == Package.State.REFUSED:
            return package.statuses.get(direction=StatusMessage.Direction.OUT, code=codes.REFUSED)
        if package.state == Package.State.REGISTERED:
            raise ValidationError(_("Gói tin đã vào sổ, không từ chối được."))
        package.state, package.refusal_reason = Package.State.REFUSED, reason
        package.decided_by, package.decided_at = actor, timezone.now()
        package.save(update_fields=["state", "refusal_reason", "decided_by", "decided_at"])
        status = _send_status(actor, agency, package, codes.REFUSED, reason)
        audit(actor=actor, action="exchange.refuse", obj=package, changes={"reason": reason})
    return status


# ---- peers (the administrator) ------------------------------------------------------------------

def check_peer(data: dict, instance=None) -> None:
    """A peer's OrganId in one of the two formats, a token long enough to be a secret, a readable PEM."""
    from cryptography import x509

    errors = {}
    organ_id = (data.get("organ_id") or "").strip().upper()
    if organ_id and not organ_id_format(organ_id):
        errors["organ_id"] = _("Mã định danh: không đúng định dạng QCVN 102:2016 hay Quyết định 20/2020/QĐ-TTg.")
    if len(data.get("token") or "") < 24:
        errors["token"] = _("Mã xác thực: tối thiểu 24 ký tự (chuỗi ngẫu nhiên, hai bên khai báo giống nhau).")
    pem = (data.get("certificate_pem") or "").strip()
    if pem:
        try:
            x509.load_pem_x509_certificate(pem.encode())
        except ValueError:
            errors["certificate_pem"] = _("Chứng thư số ký gói tin: không đọc được (cần định dạng PEM).")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_peer(*, actor, peer: Peer, changed=()) -> Peer:
    """Add or change a peer (administrator); audited without the token."""
    access.require(actor, Action.ADMINISTER)
    check_peer({"organ_id": peer.organ_id, "token": peer.token, "certificate_pem": peer.certificate_pem})
    peer.organ_id = peer.organ_id.strip().upper()
    peer.save()
    audit(actor=actor, action="exchange.peer_saved", obj=peer,
          changes={"organ_id": peer.organ_id, "endpoint": peer.endpoint, "active": peer.is_active,
                   "changed": [f for f in changed if f != "token"] + (["token"] if "token" in changed else [])})
    return peer
