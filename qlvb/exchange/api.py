"""API of the exchange (/api/exchange): the electronic inbox, import of an .edxml file, register or refuse
a received package, export the package of an issued document for an external recipient, and each external
recipient's status history. Same services and selectors as the pages."""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from qlvb import access
from qlvb.access import Action
from qlvb.core.pagination import Pages
from qlvb.documents.models import DocumentType
from qlvb.incoming import duplicates
from qlvb.incoming.duplicates import DuplicateSuspected
from qlvb.outgoing import selectors as outgoing_selectors

from . import preflight, selectors, services

router = Router(tags=["Liên thông văn bản"])


class StatusOut(Schema):
    id: int
    direction: str
    code: str
    code_name: str
    description: str
    organ_id: str
    department: str
    staff: str
    timestamp: datetime
    file_url: str | None

    @staticmethod
    def resolve_file_url(obj):
        return f"/exchange/statuses/{obj.pk}/file/" if obj.blob_id else None


class PackageOut(Schema):
    id: int
    direction: str
    state: str
    document_id: str
    sender_organ_id: str
    receiver_organ_id: str
    sender_name: str
    code: str
    subject: str
    promulgation_date: date
    sha256: str
    incoming_id: int | None
    refusal_reason: str
    business_type: int  # 0 new, 1 revoke, 2 update, 3 replace
    business_reason: str
    original_id: int | None
    revoked_at: datetime | None
    signature_verdict: str
    signature: dict
    delivery: str
    created_at: datetime
    file_url: str
    statuses: list[StatusOut]

    @staticmethod
    def resolve_sha256(obj):
        return obj.blob_id

    @staticmethod
    def resolve_file_url(obj):
        return f"/exchange/packages/{obj.pk}/file/"

    @staticmethod
    def resolve_statuses(obj):
        return list(obj.statuses.all())


class ReceivedOut(PackageOut):
    header: dict


class ImportOut(Schema):
    created: bool
    package: ReceivedOut
    status: StatusOut | None


class RegisterIn(Schema):
    document_type_id: int | None = None
    confirm_duplicate: bool = False


class RefuseIn(Schema):
    reason: str


class SendIn(Schema):
    pin: str | None = None


class RecipientOut(Schema):
    id: int
    agency_id: int
    agency_name: str
    organ_id: str
    status: str
    packages: list[PackageOut]

    @staticmethod
    def resolve_agency_name(obj):
        return obj.agency.name

    @staticmethod
    def resolve_organ_id(obj):
        return obj.agency.identifier

    @staticmethod
    def resolve_packages(obj):
        return list(obj.packages.all())


class CheckOut(Schema):
    key: str
    label: str
    ok: bool
    blocking: bool
    level: str
    problem: str


@router.get("/recipients/{recipient_id}/preflight", response=list[CheckOut],
            summary="Kiểm tra trước khi gửi gói tin cho một nơi nhận bên ngoài",
            description="Each check with its Vietnamese sentence when it fails; `direct` true checks the peer too. "
                        "Export and send refuse with the sentences of the failed blocking checks (422).")
def check(request, recipient_id: int, direct: bool | None = None):
    access.require(request.user, Action.ISSUE)
    recipient = selectors.get_recipient_for(request.user, recipient_id)
    return [{**c.__dict__, "level": c.level} for c in preflight.checks(recipient, direct=direct)]


class ChangeIn(Schema):
    kind: int  # 1 revoke (thu hồi), 2 update (cập nhật), 3 replace (thay thế)
    reason: str
    pin: str | None = None


@router.post("/outgoing/{document_id}/change", response={201: list[PackageOut]},
             summary="Thu hồi, cập nhật hoặc thay thế văn bản đã gửi liên thông (gửi cho mọi nơi nhận đã nhận)")
def change(request, document_id: int, payload: ChangeIn):
    document = outgoing_selectors.get_for(request.user, document_id)
    return Status(201, services.send_change(actor=request.user, document=document, kind=payload.kind,
                                            reason=payload.reason, pin=payload.pin or None))


@router.get("/inbox", response=list[PackageOut], summary="Văn bản điện tử đến")
@paginate(Pages)
def inbox(request, state: str = ""):
    access.require(request.user, Action.REGISTER_INCOMING)
    return selectors.inbox(request.user, state=state).prefetch_related("statuses", "outbox")


@router.post("/inbox", response={201: ImportOut, 200: ImportOut}, summary="Nhận tệp gói tin .edxml",
             description="A document package lands in the inbox (201; 200 when it was received before, "
                         "nothing added); a status notice joins its outgoing recipient's history.")
def import_file(request, file: File[UploadedFile]):
    result = services.import_file(actor=request.user, upload=file)
    return Status(201 if result.created else 200,
                  {"created": result.created, "package": result.package, "status": result.status})


@router.get("/inbox/{package_id}", response=ReceivedOut, summary="Một gói tin đã nhận")
def received(request, package_id: int):
    return selectors.get_received_for(request.user, package_id)


@router.post("/inbox/{package_id}/register", response={201: ReceivedOut, 409: dict},
             summary="Vào sổ văn bản đến từ gói tin (gửi lại trạng thái 03)")
def register(request, package_id: int, payload: RegisterIn):
    package = selectors.get_received_for(request.user, package_id)
    document_type = get_object_or_404(DocumentType, pk=payload.document_type_id) if payload.document_type_id else None
    try:
        services.register_received(actor=request.user, package=package, document_type=document_type,
                                   confirm_duplicate=payload.confirm_duplicate)
    except DuplicateSuspected as exc:
        return Status(409, duplicates.as_json(exc.duplicates))
    return Status(201, selectors.get_received_for(request.user, package_id))


@router.post("/inbox/{package_id}/refuse", response=ReceivedOut,
             summary="Từ chối tiếp nhận gói tin (trạng thái 02 gửi lại nơi gửi)")
def refuse(request, package_id: int, payload: RefuseIn):
    package = selectors.get_received_for(request.user, package_id)
    services.refuse_received(actor=request.user, package=package, reason=payload.reason)
    return selectors.get_received_for(request.user, package_id)


@router.get("/outgoing/{document_id}/recipients", response=list[RecipientOut],
            summary="Nơi nhận bên ngoài của văn bản đi, gói tin và lịch sử trạng thái")
def recipients(request, document_id: int):
    access.require(request.user, Action.HANDLE_DOCUMENTS)
    return list(selectors.external_recipients(request.user, document_id))


@router.post("/recipients/{recipient_id}/export", response={201: PackageOut},
             summary="Xuất gói tin edXML của văn bản đi cho một nơi nhận bên ngoài")
def export(request, recipient_id: int):
    recipient = selectors.get_recipient_for(request.user, recipient_id)
    return Status(201, services.export_package(actor=request.user, recipient=recipient))


@router.post("/recipients/{recipient_id}/send", response={201: PackageOut},
             summary="Gửi gói tin edXML cho nơi nhận bên ngoài liên thông trực tiếp (ký số bằng mã PIN của cơ quan)")
def send(request, recipient_id: int, payload: SendIn):
    recipient = selectors.get_recipient_for(request.user, recipient_id)
    services.send_package(actor=request.user, recipient=recipient, pin=payload.pin or None)
    return Status(201, selectors.external_package(request.user, recipient.pk))
