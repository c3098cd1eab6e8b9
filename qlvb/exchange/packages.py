"""Between our models and the edXML dataclasses: the package of an issued document for one external
recipient, the status notice we send about a received package, and the header kept for the inbox."""

import dataclasses
from datetime import date, datetime
from functools import partial

from django.utils import timezone

from qlvb.documents.codes import priority
from qlvb.documents.identifiers import split_code
from qlvb.files.storage import open_checked

from .edxml import codes, model

CONTENT_MAX = 2000  # Content carries the body only when short (edxml.md: "content summary / body when short")


def organization(agency) -> model.Organization:
    """Our agency (organization.Agency) as From."""
    return model.Organization(organ_id=agency.identifier.strip().upper(), name=agency.name,
                              organization_in_charge=agency.parent_name, address=agency.address,
                              email=agency.email, telephone=agency.phone)


def staff(person) -> model.StaffInfo:
    if person is None:  # the system acted (status 01 on a peer's delivery)
        return model.StaffInfo()
    return model.StaffInfo(department=str(person.unit or ""), staff=person.full_name,
                           mobile=getattr(person, "phone", ""), email=person.email)


def _now() -> datetime:
    return timezone.localtime().replace(microsecond=0, tzinfo=None)


def document_package(*, actor, agency, document, recipient) -> model.Document:
    """The package of `document` (OutgoingDocument) for `recipient` (an external Recipient)."""
    number, notation = split_code(document.notation)
    sender = organization(agency)
    replies = [model.ResponseFor(organ_id=i.issuer_code, code=i.notation, promulgation_date=i.issued_on,
                                 document_id=i.document_identifier)
               for i in document.replies_to.all() if i.document_identifier]
    attachments = []
    if document.blob_id:
        attachments.append(model.Attachment(
            content_id="1", name=document.file_name or f"{document.notation.replace('/', '_')}.pdf",
            content_type=document.blob.content_type, description=document.summary[:500],
            open=partial(open_checked, document.blob), size=document.blob.size))
    for attachment in document.attachments.select_related("blob"):  # in separate files, signed (§1.6)
        attachments.append(model.Attachment(
            content_id=str(len(attachments) + 1), name=attachment.name, content_type=attachment.blob.content_type,
            description=attachment.name[:500], open=partial(open_checked, attachment.blob),
            size=attachment.blob.size))
    return model.Document(
        sender=sender, receivers=[model.Organization(organ_id=recipient.agency.identifier.strip().upper(),
                                                     name=recipient.agency.name)],
        document_id=codes.document_id(sender.organ_id, document.issued_on, number, notation),
        code_number=number, code_notation=notation, place=agency.place_name,
        promulgation_date=document.issued_on, type_code=codes.document_type_code(document.document_type.name) or "2",
        type_name=document.document_type.name,
        subject=document.summary, content=document.body if len(document.body) <= CONTENT_MAX else "",
        signer=model.SignerInfo(competence=document.signing_authority, position=document.signer_title,
                                full_name=document.signer_name),
        due_date=document.reply_due, priority=int(priority(document.urgency)),
        promulgation_amount=document.issued_amount, page_amount=document.page_count, response_for=replies,
        to_places=[str(r) for r in document.recipients.all()],
        traces=[model.TraceHeader(organ_id=sender.organ_id, timestamp=_now())],
        business=model.Business(staff=staff(actor)), attachments=attachments)


def status_notice(*, actor, agency, package, code: str, description: str = "") -> model.Status:
    """The status we report about a received `package` (exchange.Package)."""
    return model.Status(
        response_for=model.ResponseFor(organ_id=package.sender_organ_id, code=package.code,
                                       promulgation_date=package.promulgation_date, document_id=package.document_id),
        sender=organization(agency), code=code, description=description, timestamp=_now(), staff=staff(actor))


def header_json(doc: model.Document) -> dict:
    """The header as kept on the Package row (JSON): everything but where the attachments' bytes come from."""
    data = dataclasses.asdict(doc)
    for item in data["attachments"]:
        item.pop("path", None)
        item.pop("open", None)
    return _plain(data)


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value
