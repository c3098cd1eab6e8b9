"""The file plan in the REST API (`/api/archive`): the same services and selectors as the pages."""

from datetime import date, datetime
from types import SimpleNamespace

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from qlvb import access
from qlvb.audit.models import AccessLog
from qlvb.audit.services import log_access
from qlvb.core.api_errors import storable_ids
from qlvb.organization.models import Person, Unit

from . import exports, selectors, services
from .models import FilePlan, PlanHeading, PlanItem

router = Router(tags=["Danh mục hồ sơ"])


class PlanOut(Schema):
    id: int
    year: int
    state: str
    numbering: str
    drafted_by_id: int
    approved_by_id: int | None
    approved_at: datetime | None


class HeadingOut(Schema):
    id: int
    parent_id: int | None
    number: str
    title: str
    abbreviation: str
    unit_id: int | None


class ItemOut(Schema):
    id: int
    heading_id: int
    code: str
    title: str
    retention: str
    responsible_id: int | None
    responsible: str
    notes: str

    @staticmethod
    def resolve_responsible(obj):
        return obj.responsible_label


class PlanDetailOut(PlanOut):
    headings: list[HeadingOut]
    items: list[ItemOut]


class PlanIn(Schema):
    year: int
    numbering: str = FilePlan.Numbering.CONTINUOUS
    copy_from_id: int | None = None


class HeadingIn(Schema):
    title: str
    abbreviation: str = ""
    parent_id: int | None = None
    unit_id: int | None = None


class ItemIn(Schema):
    heading_id: int
    title: str
    retention: str
    responsible_id: int | None = None
    responsible_name: str = ""
    notes: str = ""


def _detail(plan):
    rows = selectors.rows(plan)
    fields = {name: getattr(plan, name) for name in PlanOut.model_fields}
    return SimpleNamespace(**fields, headings=[h for h, _i in rows],
                           items=[item for _h, items in rows for item in items])


@router.get("/plans", response=list[PlanOut], summary="Danh mục hồ sơ được xem")
def list_plans(request):
    return list(selectors.plans_for(request.user))


@router.post("/plans", response={201: PlanOut}, summary="Lập danh mục hồ sơ (mới hoặc sao từ năm trước)")
def create_plan(request, payload: PlanIn):
    if payload.copy_from_id:
        source = access.get_plan_for(request.user, payload.copy_from_id)
        return Status(201, services.copy_plan(actor=request.user, source=source, year=payload.year))
    return Status(201, services.create_plan(actor=request.user, year=payload.year, numbering=payload.numbering))


@router.get("/plans/{int:plan_id}", response=PlanDetailOut, summary="Một danh mục hồ sơ, đề mục và hồ sơ")
def get_plan(request, plan_id: int):
    plan = access.get_plan_for(request.user, plan_id)
    log_access(person=request.user, action=AccessLog.Kind.API, obj=plan)
    return _detail(plan)


@router.post("/plans/{int:plan_id}/headings", response={201: HeadingOut}, summary="Thêm đề mục")
def add_heading(request, plan_id: int, payload: HeadingIn):
    plan = access.get_plan_for(request.user, plan_id)
    parent = get_object_or_404(PlanHeading, pk=payload.parent_id, plan=plan) if payload.parent_id else None
    unit = get_object_or_404(Unit, pk=payload.unit_id) if payload.unit_id else None
    return Status(201, services.add_heading(actor=request.user, plan=plan, title=payload.title,
                                            abbreviation=payload.abbreviation, parent=parent, unit=unit))


@router.post("/plans/{int:plan_id}/items", response={201: ItemOut}, summary="Thêm hồ sơ vào danh mục")
def add_item(request, plan_id: int, payload: ItemIn):
    plan = access.get_plan_for(request.user, plan_id)
    heading = get_object_or_404(PlanHeading, pk=payload.heading_id, plan=plan)
    responsible = get_object_or_404(Person, pk=payload.responsible_id) if payload.responsible_id else None
    return Status(201, services.add_item(actor=request.user, plan=plan, heading=heading, title=payload.title,
                                         retention=payload.retention, responsible=responsible,
                                         responsible_name=payload.responsible_name, notes=payload.notes))


@router.delete("/plans/{int:plan_id}/items/{int:item_id}", response={204: None}, summary="Xóa hồ sơ khỏi danh mục")
def delete_item(request, plan_id: int, item_id: int):
    plan = access.get_plan_for(request.user, plan_id)
    services.delete_item(actor=request.user, item=get_object_or_404(PlanItem, pk=item_id, plan=plan))
    return Status(204, None)


@router.post("/plans/{int:plan_id}/approve", response=PlanOut, summary="Phê duyệt, ban hành danh mục hồ sơ")
def approve(request, plan_id: int):
    return services.approve_plan(actor=request.user, plan=access.get_plan_for(request.user, plan_id))


@router.post("/plans/{int:plan_id}/import", response=PlanDetailOut, summary="Nhập danh mục từ tệp Excel")
def import_plan(request, plan_id: int, file: File[UploadedFile]):
    plan = services.import_xlsx(actor=request.user, plan=access.get_plan_for(request.user, plan_id), upload=file)
    return _detail(plan)


