"""The archive in the REST API (`/api/archive/archived…`, `/api/archive/access-requests…`): search over
archived records, a record with its documents, its PDF and XML exports, access requests and their
decisions, the package for the historical archive. The same services and selectors as the pages."""

from datetime import date, datetime
from types import SimpleNamespace

from django.http import Http404
from ninja import Field as Described
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from qlvb import access
from qlvb.access import Action
from qlvb.audit.models import AccessLog
from qlvb.audit.services import log_access
from qlvb.core.api_errors import storable_ids
from qlvb.core.pagination import Pages
from qlvb.documents.book_views import attachment

from . import access_requests, record_export, search

router = Router(tags=["Lưu trữ cơ quan"])


class ArchivedOut(Schema):
    id: int
    file_code: str = Described(description="Mã hồ sơ: mã định danh cơ quan.năm.số và ký hiệu (FileCode).")
    code: str
    year: int | None
    title: str
    retention: str
    rights: str
    owner: str
    unit_id: int
    language: str
    start_date: date | None
    end_date: date | None
    doc_total: int
    page_total: int
    notes: str

    @staticmethod
    def resolve_owner(obj):
        return obj.owner.full_name

    @staticmethod
    def resolve_file_code(obj):
        return search.file_code(obj)


class FileOut(Schema):
    name: str
    sha256: str
    content_type: str
    url: str


class DocumentOut(Schema):
    ordinal: int
    kind: str
    notation: str
    day: date | None
    title: str
    author: str
    pages: int | None
    page_range: str
    files: list[FileOut]


class ArchivedDetailOut(ArchivedOut):
    readable: bool = Described(description="Người dùng được xem văn bản trong hồ sơ (đơn vị lập hồ sơ, lưu trữ, "
                                           "hoặc đề nghị khai thác đã được đồng ý và còn hạn).")
    hidden: int = Described(description="Số văn bản mật người dùng không được xem.")
    documents: list[DocumentOut]


class AccessRequestIn(Schema):
    reason: str = Described(title="Mục đích khai thác")


class DecideIn(Schema):
    approve: bool
    until: date | None = Described(None, title="Được khai thác đến ngày",
                                   description="Mặc định 30 ngày từ hôm nay, tối đa 365 ngày.")
    note: str = Described("", title="Ý kiến", description="Bắt buộc khi không đồng ý.")


class AccessRequestOut(Schema):
    id: int
    record_id: int
    requested_by_id: int
    requested_at: datetime
    reason: str
    state: str
    decided_by_id: int | None
    decided_at: datetime | None
    until: date | None
    decision_note: str


class PackageIn(Schema):
    record_ids: list[int] = Described(..., max_length=record_export.MAX_BATCH, title="Hồ sơ")


def _document(record, row) -> dict:
    from django.urls import reverse

    return {"ordinal": row.ordinal, "kind": row.entry.kind, "notation": row.notation, "day": row.day,
            "title": row.title, "author": row.author, "pages": row.pages, "page_range": row.page_range,
            "files": [{"name": name, "sha256": blob.sha256, "content_type": blob.content_type,
                       "url": reverse("archive:archived_file", args=[record.pk, row.entry.pk, n])}
                      for n, (name, blob) in enumerate(row.files, start=1)]}


@router.get("/archived", response=list[ArchivedOut], summary="Tìm hồ sơ lưu trữ",
            description="Hồ sơ đã nộp lưu người dùng được tìm: theo tiêu đề, số ký hiệu, năm, đơn vị, thời hạn "
                        "bảo quản, thời gian; `content` tìm trong nội dung văn bản của hồ sơ được xem.")
@paginate(Pages)
def list_archived(request, q: str = Query("", max_length=200), content: str = Query("", max_length=200),
                  year: int | None = Query(None, ge=1000, le=9999), unit: int | None = Query(None, ge=1),
                  retention: str = Query("", max_length=10), date_from: date | None = None,
                  date_to: date | None = None):
    if not request.user.has_role(*access.ARCHIVE_READERS):
        raise Http404
    criteria = search.parse({"q": q, "content": content, "year": year, "unit": unit, "retention": retention,
                             "date_from": date_from.isoformat() if date_from else "",
                             "date_to": date_to.isoformat() if date_to else ""})
    return search.results(request.user, criteria)


