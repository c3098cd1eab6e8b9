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

    @staticmethod
    def resolve_replies_to(obj):
        return [d.pk for d in obj.replies_to.all()]


class CorrectionIn(Schema):
    kind: Literal["amend", "replace"]


class IssueIn(Schema):
    sending: str = "electronic"
    issued_on: date | None = None  # paper documents only: the signing day, numbered the next working day


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
    return Status(201, services.issue(actor=request.user, draft=draft, sending=payload.sending,
                                      issued_on=payload.issued_on))


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
