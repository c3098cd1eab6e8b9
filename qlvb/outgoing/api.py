from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from qlvb import access
from qlvb.access import Action
from qlvb.audit import api as access_log
from qlvb.audit.models import AccessLog
from qlvb.audit.services import log_access
from qlvb.core.pagination import Pages
from qlvb.records import services as record_services
from qlvb.records.api import DraftOut
from qlvb.signing import selectors as signing_selectors
from qlvb.signing.api import VerificationOut
from qlvb.signing.models import SigningCredential

from . import official, selectors, services
from .metadata import IssueMetadata
from .rendering import Box

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

    file_sha256: str | None = Field(description="SHA-256 of the issued file (the official PDF)")
    signature_verdict: str | None = Field(
        description="the check of the issued file's digital signatures: valid, modified, untrusted, unsigned; "
                    "null for a file that is not a PDF")

    @staticmethod
    def resolve_recalled(obj):
        return obj.is_recalled

    @staticmethod
    def resolve_file_sha256(obj):
        return obj.blob_id

    @staticmethod
    def resolve_signature_verdict(obj):
        if hasattr(obj, "signature_verdict"):  # annotated by selectors.issued_list
            return obj.signature_verdict
        found = signing_selectors.verification_of(obj.blob_id) if obj.blob_id else None
        return found.verdict if found else None

    @staticmethod
    def resolve_replies_to(obj):
        return [d.pk for d in obj.replies_to.all()]


class AttachmentOut(Schema):
    position: int
    name: str
    file_sha256: str
    size: int
    url: str = Field(description="the file (download)")
    signature: VerificationOut | None = Field(description="the agency's signature on it (Annex I §1.6)")


class OutgoingDetailOut(OutgoingOut):
    signature: VerificationOut | None = Field(
        description="each signature of the issued file: signer, time, intact, coverage, trusted (Decree 30 Art 5)")
    attachments: list[AttachmentOut] = Field(
        description="attachments in separate files (phụ lục, văn bản kèm theo), each signed by the agency at the "
                    "top right of page 1 with the number, notation and signing time")

    @staticmethod
    def resolve_attachments(obj):
        from django.urls import reverse

        attachments = list(obj.attachments.select_related("blob"))
        checks = signing_selectors.verifications_for(a.blob_id for a in attachments)
        return [{"position": a.position, "name": a.name, "file_sha256": a.blob_id, "size": a.blob.size,
                 "url": reverse("outgoing:attachment", args=[obj.pk, a.position]),
                 "signature": _verification(checks.get(a.blob_id))} for a in attachments]

    @staticmethod
    def resolve_signature(obj):
        return _verification(signing_selectors.verification_of(obj.blob_id) if obj.blob_id else None)


def _verification(found) -> dict | None:
    if found is None:
        return None
    return {"sha256": found.sha256, "verdict": found.verdict, "verdict_display": found.get_verdict_display(),
            "signatures": found.signatures}


class BoxIn(Schema):
    page: int = Field(ge=0, description="0 = the first page")
    x1: float
    y1: float
    x2: float
    y2: float


class UpcomingOut(Schema):
    register_id: int
    number: int
    notation: str
    issued_on: date
    date_line: str
    leader_signed: bool = Field(description="the draft carries its signer's digital signature (Duyệt ký)")


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
    # The agency's digital signature (Decree 30 Art 5): the PIN of its certificate (credential_id: one of
    # its active certificates; default its only one). Without a PIN the document is numbered, not signed.
    pin: str = ""
    credential_id: int | None = None
    # Where the number, date line and signature go on an uploaded PDF or a Word file without placeholders
    # (PDF points, origin bottom-left): {"number": {...}, "date": {...}, "signer": {...}}.
    positions: dict[Literal["number", "date", "signer"], BoxIn] | None = None


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


@router.get("/issue/{int:draft_id}/upcoming", response=UpcomingOut, summary="Số và ngày sẽ cấp (chưa cấp số)")
def upcoming(request, draft_id: int):
    """Read from the register without taking the number: another clerk may take it before this one issues."""
    draft = access.get_draft_for(request.user, draft_id)
    coming = services.upcoming(actor=request.user, draft=draft)
    return {"register_id": coming.register.pk, "number": coming.number, "notation": coming.notation,
            "issued_on": coming.issued_on, "date_line": coming.date_line, "leader_signed": bool(draft.signed_blob_id)}


