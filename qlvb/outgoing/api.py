from datetime import date, datetime
from typing import Literal

from django.http import Http404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from qlvb import access
from qlvb.access import Action
from qlvb.core.pagination import Pages
from qlvb.records import services as record_services
from qlvb.records.api import DraftOut

from . import selectors, services

router = Router(tags=["Văn bản đi"])


class OutgoingOut(Schema):
    id: int
    register_id: int
    number: int
    notation: str
    issued_on: date
    document_type_id: int
    summary: str
    signer_id: int
    signing_form: str
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
    issued_on: date | None = None


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
    access.require(request.user, Action.HANDLE_DOCUMENTS)
    document = selectors.visible(request.user, document_id)
    if document is None:
        raise Http404
    return document


@router.post("/{int:document_id}/corrections", response={201: DraftOut},
             summary="Soạn văn bản sửa đổi, bổ sung hoặc thay thế")
def start_correction(request, document_id: int, payload: CorrectionIn):
    access.require(request.user, Action.HANDLE_DOCUMENTS)
    document = selectors.visible(request.user, document_id)
    if document is None:
        raise Http404
    return Status(201, record_services.start_correction(actor=request.user, original=document, kind=payload.kind))
