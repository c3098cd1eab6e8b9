"""From the reader's tree (elements by local name, any order) to the dataclasses, checking what is
mandatory (From, To, DocumentId, Code, Subject, PromulgationDate) and the identifiers' formats."""

import re
from datetime import date, datetime
from pathlib import Path

from . import errors
from .codes import normalize_status_code, organ_id_format
from .errors import EdxmlError
from .model import (
    Attachment,
    Business,
    Document,
    Organization,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    Status,
    TraceHeader,
)

_DATES = ("%Y/%m/%d", "%Y-%m-%d", "%d/%m/%Y")
_TIMES = ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M:%S")
_INT = re.compile(r"^-?\d{1,9}$")


def parse_date(value: str, field: str) -> date | None:
    """`yyyy/MM/dd` as written; `yyyy-MM-dd` and `dd/MM/yyyy` as some builders send."""
    if not value:
        return None
    for pattern in _DATES:
        try:
            return datetime.strptime(value[:10], pattern).date()
        except ValueError:
            continue
    raise EdxmlError(errors.BAD_VALUE, field=field, value=value[:40])


def parse_time(value: str, field: str) -> datetime | None:
    if not value:
        return None
    for pattern in _TIMES:
        try:
            return datetime.strptime(value[:19], pattern)
        except ValueError:
            continue
    raise EdxmlError(errors.BAD_VALUE, field=field, value=value[:40])


def _int(value: str, field: str, default=None):
    if not value:
        return default
    if not _INT.match(value):
        raise EdxmlError(errors.BAD_VALUE, field=field, value=value[:40])
    return int(value)


def _required(node, *path) -> str:
    value = node.get(*path) if node is not None else ""
    if not value:
        raise EdxmlError(errors.MISSING, field="/".join(path))
    return value


def _organ_id(value: str, field: str) -> str:
    value = value.strip().upper()
    if organ_id_format(value) is None:
        raise EdxmlError(errors.BAD_ORGAN_ID, field=field, value=value[:40])
    return value


def organization(node, field: str) -> Organization:
    if node is None:
        raise EdxmlError(errors.MISSING, field=field)
    return Organization(organ_id=_organ_id(_required(node, "OrganId"), f"{field}/OrganId"),
                        name=node.get("OrganName"), organization_in_charge=node.get("OrganizationInCharge"),
                        address=node.get("OrganAdd"), email=node.get("Email"), telephone=node.get("Telephone"),
                        fax=node.get("Fax"), website=node.get("Website"))


def staff(node) -> StaffInfo:
    if node is None:
        return StaffInfo()
    return StaffInfo(department=node.get("Department"), staff=node.get("Staff"), mobile=node.get("Mobile"),
                     email=node.get("Email") or node.get("EmailAddress"))


def response_for(node) -> ResponseFor:
    return ResponseFor(organ_id=node.get("OrganId").upper(), code=node.get("Code"),
                       promulgation_date=parse_date(node.get("PromulgationDate"), "ResponseFor/PromulgationDate"),
                       document_id=node.get("DocumentId"))


def _attachments(root) -> list[Attachment]:
    container = root.first("AttachmentEncoded") or root.first("edXMLBody", "AttachmentEncoded")
    found = []
    for i, node in enumerate(container.all("Attachment") if container is not None else []):
        content = node.first("ContentTransferEncoded") or node.first("Content")
        name = node.get("AttachmentName") or node.get("FileName") or f"tep-{i + 1}"
        if content is None or content.path is None:
            raise EdxmlError(errors.MISSING, field=f"Attachment[{i + 1}]/ContentTransferEncoded")
        if node.size and node.size != content.size:
            raise EdxmlError(errors.ATTACHMENT_SIZE_MISMATCH, name=name)
        found.append(Attachment(content_id=node.get("ContentId") or str(i + 1), name=name,
                                content_type=node.get("ContentType") or node.get("FileType"),
                                description=node.get("Description"), path=Path(content.path), size=content.size,
                                declared_size=node.size or None, sha256=content.sha256))
    return found


def _business(trace) -> Business:
    node = trace.first("Bussiness") if trace is not None else None
    if node is None:
        return Business()
    return Business(doc_type=_int(node.get("BussinessDocType"), "BussinessDocType", 0),
                    reason=node.get("BussinessDocReason"), document_id=node.get("DocumentId"),
                    paper=_int(node.get("Paper"), "Paper", 0),
                    staff=staff(node.first("StaffInfo")) if node.first("StaffInfo") is not None else None)


def to_document(root, header) -> Document:
    message = header.first("MessageHeader")
    receivers = [organization(node, "To") for node in message.all("To")]
    if not receivers:
        raise EdxmlError(errors.MISSING, field="To")
    other, trace = message.first("OtherInfo"), header.first("TraceHeaderList")
    promulgation = _required(message, "PromulgationInfo", "PromulgationDate")
    return Document(
        sender=organization(message.first("From"), "From"), receivers=receivers,
        document_id=_required(message, "DocumentId"),
        code_number=_required(message, "Code", "CodeNumber"), code_notation=_required(message, "Code", "CodeNotation"),
        place=message.get("PromulgationInfo", "Place"),
        promulgation_date=parse_date(promulgation, "PromulgationInfo/PromulgationDate"),
        type_code=message.get("DocumentType", "Type"), type_name=message.get("DocumentType", "TypeName"),
        type_detail=message.get("DocumentType", "TypeDetail"),
        subject=_required(message, "Subject"), content=message.get("Content"),
        signer=SignerInfo(competence=message.get("SignerInfo", "Competence"),
                          position=message.get("SignerInfo", "Position"),
                          full_name=message.get("SignerInfo", "FullName")),
        due_date=parse_date(message.get("DueDate"), "DueDate"),
        priority=_int(other.get("Priority") if other else "", "Priority", 0),
        sphere_of_promulgation=other.get("SphereOfPromulgation") if other else "",
        typer_notation=other.get("TyperNotation") if other else "",
        promulgation_amount=_int(other.get("PromulgationAmount") if other else "", "PromulgationAmount"),
        page_amount=_int(other.get("PageAmount") if other else "", "PageAmount"),
        appendixes=[a.text for a in other.first("Appendixes").all("Appendix")]
        if other is not None and other.first("Appendixes") is not None else [],
        response_for=[response_for(node) for node in message.all("ResponseFor")],
        steering_type=_int(message.get("SteeringType"), "SteeringType", 0),
        to_places=[p.text for p in message.first("ToPlaces").all("Place")] if message.first("ToPlaces") else [],
        traces=[TraceHeader(organ_id=t.get("OrganId"), timestamp=parse_time(t.get("Timestamp"), "Timestamp"))
                for t in (trace.all("TraceHeader") if trace is not None else [])],
        business=_business(trace), attachments=_attachments(root))


def to_status(node) -> Status:
    code = normalize_status_code(_required(node, "StatusCode"))
    if not code.isdigit():
        raise EdxmlError(errors.BAD_VALUE, field="StatusCode", value=code[:10])
    reference = node.first("ResponseFor")
    if reference is None or not reference.get("DocumentId"):
        raise EdxmlError(errors.MISSING, field="ResponseFor/DocumentId")
    return Status(response_for=response_for(reference), sender=organization(node.first("From"), "From"),
                  code=code, description=node.get("Description"),
                  timestamp=parse_time(node.get("Timestamp"), "Timestamp"), staff=staff(node.first("StaffInfo")))