@router.get("/archived/{int:record_id}", response=ArchivedDetailOut, summary="Một hồ sơ lưu trữ")
def get_archived(request, record_id: int):
    record = access.get_archived_for(request.user, record_id)
    readable = access.can(request.user, Action.READ_ARCHIVED, record)
    log_access(person=request.user, action=AccessLog.Kind.API, obj=record)
    rows, hidden = search.rows(request.user, record) if readable else ([], 0)
    fields = {name: getattr(record, name) for name in ArchivedOut.model_fields}
    return SimpleNamespace(**fields, readable=readable, hidden=hidden,
                           documents=[_document(record, row) for row in rows])


@router.get("/archived/{int:record_id}/pdf", response={200: None}, summary="Xuất hồ sơ ra PDF",
            description="Một tệp: trang mục lục văn bản trong hồ sơ, rồi từng văn bản theo thứ tự thời gian.")
def export_pdf(request, record_id: int):
    record = access.get_readable_archived_for(request.user, record_id)
    name = record_export.file_name(record, "pdf")
    content = record_export.record_pdf(request.user, record)
    log_access(person=request.user, action=AccessLog.Kind.EXPORT, obj=record, file_name=name)
    return attachment(content, "application/pdf", name)


@router.get("/archived/{int:record_id}/xml", response={200: None}, summary="Xuất thông tin hồ sơ ra XML",
            description="Theo lược đồ qlvb/archive/schema/record.xsd (trường thông tin Phụ lục VI Nghị định 30).")
def export_xml(request, record_id: int):
    record = access.get_readable_archived_for(request.user, record_id)
    name = record_export.file_name(record, "xml")
    content = record_export.record_xml(request.user, record)
    log_access(person=request.user, action=AccessLog.Kind.EXPORT, obj=record, file_name=name)
    return attachment(content, "application/xml", name)


@router.post("/archived/{int:record_id}/access-requests", response={201: AccessRequestOut},
             summary="Đề nghị khai thác hồ sơ lưu trữ của đơn vị khác")
def request_access(request, record_id: int, payload: AccessRequestIn):
    record = access.get_archived_for(request.user, record_id)
    return Status(201, access_requests.request_access(actor=request.user, record=record, reason=payload.reason))


@router.get("/access-requests", response=list[AccessRequestOut], summary="Đề nghị khai thác: của tôi và chờ tôi duyệt")
@paginate(Pages)
def list_access_requests(request):
    return access.visible_access_requests(request.user).order_by("-requested_at", "-id")


@router.post("/access-requests/{int:request_id}/decide", response=AccessRequestOut,
             summary="Đồng ý (có thời hạn) hoặc không đồng ý cho khai thác")
def decide(request, request_id: int, payload: DecideIn):
    chosen = access.visible_access_requests(request.user).select_related("record").filter(pk=request_id).first()
    if chosen is None or not access.can(request.user, Action.APPROVE, chosen):
        raise Http404
    return access_requests.decide_access(actor=request.user, request=chosen, approve=payload.approve,
                                         until=payload.until, note=payload.note)


@router.post("/archived/historical-export", response={200: None},
             summary="Xuất gói nộp lưu vào lưu trữ lịch sử (lưu trữ cơ quan)",
             description="Tệp zip: GoiNopLuu.xml và, mỗi hồ sơ vĩnh viễn đã nộp lưu, HoSo.xml, MucLuc.pdf (PDF/A) "
                         "và các tệp văn bản (PDF/A khi tệp đã là PDF/A hoặc có bản PDF/A do nhận dạng chữ).")
def historical_export(request, payload: PackageIn):
    from .archive_views import zip_response

    if not access.can(request.user, Action.RECEIVE_RECORDS):
        raise Http404
    records = list(access.visible_archived_records(request.user).filter(pk__in=storable_ids(payload.record_ids))
                   .select_related("owner", "unit"))
    spool, name = record_export.historical_package(actor=request.user, records=records)
    return zip_response(spool, name)