@router.get("/plans/{int:plan_id}/xlsx", summary="Tải danh mục hồ sơ (Excel)", response={200: None})
def export_plan(request, plan_id: int) -> HttpResponse:
    from qlvb.documents.book_views import attachment

    from .views import XLSX

    plan = access.get_plan_for(request.user, plan_id)
    name = exports.file_name(plan)
    log_access(person=request.user, action=AccessLog.Kind.EXPORT, obj=plan, file_name=name)
    return attachment(exports.xlsx(plan), XLSX, name)



# ---- nộp lưu (submission to the agency archive) ----------------------------------------------------

class SubmissionOut(Schema):
    id: int
    record_id: int
    state: str
    submitted_by_id: int
    submitted_at: datetime
    decided_by_id: int | None
    decided_at: datetime | None
    reason: str
    handover_id: int | None


class HandoverOut(Schema):
    id: int
    number: int
    year: int
    handed_by_id: int
    received_by_id: int
    received_at: datetime
    record_count: int
    file_count: int
    record_ids: list[int]

    @staticmethod
    def resolve_record_ids(obj):
        return list(obj.submissions.values_list("record_id", flat=True))


class AcceptIn(Schema):
    submission_ids: list[int]


class ReturnIn(Schema):
    reason: str


class KeepIn(Schema):
    until: date
    reason: str


class KeepOut(Schema):
    id: int
    record_id: int
    until: date
    reason: str
    state: str
    requested_by_id: int
    decided_by_id: int | None


class DecideIn(Schema):
    approve: bool


def _archivist_only(request):
    if not access.can(request.user, access.Action.RECEIVE_RECORDS):
        raise Http404


@router.post("/records/{int:record_id}/submit", response={201: SubmissionOut}, summary="Nộp lưu hồ sơ đã đóng")
def submit_record(request, record_id: int):
    from . import submission

    record = access.get_record_for(request.user, record_id)
    return Status(201, submission.submit(actor=request.user, record=record))


@router.post("/records/{int:record_id}/keep", response={201: KeepOut},
             summary="Đề nghị giữ lại hồ sơ quá hạn nộp lưu (tối đa 2 năm)")
def request_keep(request, record_id: int, payload: KeepIn):
    from . import submission

    record = access.get_record_for(request.user, record_id)
    return Status(201, submission.request_keep(actor=request.user, record=record, until=payload.until,
                                               reason=payload.reason))


@router.post("/keep/{int:keep_id}/decide", response=KeepOut, summary="Lãnh đạo đồng ý / không đồng ý giữ lại hồ sơ")
def decide_keep(request, keep_id: int, payload: DecideIn):
    from . import submission
    from .models import KeepRequest

    keep = get_object_or_404(KeepRequest.objects.select_related("record"), pk=keep_id)
    if not access.can(request.user, access.Action.APPROVE, keep):
        raise Http404
    return submission.decide_keep(actor=request.user, keep=keep, approve=payload.approve)


@router.get("/submissions", response=list[SubmissionOut], summary="Hồ sơ nộp lưu chờ tiếp nhận (Lưu trữ)")
def list_submissions(request):
    from .models import Submission

    _archivist_only(request)
    return list(Submission.objects.filter(state=Submission.State.SUBMITTED))


@router.post("/submissions/accept", response={201: HandoverOut}, summary="Tiếp nhận hồ sơ, lập biên bản giao nhận")
def accept_submissions(request, payload: AcceptIn):
    from . import submission
    from .models import Submission

    _archivist_only(request)
    subs = list(Submission.objects.filter(pk__in=storable_ids(payload.submission_ids)))
    return Status(201, submission.accept(actor=request.user, submissions=subs))


@router.post("/submissions/{int:submission_id}/return", response=SubmissionOut, summary="Trả lại hồ sơ nộp lưu")
def return_submission(request, submission_id: int, payload: ReturnIn):
    from . import submission

    sub = access.get_submission_for(request.user, submission_id)
    return submission.return_submission(actor=request.user, submission=sub, reason=payload.reason)


@router.get("/handovers/{int:handover_id}", response=HandoverOut, summary="Biên bản giao nhận hồ sơ")
def get_handover(request, handover_id: int):
    from .models import Handover

    _archivist_only(request)
    return get_object_or_404(Handover, pk=handover_id)


# ---- disposal of expired records, the records' figures (issue 13 items 6, 7) -----------------------

class ExpiredOut(Schema):
    id: int
    code: str
    title: str
    retention: str
    start_date: date | None
    end_date: date | None
    last_year: int | None
    unit_id: int
    owner_id: int

    @staticmethod
    def resolve_last_year(obj):
        from .disposal import last_year

        return last_year(obj)


class DisposalItemIn(Schema):
    record_id: int
    reason: str


class DisposalIn(Schema):
    items: list[DisposalItemIn]
    note: str = ""


class DisposalItemOut(Schema):
    record_id: int
    code: str
    title: str
    retention: str
    reason: str
    documents_destroyed: int

    @staticmethod
    def resolve_code(obj):
        return obj.record.code

    @staticmethod
    def resolve_title(obj):
        return obj.record.title

    @staticmethod
    def resolve_retention(obj):
        return obj.record.retention

    @staticmethod
    def resolve_documents_destroyed(obj):
        return len(obj.contents)


