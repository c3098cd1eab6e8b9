from datetime import date, datetime

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from qlvb import access
from qlvb.access import Action
from qlvb.assignments import selectors as inbox_selectors
from qlvb.assignments.api import AssignmentOut, TreeNode, tree_out
from qlvb.audit import api as access_log
from qlvb.audit.models import AccessLog
from qlvb.audit.services import log_access
from qlvb.core.pagination import Pages
from qlvb.documents.models import DocumentType, Register
from qlvb.files.texts import texts_for
from qlvb.incoming.search import matching
from qlvb.organization.models import Field as WorkField
from qlvb.organization.models import Person
from qlvb.signing import selectors as signing_selectors

from . import duplicates, services
from .duplicates import DuplicateSuspected

router = Router(tags=["Văn bản đến"])


class IncomingOut(Schema):
    id: int
    register_id: int
    arrival_number: int
    arrived_at: datetime
    issuer_name: str
    issuer_code: str
    document_identifier: str
    notation: str
    code_number: str
    code_notation: str
    code_needs_fix: bool
    issued_on: date
    document_type: str
    summary: str
    signer: str
    signer_position: str
    signer_name: str
    urgency: str
    confidentiality: str
    priority: int
    page_count: int | None
    medium: str
    deadline: date | None
    status: str
    withdrawn: bool
    withdrawn_at: datetime | None
    withdrawn_by_id: int | None
    withdraw_reason: str
    withdraw_order: str

    @staticmethod
    def resolve_withdrawn(obj):
        return obj.is_withdrawn

    @staticmethod
    def resolve_document_type(obj):
        return obj.document_type.name


class IncomingIn(Schema):
    """Number and notation as printed (`notation`, e.g. `12/QĐ-UBND`) or as `code_number` and
    `code_notation`; the signer as `signer_position` and `signer_name` (or one text `signer`)."""

    register_id: int
    issuer_name: str
    issuer_code: str = ""
    notation: str = ""
    code_number: str = ""
    code_notation: str = ""
    issued_on: date
    document_type_id: int
    summary: str
    arrived_at: datetime | None = None
    signer: str = ""
    signer_position: str = ""
    signer_name: str = ""
    urgency: str = "normal"
    confidentiality: str = "normal"
    page_count: int | None = None
    medium: str = "electronic"
    deadline: date | None = None
    notes: str = ""
    field_id: int | None = None
    send_to_id: int | None = None
    instruction: str = ""
    document_identifier: str = ""
    confirm_duplicate: bool = False


@router.get("/", response=list[IncomingOut], summary="Văn bản đến được xem")
@paginate(Pages)
def list_incoming(request, q: str = "", status: str = ""):
    qs = access.visible_incoming(request.user).select_related("document_type").order_by("-arrived_at", "-id")
    qs = matching(qs, q)
    return qs.filter(status=status) if status else qs


class DuplicateMatch(Schema):
    id: int
    arrival_number: int
    register_id: int
    register_name: str
    arrived_at: datetime
    notation: str
    issuer_name: str
    url: str


class DuplicatesOut(Schema):
    detail: list[str]
    duplicates: list[DuplicateMatch]
    hidden_count: int  # matches in registers the caller may not see: counted, never shown
    confirm_with: dict


@router.post("/", response={201: IncomingOut, 409: DuplicatesOut}, summary="Vào sổ văn bản đến",
             description="409 when the document seems registered already (same DocumentId, or same number, "
                         "notation and issuing agency): send again with confirm_duplicate=true to register it.")
def register(request, payload: Form[IncomingIn], files: File[list[UploadedFile]] = None):
    access.require(request.user, Action.REGISTER_INCOMING)
    data = services.IncomingData(
        register=get_object_or_404(Register, pk=payload.register_id, kind=Register.Kind.INCOMING),
        issuer_name=payload.issuer_name, issuer_code=payload.issuer_code, notation=payload.notation,
        code_number=payload.code_number, code_notation=payload.code_notation, issued_on=payload.issued_on,
        document_type=get_object_or_404(DocumentType, pk=payload.document_type_id), summary=payload.summary,
        arrived_at=payload.arrived_at, signer=payload.signer, signer_position=payload.signer_position,
        signer_name=payload.signer_name, urgency=payload.urgency, document_identifier=payload.document_identifier,
        confidentiality=payload.confidentiality, page_count=payload.page_count, medium=payload.medium,
        deadline=payload.deadline, notes=payload.notes,
        field=get_object_or_404(WorkField, pk=payload.field_id) if payload.field_id else None, files=files or [],
    )
    send_to = get_object_or_404(Person, pk=payload.send_to_id) if payload.send_to_id else None
    try:
        document = services.register_incoming(actor=request.user, data=data, send_to=send_to,
                                              instruction=payload.instruction,
                                              confirm_duplicate=payload.confirm_duplicate)
    except DuplicateSuspected as exc:
        return Status(409, duplicates.as_json(exc.duplicates))
    return Status(201, document)


