from datetime import date, datetime

from django.http import Http404
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from qlvb import access
from qlvb.access import Action
from qlvb.core.pagination import Pages

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

    @staticmethod
    def resolve_replies_to(obj):
        return [d.pk for d in obj.replies_to.all()]


class IssueIn(Schema):
    sending: str = "electronic"
    issued_on: date | None = None


@router.get("/", response=list[OutgoingOut], summary="Văn bản đi")
@paginate(Pages)
def list_outgoing(request, q: str = ""):
    access.require(request.user, Action.HANDLE_DOCUMENTS)
    return selectors.issued_list(request.user, q=q).prefetch_related("replies_to")


@router.post("/issue/{int:draft_id}", response={201: OutgoingOut}, summary="Cấp số và phát hành")
def issue(request, draft_id: int, payload: IssueIn):
    draft = access.get_draft_for(request.user, draft_id)
    return Status(201, services.issue(actor=request.user, draft=draft, sending=payload.sending,
                                      issued_on=payload.issued_on))


@router.get("/{int:document_id}", response=OutgoingOut, summary="Một văn bản đi")
def get_outgoing(request, document_id: int):
    access.require(request.user, Action.HANDLE_DOCUMENTS)
    document = selectors.issued_list(request.user).filter(pk=document_id).first()
    if document is None:
        raise Http404
    return document
