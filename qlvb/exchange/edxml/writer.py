"""Write an edXML package (document or status) in the official sample's element order (regulations-detail
§3.2): the header is built in memory (small), attachments are base64-encoded chunk by chunk straight
into the output, so a large PDF is never held whole."""

import base64
import hashlib
from collections.abc import Callable
from datetime import date, datetime
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

from . import dsig
from .model import NAMESPACE, XLINK, Document, Organization, ResponseFor, StaffInfo, Status

CHUNK = 3 * 64 * 1024  # a multiple of 3: each chunk encodes without padding inside the stream
P = "edXML:"


def _date(value: date | None) -> str:
    return f"{value:%Y/%m/%d}" if value else ""


def _time(value: datetime | None) -> str:
    return f"{value:%Y/%m/%d %H:%M:%S}" if value else ""


def _el(name: str, *children, prefix: str = P, attrs: dict | None = None) -> str:
    """One element: children are strings of markup already built, or one plain value (escaped)."""
    attributes = "".join(f" {k}={quoteattr(v)}" for k, v in (attrs or {}).items())
    if len(children) == 1 and not isinstance(children[0], _Markup):
        value = "" if children[0] is None else str(children[0])
        return f"<{prefix}{name}{attributes}>{escape(value)}</{prefix}{name}>"
    return f"<{prefix}{name}{attributes}>{''.join(children)}</{prefix}{name}>"


class _Markup(str):
    """Markup already escaped (so `_el` nests it rather than escaping it)."""


def _m(name, *children, **kwargs) -> _Markup:
    return _Markup(_el(name, *children, **kwargs))


def _organization(name: str, org: Organization) -> _Markup:
    return _m(name, _m("OrganId", org.organ_id), _m("OrganizationInCharge", org.organization_in_charge),
              _m("OrganName", org.name), _m("OrganAdd", org.address), _m("Email", org.email),
              _m("Telephone", org.telephone), _m("Fax", org.fax), _m("Website", org.website))


def _staff(staff: StaffInfo) -> _Markup:
    return _m("StaffInfo", _m("Department", staff.department), _m("Staff", staff.staff),
              _m("Mobile", staff.mobile), _m("Email", staff.email))


def _response_for(item: ResponseFor) -> _Markup:
    return _m("ResponseFor", _m("OrganId", item.organ_id), _m("Code", item.code),
              _m("PromulgationDate", _date(item.promulgation_date)), _m("DocumentId", item.document_id))


def _number(value) -> str:
    return "" if value is None else str(value)


def _message_header(doc: Document) -> _Markup:
    """From, To, DocumentId, Code, PromulgationInfo, DocumentType, Subject, Content, SignerInfo, DueDate,
    OtherInfo, ResponseFor, SteeringType, ToPlaces: the order of the official sample."""
    other = _m("OtherInfo", _m("Priority", doc.priority), _m("SphereOfPromulgation", doc.sphere_of_promulgation),
               _m("TyperNotation", doc.typer_notation), _m("PromulgationAmount", _number(doc.promulgation_amount)),
               _m("PageAmount", _number(doc.page_amount)),
               _m("Appendixes", *[_m("Appendix", a) for a in doc.appendixes]) if doc.appendixes
               else _m("Appendixes", ""))
    return _m(
        "MessageHeader",
        _organization("From", doc.sender),
        *[_organization("To", receiver) for receiver in doc.receivers],
        _m("DocumentId", doc.document_id),
        _m("Code", _m("CodeNumber", doc.code_number), _m("CodeNotation", doc.code_notation)),
        _m("PromulgationInfo", _m("Place", doc.place), _m("PromulgationDate", _date(doc.promulgation_date))),
        _m("DocumentType", _m("Type", doc.type_code), _m("TypeDetail", doc.type_detail),
           _m("TypeName", doc.type_name)),
        _m("Subject", doc.subject), _m("Content", doc.content),
        _m("SignerInfo", _m("Competence", doc.signer.competence), _m("Position", doc.signer.position),
           _m("FullName", doc.signer.full_name)),
        _m("DueDate", _date(doc.due_date)),
        other,
        *[_response_for(item) for item in doc.response_for],
        _m("SteeringType", doc.steering_type),
        _m("ToPlaces", *[_m("Place", place) for place in doc.to_places]) if doc.to_places else _m("ToPlaces", ""),
    )


