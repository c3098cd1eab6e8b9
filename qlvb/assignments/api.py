from datetime import date, datetime

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from qlvb import access
from qlvb.core.api_errors import storable_ids
from qlvb.organization.models import Person, Unit

from . import selectors, services
from .models import Assignment

router = Router(tags=["Chuyển xử lý"])


class AssignmentOut(Schema):
    id: int
    document_id: int
    parent_id: int | None
    sender_id: int
    receiver_id: int
    receiver_name: str
    receiver_unit_id: int | None
    role: str
    state: str
    instruction: str
    deadline: date | None
    created_at: datetime
    done_at: datetime | None
    result: str

    @staticmethod
    def resolve_receiver_name(obj):
        return obj.receiver.full_name


class EventOut(Schema):
    kind: str
    actor_id: int
    on_behalf_of_id: int | None
    note: str
    at: datetime


class TreeNode(Schema):
    assignment: AssignmentOut
    events: list[EventOut]
    children: list["TreeNode"]


TreeNode.model_rebuild()


def tree_out(nodes) -> list[dict]:
    return [{"assignment": n["node"], "events": n["events"], "children": tree_out(n["children"])} for n in nodes]


class TargetIn(Schema):
    role: Assignment.Role
    person_id: int | None = None
    unit_id: int | None = None


class ForwardIn(Schema):
    targets: list[TargetIn]
    instruction: str = ""
    deadline: date | None = None


class NoteIn(Schema):
    note: str = ""


class CloseLeftOpenIn(Schema):
    assignment_ids: list[int] = Field(title="Việc còn mở")
    reason: str = Field(title="Lý do đóng")


class ClosedOut(Schema):
    closed: int


@router.get("/left-open", response=list[AssignmentOut], summary="Việc còn mở trên văn bản đã xử lý xong",
            description="A head's unit's, a leader's agency's; only items the caller may open.")
def left_open(request):
    return selectors.left_open_rows(request.user, limit=500)


@router.post("/left-open/close", response=ClosedOut, summary="Đóng việc còn mở trên văn bản đã xử lý xong (có lý do)")
def close_left_open(request, payload: CloseLeftOpenIn):
    items = Assignment.objects.filter(pk__in=storable_ids(payload.assignment_ids))
    return {"closed": services.close_left_open(actor=request.user, items=items, reason=payload.reason)}


def _mine(request, assignment_id) -> Assignment:
    return access.get_assignment_for(request.user, assignment_id)


def _target(t: TargetIn) -> services.Target:
    if t.person_id:
        return services.Target(t.role, person=get_object_or_404(Person, pk=t.person_id, is_active=True))
    return services.Target(t.role, unit=get_object_or_404(Unit, pk=t.unit_id or 0, is_active=True))


@router.post("/{int:assignment_id}/forward", response={201: list[AssignmentOut]}, summary="Chuyển xử lý")
def forward(request, assignment_id: int, payload: ForwardIn):
    children = services.forward(actor=request.user, assignment=_mine(request, assignment_id),
                                targets=[_target(t) for t in payload.targets], instruction=payload.instruction,
                                deadline=payload.deadline)
    return Status(201, children)


@router.post("/{int:assignment_id}/{action}", response=AssignmentOut,
             summary="Chờ, cập nhật, hoàn thành, trả lại hoặc thu hồi")
def act(request, assignment_id: int, action: str, payload: NoteIn):
    if action not in services.NOTE_ACTIONS:
        raise Http404
    return services.NOTE_ACTIONS[action](request.user, _mine(request, assignment_id), payload.note)
