from datetime import date, datetime
from typing import Literal

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field as Described
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from qlvb import access
from qlvb.access import Action
from qlvb.audit import api as access_log
from qlvb.audit.models import AccessLog
from qlvb.audit.services import log_access
from qlvb.core.pagination import Pages
from qlvb.documents.models import DocumentType
from qlvb.organization.models import Delegation, Field, Person

from . import selectors, services

router = Router(tags=["Hồ sơ công việc, dự thảo"])


class RecordOut(Schema):
    id: int
    title: str
    owner_id: int
    unit_id: int
    field_id: int | None
    deadline: date | None
    status: str
    created_at: datetime
    code: str = Described(description="Số và ký hiệu hồ sơ (FileNotation), ví dụ 01.TCCB.")
    file_code: str = Described(description="Mã hồ sơ: mã định danh cơ quan.năm.số và ký hiệu (FileCode).")
    year: int | None
    retention: str = Described(description="Thời hạn bảo quản: “Vĩnh viễn” hoặc “N năm”; rỗng khi chưa định.")
    rights: str
    language: str
    start_date: date | None
    end_date: date | None
    doc_total: int
    page_total: int
    notes: str
    plan_item_id: int | None
    closed_at: datetime | None
    index_sha256: str


class RecordIn(Schema):
    title: str = ""
    incoming_id: int | None = None
    field_id: int | None = None
    deadline: date | None = None
    notes: str = ""
    plan_item_id: int | None = Described(None, description="Lập theo hồ sơ trong danh mục đã ban hành.")
    code: str = ""
    retention: str = ""
    start_date: date | None = None


class RecordUpdateIn(Schema):
    title: str | None = None
    code: str | None = None
    retention: str | None = None
    rights: Literal["public", "restricted", "confidential"] | None = None
    language: str | None = None
    start_date: date | None = None
    notes: str | None = None


class FileIn(Schema):
    incoming_id: int | None = None
    outgoing_id: int | None = None
    draft_id: int | None = Described(None, description="Lưu phiên bản mới nhất của dự thảo làm bản thảo.")


class CloseIn(Schema):
    note: str = ""
    title: str | None = None
    code: str | None = None
    retention: str | None = None


class IndexRowOut(Schema):
    entry_id: int
    ordinal: int
    kind: str
    notation: str
    day: date | None
    title: str
    author: str
    pages: int | None
    page_range: str
    notes: str
    checksums: list[dict]


class DraftOut(Schema):
    id: int
    record_id: int
    document_type_id: int
    summary: str
    signer_id: int
    signing_form: str
    collective: str
    delegation_id: int | None
    urgency: str
    confidentiality: str
    state: str
    holder_id: int | None
    version: int | None
    body: str
    corrects_id: int | None
    correction: str
    copy_of_outgoing_id: int | None
    copy_of_incoming_id: int | None
    signed: bool = Described(description="Đã ký số khi duyệt ký (bản PDF: GET …/signed-pdf).")
    signed_sha256: str | None = Described(description="SHA-256 của bản PDF đã ký số.")
    signature_waiting: bool = Described(description="Đang chờ người ký xác nhận trên điện thoại (ký số từ xa).")

    @staticmethod
    def resolve_signed(obj):
        return obj.signed_blob_id is not None

    @staticmethod
    def resolve_signed_sha256(obj):
        return obj.signed_blob_id

    @staticmethod
    def resolve_signature_waiting(obj):
        from .signature import waiting

        return obj.signature_request_id is not None and waiting(obj) is not None

    @staticmethod
    def resolve_version(obj):
        return obj.latest.number if obj.latest else None

    @staticmethod
    def resolve_body(obj):
        return obj.latest.body if obj.latest else ""


class DraftIn(Schema):
    document_type_id: int
    summary: str
    signer_id: int
    signing_form: str = ""
    collective: str = ""  # TM.: the collective signed for
    delegation_id: int | None = None  # TUQ.: the written delegation signed under
    urgency: str = "normal"
    confidentiality: str = "normal"
    body: str = ""


class CopyIn(Schema):
    kind: Literal["SY", "TrS", "SL"]  # sao y, trích sao, sao lục
    outgoing_id: int | None = None
    incoming_id: int | None = None


class CommentIn(Schema):
    comment: str = ""
    pin: str = Described("", description="Chỉ khi ký (sign): mã PIN của chứng thư số (tệp PKCS#12 hoặc USB token); "
                                     "không lưu, không ghi nhật ký. Chứng thư ký từ xa không cần PIN: dự thảo trả "
                                     "về signature_waiting = true cho đến khi người ký xác nhận trên điện thoại.")
    credential_id: int | None = Described(None, description="Chỉ khi ký: chứng thư số của chính người ký dùng để ký "
                                                        "(mặc định: chứng thư đang dùng của họ).")