def _trace(doc: Document) -> _Markup:
    business = doc.business
    parts = [_m("BussinessDocType", business.doc_type), _m("BussinessDocReason", business.reason),
             _m("Paper", business.paper)]
    if business.document_id:
        parts.append(_m("DocumentId", business.document_id))
    if business.staff:
        parts.append(_staff(business.staff))
    return _m("TraceHeaderList",
              *[_m("TraceHeader", _m("OrganId", t.organ_id), _m("Timestamp", _time(t.timestamp)))
                for t in doc.traces],
              _m("Bussiness", *parts))


def _digest_parts(attachment) -> list[_Markup]:
    """Size and SHA-256 of the decoded file, in the signed manifest (see dsig.py); only when signing."""
    if attachment.sha256 is None:
        return []
    return [_m("Size", attachment.size), _m("DigestMethod", "", attrs={"Algorithm": dsig.SHA256}),
            _m("DigestValue", dsig.digest_b64(attachment.sha256))]


def _manifest(doc: Document) -> _Markup:
    references = [_m("Reference", _m("ContentId", a.content_id), _m("ContentType", a.content_type),
                     _m("Description", a.description), _m("AttachmentName", a.name), *_digest_parts(a),
                     attrs={"xlink:href": f"cid:{a.content_id}"}) for a in doc.attachments]
    return _m("edXMLManifest", *references, attrs={"version": "1.0"}) if references \
        else _m("edXMLManifest", "", attrs={"version": "1.0"})


_OPEN = (f'<?xml version="1.0" encoding="UTF-8"?>\n<edXML xmlns="{NAMESPACE}" xmlns:edXML="{NAMESPACE}" '
         f'xmlns:xlink="{XLINK}">')


def _open(attachment):
    return attachment.open() if attachment.open else open(attachment.path, "rb")


def _hash(attachment) -> None:
    digest, size = hashlib.sha256(), 0
    with _open(attachment) as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    attachment.sha256, attachment.size = digest.hexdigest(), size


def write_document(doc: Document, out: BinaryIO, *, sign: Callable[[bytes], bytes] | None = None) -> None:
    """Write `doc` to the binary stream `out`. Each attachment's `path` is read in chunks.

    `sign` (the agency's XML-DSig, `dsig.sign` with a key bound): the manifest gets each attachment's
    size and SHA-256 (one more read of each file), the envelope an Id and a Signature placeholder last
    in edXMLHeader; `sign` gets the small document (root + envelope) and returns it signed; the
    attachments are then streamed after it as usual."""
    if sign is None:
        header = _m("edXMLHeader", _message_header(doc), _trace(doc))
        envelope = _m("edXMLEnvelope", header, _m("edXMLBody", _manifest(doc)))
        out.write(f"{_OPEN}{envelope}<AttachmentEncoded>".encode())
    else:
        for attachment in doc.attachments:
            _hash(attachment)
        header = _m("edXMLHeader", _message_header(doc), _trace(doc), _Markup(dsig.PLACEHOLDER))
        envelope = _m("edXMLEnvelope", header, _m("edXMLBody", _manifest(doc)), attrs={"Id": dsig.ENVELOPE_ID})
        signed = sign(f"{_OPEN}{envelope}</edXML>".encode())
        end = signed.rindex(b"</edXML>")
        out.write(signed[:end] + b"<AttachmentEncoded>")
    for attachment in doc.attachments:
        out.write(("<Attachment>" + _el("ContentId", attachment.content_id, prefix="")
                   + _el("AttachmentName", attachment.name, prefix="")
                   + _el("Description", attachment.description, prefix="")
                   + _el("ContentType", attachment.content_type, prefix="")
                   + "<edXML:ContentTransferEncoded>").encode())
        with _open(attachment) as source:
            while chunk := source.read(CHUNK):
                out.write(base64.b64encode(chunk))
        out.write(b"</edXML:ContentTransferEncoded></Attachment>")
    out.write(b"</AttachmentEncoded></edXML>")


def write_status(status: Status, out: BinaryIO) -> None:
    """A status package: edXMLEnvelope/edXMLHeader/Status (regulations-detail §3.3)."""
    body = _m("Status", _response_for(status.response_for), _organization("From", status.sender),
              _m("StatusCode", status.code), _m("Description", status.description),
              _m("Timestamp", _time(status.timestamp)), _staff(status.staff))
    envelope = _m("edXMLEnvelope", _m("edXMLHeader", body), _m("edXMLBody", ""))
    out.write(f"{_OPEN}{envelope}</edXML>".encode())
