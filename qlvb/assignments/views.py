"""Form posts from the document page; each calls one service and returns to the document."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from qlvb import access
from qlvb.organization.models import Person, Unit
from qlvb.workdays.calendar import add_working_days

from . import services
from .models import Assignment

ROLES = {r.value for r in Assignment.Role}


def _assignment(request, pk) -> Assignment:
    return access.get_assignment_for(request.user, pk)


def _run(request, assignment, action, success):
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("Bạn không có quyền thực hiện thao tác này."))
    else:
        messages.success(request, success)
    return redirect("incoming:detail", pk=assignment.document_id)


def targets_from(post) -> list[services.Target]:
    """Form fields role_p_<person id> / role_u_<unit id> = main | co | info."""
    targets = []
    for key, role in post.items():
        if role not in ROLES or not key.startswith(("role_p_", "role_u_")) or not key[7:].isdigit():
            continue
        if key.startswith("role_p_"):
            targets.append(services.Target(role=role, person=get_object_or_404(Person, pk=key[7:], is_active=True)))
        else:
            targets.append(services.Target(role=role, unit=get_object_or_404(Unit, pk=key[7:], is_active=True)))
    return targets


def _deadline(post):
    """A date, or a number of working days from today (weekends and holidays skipped)."""
    days = post.get("deadline_days", "")
    if days.isdigit() and 0 < int(days) <= 365:
        return add_working_days(timezone.localdate(), int(days))
    try:
        return parse_date(post.get("deadline") or "")
    except ValueError:
        return None


@login_required
@require_POST
def forward(request, pk):
    assignment = _assignment(request, pk)
    deadline = _deadline(request.POST)
    return _run(request, assignment, lambda: services.forward(
        actor=request.user, assignment=assignment, targets=targets_from(request.POST),
        instruction=request.POST.get("instruction", "").strip(), deadline=deadline,
    ), _("Đã chuyển xử lý."))


SUCCESS = {  # shown after each action
    "pending": gettext_lazy("Đã chuyển sang chờ."), "update": gettext_lazy("Đã cập nhật tiến độ."),
    "complete": gettext_lazy("Đã hoàn thành."), "return": gettext_lazy("Đã trả lại."),
    "recall": gettext_lazy("Đã thu hồi."),
}


@login_required
@require_POST
def act(request, pk, action):
    """Pending, update, complete, return or recall, with the note from the form."""
    assignment = _assignment(request, pk)
    run = services.NOTE_ACTIONS[action]
    return _run(request, assignment, lambda: run(request.user, assignment, request.POST.get("note", "")),
                SUCCESS[action])