class IncomingPatch(Schema):
    """Only the fields sent are corrected."""

    issuer_name: str | None = None
    issuer_code: str | None = None
    document_identifier: str | None = None
    notation: str | None = None
    code_number: str | None = None
    code_notation: str | None = None
    issued_on: date | None = None
    document_type_id: int | None = None
    summary: str | None = None
    signer_position: str | None = None
    signer_name: str | None = None
    urgency: str | None = None
    page_count: int | None = None
    medium: str | None = None
    deadline: date | None = None
    notes: str | None = None
    field_id: int | None = None


@router.patch("/{int:document_id}", response=IncomingOut, summary="Sửa thông tin văn bản đến")
def update(request, document_id: int, payload: IncomingPatch):
    document = access.get_incoming_for(request.user, document_id)
    changes = payload.dict(exclude_unset=True)
    if "document_type_id" in changes:
        changes["document_type"] = get_object_or_404(DocumentType, pk=changes.pop("document_type_id"))
    if "field_id" in changes:
        field_id = changes.pop("field_id")
        changes["field"] = get_object_or_404(WorkField, pk=field_id) if field_id else None
    return services.update_incoming(actor=request.user, document=document, changes=changes)


@router.get("/inbox", response=list[AssignmentOut], summary="Hộp văn bản của tôi")
@paginate(Pages)
def inbox(request, box: str = "todo", q: str = ""):
    access.require(request.user, Action.HANDLE_DOCUMENTS)
    filters = inbox_selectors.Filters(q=q)
    if box == "overdue":
        return inbox_selectors.overdue(request.user, filters)
    return inbox_selectors.inbox(request.user, box, filters)


@router.get("/{int:document_id}", response=IncomingOut, summary="Một văn bản đến")
def get_incoming(request, document_id: int):
    document = access.get_incoming_for(request.user, document_id)
    log_access(person=request.user, action=AccessLog.Kind.API, obj=document)
    return document


@router.get("/{int:document_id}/tree", response=list[TreeNode], summary="Luồng xử lý")
def get_tree(request, document_id: int):
    document = access.get_incoming_for(request.user, document_id)
    log_access(person=request.user, action=AccessLog.Kind.API, obj=document)
    return tree_out(inbox_selectors.tree(document))


class ExtendDeadlineIn(Schema):
    deadline: date = Field(title="Hạn xử lý mới")
    reason: str = Field(title="Lý do gia hạn")


@router.post("/{int:document_id}/extend-deadline", response=IncomingOut,
             summary="Gia hạn xử lý văn bản (người đã đặt hạn, có lý do)",
             description="Only the person who set the document's deadline (the registering clerk, or the last "
                         "one who extended it), or whoever acts for them: 403 for others who may open it, 404 "
                         "for those who may not. The extension is an event `extended` in the tree.")
def extend_deadline(request, document_id: int, payload: ExtendDeadlineIn):
    from qlvb.assignments import services as flow

    document = access.get_incoming_for(request.user, document_id)
    return flow.extend_deadline(actor=request.user, document=document, deadline=payload.deadline,
                                reason=payload.reason)


class WithdrawIn(Schema):
    reason: str
    order_reference: str = ""  # the issuer's recall order: số, ký hiệu of its document or notice


@router.post("/{int:document_id}/withdraw", response=IncomingOut,
             summary="Thu hồi văn bản đến theo yêu cầu của cơ quan ban hành (văn thư hoặc lãnh đạo, có lý do)",
             description="404 for a document the caller may not open; 403 for one they may open but not "
                         "withdraw. Open items close with the reason; the document is kept, marked withdrawn.")
def withdraw(request, document_id: int, payload: WithdrawIn):
    document = access.get_incoming_for(request.user, document_id)
    return services.withdraw(actor=request.user, incoming=document, reason=payload.reason,
                             order_reference=payload.order_reference)