@router.get("/", response=list[RecordOut], summary="Hồ sơ công việc được xem")
@paginate(Pages)
def list_records(request, status: Literal["open", "closed", "archived", "all"] = "open", q: str = ""):
    access.require(request.user, Action.HANDLE_DOCUMENTS)
    return selectors.my_records(request.user, status=status, q=q[:200])


@router.post("/", response={201: RecordOut}, summary="Lập hồ sơ công việc")
def open_record(request, payload: RecordIn):
    incoming = access.get_incoming_for(request.user, payload.incoming_id) if payload.incoming_id else None
    field = get_object_or_404(Field, pk=payload.field_id) if payload.field_id else None
    plan_item = None
    if payload.plan_item_id:
        from qlvb.archive.models import PlanItem

        plan_item = get_object_or_404(PlanItem.objects.select_related("plan"), pk=payload.plan_item_id)
        if not access.can(request.user, Action.VIEW, plan_item.plan):
            raise Http404
    record = services.open_record(actor=request.user, title=payload.title, incoming=incoming, field=field,
                                  deadline=payload.deadline, notes=payload.notes, plan_item=plan_item,
                                  code=payload.code, retention=payload.retention, start_date=payload.start_date)
    return Status(201, record)


@router.patch("/{int:record_id}", response=RecordOut, summary="Sửa thông tin hồ sơ (khi còn mở)")
def update_record(request, record_id: int, payload: RecordUpdateIn):
    record = access.get_record_for(request.user, record_id)
    return services.update_record(actor=request.user, record=record, **payload.dict(exclude_none=True))


@router.get("/{int:record_id}/index", response=list[IndexRowOut],
            summary="Mục lục văn bản trong hồ sơ (những văn bản người dùng được xem)")
def record_index(request, record_id: int):
    rows, _hidden = selectors.index_of(request.user, access.get_record_for(request.user, record_id))
    return [{"entry_id": r.entry.pk, "ordinal": r.ordinal, "kind": r.entry.kind, "notation": r.notation,
             "day": r.day, "title": r.title, "author": r.author, "pages": r.pages, "page_range": r.page_range,
             "notes": r.notes, "checksums": r.entry.checksums} for r in rows]


@router.post("/{int:record_id}/documents", response={201: IndexRowOut}, summary="Đưa văn bản vào hồ sơ")
def file_document(request, record_id: int, payload: FileIn):
    from qlvb.incoming.models import IncomingDocument
    from qlvb.outgoing.models import OutgoingDocument

    record = access.get_record_for(request.user, record_id)
    version = None
    if payload.draft_id:
        version = get_object_or_404(selectors.drafts_of(request.user, record), pk=payload.draft_id).latest
    entry = services.file_document(
        actor=request.user, record=record, version=version,
        incoming=get_object_or_404(IncomingDocument, pk=payload.incoming_id) if payload.incoming_id else None,
        outgoing=get_object_or_404(OutgoingDocument, pk=payload.outgoing_id) if payload.outgoing_id else None)
    rows = [r for r in selectors.index_of(request.user, record)[0] if r.entry.pk == entry.pk]
    row = rows[0]
    return Status(201, {"entry_id": entry.pk, "ordinal": row.ordinal, "kind": entry.kind, "notation": row.notation,
                        "day": row.day, "title": row.title, "author": row.author, "pages": row.pages,
                        "page_range": row.page_range, "notes": row.notes, "checksums": entry.checksums})


@router.delete("/{int:record_id}/documents/{int:entry_id}", response={204: None}, summary="Bỏ văn bản khỏi hồ sơ")
def unfile_document(request, record_id: int, entry_id: int):
    from .models import RecordDocument

    record = access.get_record_for(request.user, record_id)
    services.unfile_document(actor=request.user, record=record,
                             entry=get_object_or_404(RecordDocument, pk=entry_id, record=record))
    return Status(204, None)


class CheckOut(Schema):
    key: str
    label: str
    ok: bool
    blocking: bool = Described(description="Chưa đạt thì không đóng được hồ sơ.")
    detail: str
    items: list[str]


@router.get("/{int:record_id}/closing-checklist", response=list[CheckOut],
            summary="Danh sách kiểm tra trước khi đóng hồ sơ")
def closing_checklist(request, record_id: int):
    from . import closing

    record = access.get_record_for(request.user, record_id)
    access.require(request.user, Action.EDIT, record)
    return [{"key": c.key, "label": c.label, "ok": c.ok, "blocking": c.blocking, "detail": c.detail,
             "items": c.items} for c in closing.checklist(record, viewer=request.user)]


@router.post("/{int:record_id}/close", response=RecordOut, summary="Đóng hồ sơ (lập mục lục, tính tổng, khóa)")
def close_record(request, record_id: int, payload: CloseIn):
    record = access.get_record_for(request.user, record_id)
    return services.close_record(actor=request.user, record=record, note=payload.note, title=payload.title,
                                 code=payload.code, retention=payload.retention)


