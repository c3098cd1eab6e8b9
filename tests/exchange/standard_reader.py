"""A second edXML reader, for the tests only, written from the standard's element tree
(regulations-detail §3.2–3.3; edxml.md) and sharing nothing with `qlvb.exchange.edxml`: lxml (entities
and network off), every element looked up by its qualified name at the place the tree gives it, every
value returned as the text on the wire (dates stay "yyyy/MM/dd"). A package of ours that this reader
reads as the source says is a package the standard's structure describes; a reader tolerant of order
and prefixes (ours) could hide a misplaced or misnamed element, this one cannot."""

import base64

from lxml import etree

EDXML = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DS = "http://www.w3.org/2000/09/xmldsig#"
XLINK = "http://www.w3.org/1999/xlink"
NS = {"e": EDXML, "ds": DS, "xlink": XLINK}

# The official sample's order of MessageHeader's children (regulations-detail §3.2, "Notes"), with
# ResponseFor (0..n) where the numbering puts it, before SteeringType.
HEADER_ORDER = ["From", "To", "DocumentId", "Code", "PromulgationInfo", "DocumentType", "Subject", "Content",
                "SignerInfo", "DueDate", "OtherInfo", "ResponseFor", "SteeringType", "ToPlaces"]
ORGANIZATION = ["OrganId", "OrganizationInCharge", "OrganName", "OrganAdd", "Email", "Telephone", "Fax", "Website"]


class NotStandard(AssertionError):
    """The package departs from the standard's tree (what and where)."""


def _parser():
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


def _one(parent, path: str):
    found = parent.findall(path, NS)
    if len(found) != 1:
        raise NotStandard(f"{len(found)} × {path} under {etree.QName(parent).localname}")
    return found[0]


def _text(parent, path: str) -> str:
    return (_one(parent, path).text or "").strip()


def _optional(parent, path: str) -> str | None:
    node = parent.find(path, NS)
    return None if node is None else (node.text or "").strip()


def _local(node) -> str:
    return etree.QName(node).localname


def _organization(node) -> dict:
    present = [_local(c) for c in node]
    unknown = [name for name in present if name not in ORGANIZATION]
    if unknown:
        raise NotStandard(f"{_local(node)}: {unknown}")
    return {name: _optional(node, f"e:{name}") or "" for name in ORGANIZATION}


def _staff(node) -> dict | None:
    if node is None:
        return None
    return {name: _optional(node, f"e:{name}") or "" for name in ("Department", "Staff", "Mobile", "Email")}


def _response_for(node) -> dict:
    return {"OrganId": _text(node, "e:OrganId"), "Code": _text(node, "e:Code"),
            "PromulgationDate": _text(node, "e:PromulgationDate"), "DocumentId": _text(node, "e:DocumentId")}


def _message_header(header) -> dict:
    message = _one(header, "e:MessageHeader")
    order = [_local(c) for c in message]
    positions = [HEADER_ORDER.index(name) if name in HEADER_ORDER else None for name in order]
    if None in positions or positions != sorted(positions):
        raise NotStandard(f"MessageHeader's children out of the sample's order: {order}")
    other = _one(message, "e:OtherInfo")
    return {
        "From": _organization(_one(message, "e:From")),
        "To": [_organization(node) for node in message.findall("e:To", NS)],
        "DocumentId": _text(message, "e:DocumentId"),
        "Code": {"CodeNumber": _text(message, "e:Code/e:CodeNumber"),
                 "CodeNotation": _text(message, "e:Code/e:CodeNotation")},
        "PromulgationInfo": {"Place": _text(message, "e:PromulgationInfo/e:Place"),
                             "PromulgationDate": _text(message, "e:PromulgationInfo/e:PromulgationDate")},
        "DocumentType": {"Type": _text(message, "e:DocumentType/e:Type"),
                         "TypeDetail": _optional(message, "e:DocumentType/e:TypeDetail") or "",
                         "TypeName": _text(message, "e:DocumentType/e:TypeName")},
        "Subject": _text(message, "e:Subject"),
        "Content": _optional(message, "e:Content") or "",
        "SignerInfo": {name: _text(message, f"e:SignerInfo/e:{name}")
                       for name in ("Competence", "Position", "FullName")},
        "DueDate": _optional(message, "e:DueDate") or "",
        "OtherInfo": {
            **{name: _optional(other, f"e:{name}") or "" for name in (
                "Priority", "SphereOfPromulgation", "TyperNotation", "PromulgationAmount", "PageAmount")},
            "Appendixes": [(a.text or "").strip() for a in other.findall("e:Appendixes/e:Appendix", NS)]},
        "ResponseFor": [_response_for(node) for node in message.findall("e:ResponseFor", NS)],
        "SteeringType": _optional(message, "e:SteeringType") or "",
        "ToPlaces": [(p.text or "").strip() for p in message.findall("e:ToPlaces/e:Place", NS)],
    }