@router.get("/{int:document_id}/access-log", response=list[access_log.AccessEntryOut],
            summary="Lịch sử truy cập văn bản đến")
def get_access_log(request, document_id: int):
    """Who viewed, downloaded, printed or read the document, newest first (Decree 30 PL VI I.III.5.a, 6.l)."""
    return access_log.history(request.user, access.get_incoming_for(request.user, document_id))


class SignatureOut(Schema):
    verdict: str = Field(description="valid, modified, untrusted, unsigned")
    signatures: list[dict] = Field(description="each signature: signer, subject, issuer, signing_time, intact, "
                                               "coverage, trusted")


class TextStateOut(Schema):
    state: str = Field(description="pending, running (Đang nhận dạng chữ…), done or failed")
    method: str = Field(description="text (the PDF's text layer), office, ocr, or empty")
    reason: str = Field(description="why it failed, or why there is no text")
    ocr_pdf_url: str | None = Field(description="the searchable PDF/A made by OCR, beside the original")


class AttachmentOut(Schema):
    id: int
    name: str
    sha256: str
    content_type: str
    size: int
    is_main: bool
    signature: SignatureOut | None = Field(
        description="the check of the PDF's digital signatures (Decree 30 Art 21.2.c); null while it is queued "
                    "or for a file that is not a PDF")
    text: TextStateOut | None = Field(
        description="reading the file's text (issue 12): null before it is queued; a failure keeps the file usable")


@router.get("/{int:document_id}/attachments", response=list[AttachmentOut],
            summary="Tệp của văn bản đến, với kết quả kiểm tra chữ ký số",
            description="404 for a document the caller may not open; an empty list for a withdrawn document's "
                        "files, which only clerks and administrators read.")
def list_attachments(request, document_id: int):
    document = access.get_incoming_for(request.user, document_id)
    items = list(access.incoming_files_for(request.user, document).select_related("blob").order_by("-is_main", "pk"))
    checks = signing_selectors.verifications_for(a.blob_id for a in items)
    texts = texts_for(a.blob_id for a in items)
    return [{"id": a.pk, "name": a.name, "sha256": a.blob_id, "content_type": a.blob.content_type,
             "size": a.blob.size, "is_main": a.is_main, "signature": checks.get(a.blob_id),
             "text": _text_state(document, a, texts.get(a.blob_id))} for a in items]


class RoutingSuggestionOut(Schema):
    assignment_id: int | None = Field(description="the caller's item on the document the suggestion is for "
                                                   "(forward it); null: presenting the document to a leader")
    level: str = Field(description="leader (a Deputy Director), unit, officer, or root (the leader to present to)")
    role: str = Field(description="always main: the suggestion is for the main handler")
    person_id: int | None
    unit_id: int | None = Field(description="the whole unit, received by its head")
    name: str
    count: int = Field(description="similar documents that went to this target")
    total: int = Field(description="similar documents counted (at most 10, the most recent)")
    reason: str
    similar_document_ids: list[int] = Field(description="the documents counted, all of them open to the caller")


@router.get("/{int:document_id}/routing-suggestions", response=list[RoutingSuggestionOut],
            summary="Gợi ý người, đơn vị xử lý chính theo các văn bản tương tự đã xử lý",
            description="From the documents the caller may open: for each item the caller holds on the document "
                        "and may forward, and for presenting it (a clerk, while it waits to be presented). Nothing "
                        "is applied: forward with POST /api/assignments/{id}/forward. 404 for a document the caller "
                        "may not open; an empty list when there is nothing to suggest.")
def routing_suggestions(request, document_id: int):
    from qlvb.assignments import routing

    document = access.get_incoming_for(request.user, document_id)
    return [{"assignment_id": item.pk if item else None, "level": s.level, "role": "main",
             "person_id": None if s.is_unit else s.target.pk, "unit_id": s.target.pk if s.is_unit else None,
             "name": s.name, "count": s.count, "total": s.total, "reason": s.reason,
             "similar_document_ids": [d.pk for d in s.documents]}
            for item, s in routing.for_document(request.user, document)]


def _text_state(document, attachment, text):
    if text is None:
        return None
    url = reverse("incoming:attachment", args=[document.pk, attachment.pk]) + "?ocr=1" if text.ocr_blob_id else None
    return {"state": text.state, "method": text.method, "reason": text.reason, "ocr_pdf_url": url}