@router.get("/issue/{int:draft_id}/preview", summary="Xem trước văn bản sẽ phát hành (PDF, chưa cấp số)",
            response={200: None}, openapi_extra={"responses": {200: {"content": {"application/pdf": {}}}}})
def preview(request, draft_id: int):
    """The PDF the draft becomes when issued now: the number and date it would take written in (the
    agency's signature needs the PIN and comes at issuing). Takes no number."""
    from .views import pdf_response

    draft = access.get_draft_for(request.user, draft_id)
    pdf, coming = services.preview_pdf(actor=request.user, draft=draft)
    return pdf_response(pdf, f"xem-truoc-{official.file_name(coming.notation)}")


@router.post("/issue/{int:draft_id}", response={201: OutgoingDetailOut}, summary="Cấp số, ký số và phát hành")
def issue(request, draft_id: int, payload: IssueIn):
    draft = access.get_draft_for(request.user, draft_id)
    metadata = IssueMetadata(language=payload.language, page_count=payload.page_count, notes=payload.notes,
                             issued_amount=payload.issued_amount, reply_due=payload.reply_due)
    credential = None
    if payload.credential_id is not None:
        credential = SigningCredential.objects.filter(pk=payload.credential_id).first()
        if credential is None:
            raise ValidationError({"credential_id": _("Chứng thư số của cơ quan: không có chứng thư số này.")})
    positions = {key: Box(**box.model_dump()) for key, box in payload.positions.items()} if payload.positions else None
    return Status(201, services.issue(actor=request.user, draft=draft, sending=payload.sending,
                                      issued_on=payload.issued_on, metadata=metadata, pin=payload.pin,
                                      credential=credential, positions=positions))


class DraftAttachmentOut(Schema):
    id: int
    name: str
    file_sha256: str
    content_type: str
    size: int
    added_by_id: int
    added_at: datetime

    @staticmethod
    def resolve_file_sha256(obj):
        return obj.blob_id

    @staticmethod
    def resolve_content_type(obj):
        return obj.blob.content_type

    @staticmethod
    def resolve_size(obj):
        return obj.blob.size


@router.get("/drafts/{int:draft_id}/attachments", response=list[DraftAttachmentOut],
            summary="Phụ lục, văn bản kèm theo (tệp riêng) của dự thảo")
def draft_attachments(request, draft_id: int):
    return access.get_draft_for(request.user, draft_id).separate_attachments.all()


@router.post("/drafts/{int:draft_id}/attachments", response={201: list[DraftAttachmentOut]},
             summary="Đính kèm phụ lục, văn bản kèm theo (tệp riêng) vào dự thảo",
             description="PDF, Word or Excel (converted to PDF and signed by the agency at issuing), checked as "
                         "every upload is, all or none; only while the draft is being drafted or was returned.")
def attach_to_draft(request, draft_id: int, attachments: File[list[UploadedFile]]):
    draft = access.get_draft_for(request.user, draft_id)
    return Status(201, services.add_attachments(actor=request.user, draft=draft, uploads=attachments))


@router.get("/drafts/{int:draft_id}/attachments/{int:attachment_id}", summary="Tải tệp kèm theo của dự thảo",
            response={200: None})
def draft_attachment_file(request, draft_id: int, attachment_id: int):
    from qlvb.files.responses import blob_response

    draft = access.get_draft_for(request.user, draft_id)
    attachment = get_object_or_404(draft.separate_attachments, pk=attachment_id)
    return blob_response(attachment.blob, filename=attachment.name, inline=False, viewer=request.user, about=draft)


@router.delete("/drafts/{int:draft_id}/attachments/{int:attachment_id}", response={204: None},
               summary="Bỏ tệp kèm theo khỏi dự thảo (khi đang soạn hoặc bị trả lại)")
def detach_from_draft(request, draft_id: int, attachment_id: int):
    draft = access.get_draft_for(request.user, draft_id)
    services.remove_attachment(actor=request.user,
                               attachment=get_object_or_404(draft.separate_attachments, pk=attachment_id))
    return Status(204, None)


@router.get("/{int:document_id}", response=OutgoingDetailOut, summary="Một văn bản đi")
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