def _trace(header) -> dict:
    traces = _one(header, "e:TraceHeaderList")
    business = traces.find("e:Bussiness", NS)
    return {
        "TraceHeader": [{"OrganId": _text(t, "e:OrganId"), "Timestamp": _text(t, "e:Timestamp")}
                        for t in traces.findall("e:TraceHeader", NS)],
        "Bussiness": None if business is None else {
            "BussinessDocType": _text(business, "e:BussinessDocType"),
            "BussinessDocReason": _optional(business, "e:BussinessDocReason") or "",
            "Paper": _optional(business, "e:Paper") or "",
            "DocumentId": _optional(business, "e:DocumentId") or "",
            "StaffInfo": _staff(business.find("e:StaffInfo", NS))},
    }


def _signature(header) -> dict | None:
    """The XML-DSig in edXMLHeader (unprefixed, in the xmldsig namespace, as in the official sample)."""
    signature = header.find("ds:Signature", NS)
    if signature is None:
        return None
    method = signature.find("ds:SignedInfo/ds:SignatureMethod", NS)
    return {
        "SignatureMethod": method.get("Algorithm") if method is not None else None,
        "References": [r.get("URI") for r in signature.findall("ds:SignedInfo/ds:Reference", NS)],
        "Certificates": [base64.b64decode("".join((c.text or "").split()))
                         for c in signature.findall("ds:KeyInfo/ds:X509Data/ds:X509Certificate", NS)],
        "last_in_header": header[-1] is signature,
    }


def _manifest(envelope) -> list[dict]:
    manifest = _one(envelope, "e:edXMLBody/e:edXMLManifest")
    return [{"href": r.get(f"{{{XLINK}}}href"), "ContentId": _text(r, "e:ContentId"),
             "ContentType": _text(r, "e:ContentType"), "Description": _optional(r, "e:Description") or "",
             "AttachmentName": _text(r, "e:AttachmentName")} for r in manifest.findall("e:Reference", NS)]


def _attachments(root) -> list[dict]:
    encoded = root.find("e:AttachmentEncoded", NS)
    if encoded is None:
        return []
    return [{"ContentId": _text(a, "e:ContentId"), "AttachmentName": _text(a, "e:AttachmentName"),
             "Description": _optional(a, "e:Description") or "", "ContentType": _text(a, "e:ContentType"),
             "bytes": base64.b64decode("".join(_text(a, "e:ContentTransferEncoded").split()), validate=True)}
            for a in encoded.findall("e:Attachment", NS)]


def _root(data: bytes):
    root = etree.fromstring(data, _parser())
    if root.tag != f"{{{EDXML}}}edXML":
        raise NotStandard(f"root {root.tag}")
    children = [_local(c) for c in root]
    if children[:1] != ["edXMLEnvelope"] or set(children[1:]) - {"AttachmentEncoded"}:
        raise NotStandard(f"edXML's children: {children}")
    return root


def read_document(data: bytes) -> dict:
    """A document package as the standard's tree, values as their text."""
    root = _root(data)
    envelope = _one(root, "e:edXMLEnvelope")
    header = _one(envelope, "e:edXMLHeader")
    return {"MessageHeader": _message_header(header), "TraceHeaderList": _trace(header),
            "Signature": _signature(header), "Manifest": _manifest(envelope), "Attachments": _attachments(root)}


def read_status(data: bytes) -> dict:
    """A status package: edXMLEnvelope/edXMLHeader/Status (regulations-detail §3.3)."""
    status = _one(_one(_one(_root(data), "e:edXMLEnvelope"), "e:edXMLHeader"), "e:Status")
    return {"ResponseFor": _response_for(_one(status, "e:ResponseFor")),
            "From": _organization(_one(status, "e:From")), "StatusCode": _text(status, "e:StatusCode"),
            "Description": _optional(status, "e:Description") or "", "Timestamp": _text(status, "e:Timestamp"),
            "StaffInfo": _staff(status.find("e:StaffInfo", NS))}