class DisposalOut(Schema):
    id: int
    number: int
    year: int
    state: str
    note: str
    proposed_by_id: int
    proposed_at: datetime
    decision_number: str
    decision_date: date | None
    council_members: list[str]
    decided_by_id: int | None
    decided_at: datetime | None
    refusal_reason: str
    disposed_by_id: int | None
    disposed_at: datetime | None
    file_count: int
    report_sha256: str | None
    items: list[DisposalItemOut]

    @staticmethod
    def resolve_report_sha256(obj):
        return obj.report_id

    @staticmethod
    def resolve_items(obj):
        return list(obj.items.select_related("record").order_by("id"))


class DisposalApproveIn(Schema):
    decision_number: str
    decision_date: date
    council: list[str]


class DisposalRefuseIn(Schema):
    refusal_reason: str


class FigureLine(Schema):
    name: str
    id: int | None = None
    opened: int
    closed: int
    on_time: int
    late: int

    @staticmethod
    def resolve_id(obj):
        return obj.pk


class FiguresOut(Schema):
    year: int
    scope: str
    units: list[FigureLine]
    people: list[FigureLine]
    total: FigureLine


@router.get("/disposals/expired", response=list[ExpiredOut],
            summary="Hồ sơ lưu trữ hết thời hạn bảo quản (không gồm hồ sơ vĩnh viễn) — Lưu trữ")
def list_expired(request):
    from django.utils import timezone

    from . import disposal

    if not access.can(request.user, access.Action.DISPOSE_RECORDS):
        raise Http404
    return list(disposal.expired(access.visible_holdings(request.user), timezone.localdate()).order_by("code", "pk"))


@router.get("/disposals", response=list[DisposalOut], summary="Đề nghị hủy tài liệu (Lưu trữ, lãnh đạo cơ quan)")
def list_disposals(request):
    return list(access.visible_disposals(request.user)[:100])


@router.post("/disposals", response={201: DisposalOut}, summary="Đề nghị hủy hồ sơ hết thời hạn bảo quản, kèm lý do")
def propose_disposal(request, payload: DisposalIn):
    from . import disposal

    ids = [item.record_id for item in payload.items]
    records = access.visible_holdings(request.user).in_bulk(storable_ids(ids))
    if len(records) != len(set(ids)):
        raise Http404
    items = [(records[item.record_id], item.reason) for item in payload.items]
    return Status(201, disposal.propose(actor=request.user, items=items, note=payload.note))


@router.get("/disposals/{int:disposal_id}", response=DisposalOut, summary="Một đề nghị hủy tài liệu")
def get_disposal(request, disposal_id: int):
    found = access.get_disposal_for(request.user, disposal_id)
    log_access(person=request.user, action=AccessLog.Kind.API, obj=found)
    return found


@router.post("/disposals/{int:disposal_id}/approve", response=DisposalOut,
             summary="Lãnh đạo cơ quan phê duyệt hủy (số, ngày quyết định, thành viên hội đồng)")
def approve_disposal(request, disposal_id: int, payload: DisposalApproveIn):
    from . import disposal

    return disposal.approve(actor=request.user, disposal=access.get_disposal_for(request.user, disposal_id),
                            decision_number=payload.decision_number, decision_date=payload.decision_date,
                            council="\n".join(payload.council))


@router.post("/disposals/{int:disposal_id}/refuse", response=DisposalOut, summary="Không phê duyệt đề nghị hủy")
def refuse_disposal(request, disposal_id: int, payload: DisposalRefuseIn):
    from . import disposal

    return disposal.refuse(actor=request.user, disposal=access.get_disposal_for(request.user, disposal_id),
                           reason=payload.refusal_reason)


@router.post("/disposals/{int:disposal_id}/destroy", response=DisposalOut,
             summary="Thực hiện hủy tài liệu đã được phê duyệt, lập biên bản hủy")
def destroy_disposal(request, disposal_id: int):
    from . import disposal

    return disposal.destroy(actor=request.user, disposal=access.get_disposal_for(request.user, disposal_id))


@router.get("/disposals/{int:disposal_id}/report", summary="Biên bản hủy tài liệu (PDF)", response={200: None})
def disposal_report(request, disposal_id: int):
    from qlvb.files.responses import blob_response

    from .disposal_views import report_name

    found = access.get_disposal_for(request.user, disposal_id)
    if not found.report_id:
        raise Http404
    return blob_response(found.report, filename=report_name(found), viewer=request.user, about=found)


@router.get("/figures", response=FiguresOut,
            summary="Thống kê hồ sơ theo đơn vị, cán bộ: mở, đóng, nộp lưu đúng hạn, trễ hạn (trong phạm vi được xem)")
def record_figures(request, year: int | None = None):
    from . import stats

    if not access.can(request.user, access.Action.HANDLE_DOCUMENTS):
        raise Http404
    return stats.figures(request.user, stats.year_or_refuse(year))