@router.get("/{int:record_id}", response=RecordOut, summary="Một hồ sơ")
def get_record(request, record_id: int):
    record = access.get_record_for(request.user, record_id)
    log_access(person=request.user, action=AccessLog.Kind.API, obj=record)
    return record


@router.get("/{int:record_id}/access-log", response=list[access_log.AccessEntryOut],
            summary="Lịch sử truy cập hồ sơ")
def get_record_access_log(request, record_id: int):
    """Who opened the record, newest first (Decree 30 PL VI I.III.5.a, 6.l)."""
    return access_log.history(request.user, access.get_record_for(request.user, record_id))


@router.get("/{int:record_id}/drafts", response=list[DraftOut], summary="Các dự thảo của hồ sơ mà người dùng được xem")
def list_drafts(request, record_id: int):
    return selectors.drafts_of(request.user, access.get_record_for(request.user, record_id))


@router.post("/{int:record_id}/drafts", response={201: DraftOut}, summary="Soạn dự thảo (phiên bản mới)")
def new_draft(request, record_id: int, payload: DraftIn, draft_id: int | None = None):
    record = access.get_record_for(request.user, record_id)
    draft = get_object_or_404(selectors.drafts_of(request.user, record), pk=draft_id) if draft_id else None
    data = {"document_type": get_object_or_404(DocumentType, pk=payload.document_type_id),
            "summary": payload.summary, "signer": get_object_or_404(Person, pk=payload.signer_id),
            "signing_form": payload.signing_form, "collective": payload.collective,
            "delegation": get_object_or_404(Delegation, pk=payload.delegation_id) if payload.delegation_id else None,
            "urgency": payload.urgency,
            "confidentiality": payload.confidentiality}
    return Status(201, services.save_draft(actor=request.user, record=record, draft=draft, body=payload.body,
                                           data=data))


@router.post("/copies", response={201: DraftOut}, summary="Sao văn bản (sao y, trích sao, sao lục)")
def start_copy(request, payload: CopyIn):
    from qlvb.outgoing import selectors as issued

    access.require(request.user, Action.HANDLE_DOCUMENTS)
    outgoing = issued.get_for(request.user, payload.outgoing_id) if payload.outgoing_id else None
    incoming = access.get_incoming_for(request.user, payload.incoming_id) if payload.incoming_id else None
    if payload.outgoing_id and outgoing is None:
        raise Http404
    return Status(201, services.start_copy(actor=request.user, kind=payload.kind, outgoing=outgoing,
                                           incoming=incoming))


@router.get("/drafts/{int:draft_id}", response=DraftOut, summary="Một dự thảo")
def get_draft(request, draft_id: int):
    draft = access.get_draft_for(request.user, draft_id)
    log_access(person=request.user, action=AccessLog.Kind.API, obj=draft)
    return draft


@router.get("/drafts/{int:draft_id}/access-log", response=list[access_log.AccessEntryOut],
            summary="Lịch sử truy cập dự thảo")
def get_draft_access_log(request, draft_id: int):
    """Who opened the draft or downloaded its versions, newest first (Decree 30 PL VI I.III.5.a, 6.l)."""
    return access_log.history(request.user, access.get_draft_for(request.user, draft_id))


@router.get("/drafts/{int:draft_id}/signed-pdf", summary="Bản PDF người ký đã ký số khi duyệt ký",
            description="Tệp PDF (application/pdf); 404 khi dự thảo chưa mang chữ ký số.", response={200: None})
def signed_pdf(request, draft_id: int):
    """404 while the draft carries no digital signature (not signed yet, or approved without one)."""
    from qlvb.files.responses import blob_response

    draft = access.get_draft_for(request.user, draft_id)
    if not draft.signed_blob_id:
        raise Http404
    return blob_response(draft.signed_blob, filename=f"du-thao-{draft.pk}-da-ky.pdf", inline=False,
                         viewer=request.user, about=draft)


@router.post("/drafts/{int:draft_id}/{action}", response=DraftOut, summary="Trình, duyệt, ký hoặc trả lại")
def decide(request, draft_id: int, action: str, payload: CommentIn):
    """`action`: submit, approve, sign ("Duyệt ký": with `pin`, the signer's digital signature is put on the
    rendered PDF; a wrong PIN is a 400 naming `pin`, rate-limited), return."""
    draft = access.get_draft_for(request.user, draft_id)
    if action not in services.DECISIONS:
        raise Http404
    if action == "sign":
        return services.sign(actor=request.user, draft=draft, comment=payload.comment, pin=payload.pin or None,
                             credential=payload.credential_id)
    return services.DECISIONS[action](actor=request.user, draft=draft, comment=payload.comment)
