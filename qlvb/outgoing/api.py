from datetime import date, datetime
from typing import Literal

from ninja import Router, Schema, Status
from ninja.pagination import paginate

from qlvb import access
from qlvb.access import Action
from qlvb.audit import api as access_log
from qlvb.audit.models import AccessLog
from qlvb.audit.services import log_access
from qlvb.core.pagination import Pages
from qlvb.records import services as record_services
from qlvb.records.api import DraftOut

from . import selectors, services
from .metadata import IssueMetadata

router = Router(tags=["Văn bản đi"])


class OutgoingOut(Schema):
    id: int
    register_id: int
    number: int
    year: int
    notation: str
    notation_conflict: bool
    issued_on: date
    document_type_id: int
    summary: str
    agency_name: str
    parent_agency_name: str
    signer_id: int
    signer_name: str
    signer_title: str
    signing_form: str
    signing_authority: str
    urgency: str
    confidentiality: str
    sending: str
    draft_id: int
    issued_at: datetime
    replies_to: list[int]
    replaces_id: int | None
    correction: str
    language: str
    page_count: int | None
    notes: str
    issued_amount: int | None
    reply_due: date | None
    recalled: bool
    recalled_at: datetime | None
    recalled_by_id: int | None
    recall_reason: str
    recall_reference: str

    @staticmethod
    def resolve_recalled(obj):
        return obj.is_recalled

    @staticmethod
    def resolve_replies_to(obj):
        return [d.pk for d in obj.replies_to.all()]


class CorrectionIn(Schema):
    kind: Literal["amend", "replace"]


class IssueIn(Schema):
    sending: str = "electronic"
    issued_on: date | None = None  # paper documents only: the signing day, numbered the next working day
    # Annex VI: language (default QLVB_DOCUMENT_LANGUAGE), pages (counted when the file is a PDF), notes,
    # copies issued (default: one per recipient), reply due date (not before the issue date).
    language: str = ""
    page_count: int | None = None
    notes: str = ""
    issued_amount: int | None = None
    reply_due: date | None = None


class RecallIn(Schema):
    reason: str
    reference: str = ""  # số, ký hiệu of the recall document, if there is one


class IssueDateIn(Schema):
    issued_on: date
    reason: str


@router.get("/", response=list[OutgoingOut], summary="Văn bản đi")
@paginate(Pages)
def list_outgoing(request, q: str = ""):
    access.require(request.user, Action.HANDLE_DOCUMENTS)
    return selectors.issued_list(request.user, q=q)


@router.post("/issue/{int:draft_id}", response={201: OutgoingOut}, summary="Cấp số và phát hành")
def issue(request, draft_id: int, payload: IssueIn):
    draft = access.get_draft_for(request.user, draft_id)
    metadata = IssueMetadata(language=payload.language, page_count=payload.page_count, notes=payload.notes,
                             issued_amount=payload.issued_amount, reply_due=payload.reply_due)
    return Status(201, services.issue(actor=request.user, draft=draft, sending=payload.sending,
                                      issued_on=payload.issued_on, metadata=metadata))


@router.get("/{int:document_id}", response=OutgoingOut, summary="Một văn bản đi")
def get_outgoing(request, document_id: int):
    document = selectors.get_for(request.user, document_id)
    log_access(person=request.user, action=AccessLog.Kind.API, obj=document)
    return document


@router.get("/{int:document_id}/access-log", response=list[access_log.AccessEntryOut],
            summary="Lịch sử truy cập văn bản đi")
def get_access_log(request, document_id: int):
    """Who viewed, downloaded, printed or read the document, newest first (Decree 30 PL VI I.III.5.a, 6.l)."""
    return access_log.history(request.user, selectors.get_for(request.user, document_id))


@router.post("/{int:document_id}/issue-date", response=OutgoingOut,
             summary="Sửa ngày ban hành nhập sai (quản trị, có lý do, ghi nhật ký)")
def correct_issue_date(request, document_id: int, payload: IssueDateIn):
    document = selectors.get_for_administrator(request.user, document_id)
    return services.correct_issue_date(actor=request.user, document=document, issued_on=payload.issued_on,
                                       reason=payload.reason)


@router.post("/{int:document_id}/corrections", response={201: DraftOut},
             summary="Soạn văn bản sửa đổi, bổ sung hoặc thay thế")
def start_correction(request, document_id: int, payload: CorrectionIn):
    document = selectors.get_for(request.user, document_id)
    return Status(201, record_services.start_correction(actor=request.user, original=document, kind=payload.kind))


@router.post("/{int:document_id}/recall", response=OutgoingOut,
             summary="Thu hồi văn bản đã phát hành (người ký hoặc người đứng đầu cơ quan, có lý do)",
             description="404 for a document the caller may not open; 403 for one they may open but not "
                         "recall. The document is frozen; its copies inside the agency are withdrawn.")
def recall(request, document_id: int, payload: RecallIn):
    document = selectors.get_for(request.user, document_id)
    services.recall(actor=request.user, document=document, reason=payload.reason, reference=payload.reference)
    return selectors.get_for(request.user, document_id)
