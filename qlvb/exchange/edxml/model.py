"""The edXML package as plain data (QCVN 102:2016; regulations-detail §3.2–3.4). No Django here: the
writer, the reader, a future gateway and tests all speak these dataclasses."""

import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
# Namespaces older gateways used; read, never written (edxml.md, exchange-platforms.md §7).
LEGACY_NAMESPACES = ("http://www.go.vn/eDoc", "http://www.e-doc.vn/Schema/")
XLINK = "http://www.w3.org/1999/xlink"


class BusinessType:
    """TraceHeaderList/Bussiness/BussinessDocType (§3.4)."""

    NEW, REVOKE, UPDATE, REPLACE = 0, 1, 2, 3


@dataclasses.dataclass
class Organization:
    """From, To, and the responder of a status: OrganId is the identifier code (mã định danh)."""

    organ_id: str
    name: str = ""
    organization_in_charge: str = ""
    address: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclasses.dataclass
class SignerInfo:
    competence: str = ""  # e.g. "KT. GIÁM ĐỐC"
    position: str = ""
    full_name: str = ""


@dataclasses.dataclass
class ResponseFor:
    """The document a package or a status answers."""

    organ_id: str = ""
    code: str = ""  # "number/notation"
    promulgation_date: date | None = None
    document_id: str = ""


@dataclasses.dataclass
class StaffInfo:
    department: str = ""
    staff: str = ""
    mobile: str = ""
    email: str = ""


@dataclasses.dataclass
class TraceHeader:
    organ_id: str
    timestamp: datetime


@dataclasses.dataclass
class Business:
    """Bussiness (sic): new, or revoke/update/replace of `document_id` (later slice)."""

    doc_type: int = BusinessType.NEW
    reason: str = ""
    document_id: str = ""
    paper: int = 0
    staff: StaffInfo | None = None


@dataclasses.dataclass
class Attachment:
    """One file. Writing: `open` (a callable giving a binary file, e.g. from the file store, local or
    S3) or else `path` is read in chunks. Reading: `path` is the decoded temporary file."""

    content_id: str
    name: str
    content_type: str = "application/pdf"
    description: str = ""
    path: Path | None = None
    size: int = 0
    open: Callable[[], BinaryIO] | None = None
    declared_size: int | None = None  # a Size some builders add; checked, never trusted
    sha256: str | None = None  # hex of the decoded bytes: computed by the reader, or by the writer when signing


@dataclasses.dataclass
class Document:
    """A document package (văn bản điện tử): MessageHeader, TraceHeaderList, attachments."""

    sender: Organization
    receivers: list[Organization]
    document_id: str
    code_number: str
    code_notation: str
    place: str
    promulgation_date: date
    type_code: str = "1"
    type_name: str = ""
    type_detail: str = ""
    subject: str = ""
    content: str = ""
    signer: SignerInfo = dataclasses.field(default_factory=SignerInfo)
    due_date: date | None = None
    priority: int = 0
    sphere_of_promulgation: str = ""
    typer_notation: str = ""
    promulgation_amount: int | None = None
    page_amount: int | None = None
    appendixes: list[str] = dataclasses.field(default_factory=list)
    response_for: list[ResponseFor] = dataclasses.field(default_factory=list)
    steering_type: int = 0
    to_places: list[str] = dataclasses.field(default_factory=list)
    traces: list[TraceHeader] = dataclasses.field(default_factory=list)
    business: Business = dataclasses.field(default_factory=Business)
    attachments: list[Attachment] = dataclasses.field(default_factory=list)

    @property
    def code(self) -> str:
        return f"{self.code_number}/{self.code_notation}"


@dataclasses.dataclass
class Status:
    """A status package (thông báo trạng thái xử lý) about the document `response_for`."""

    response_for: ResponseFor
    sender: Organization  # who reports (the receiver of the document; the sender for 13)
    code: str
    description: str = ""
    timestamp: datetime | None = None
    staff: StaffInfo = dataclasses.field(default_factory=StaffInfo)
