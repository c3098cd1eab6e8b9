"""Form posts from the document page; each calls one service and returns to the document."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qlvb import access
from qlvb.core import dates
from qlvb.organization.models import Person, Unit
from qlvb.workdays.calendar import add_working_days

from . import routing, selectors, services, workflow
from .models import Assignment

ROLES = {r.value for r in Assignment.Role}


def _assignment(request, pk) -> Assignment:
    return access.get_assignment_for(request.user, pk)


def _run(request, assignment, action, success, *, keep=None):
    """Run the service; on a refusal, say why and keep what was typed (`keep`) for the form it came from."""
    try:
        result = action()
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
        if keep is not None:
            request.session["kept_form"] = {"assignment": assignment.pk, **keep}
    else:
        messages.success(request, success(result) if callable(success) else success)
    return redirect("incoming:detail", pk=assignment.document_id)


def _refused(request, exc):
    if isinstance(exc, ValidationError):
        messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, str(exc) or _("Bạn không có quyền thực hiện thao tác này."))


def _typed(post) -> dict:
    """What the forward form held, to fill it again after a refusal."""
    return {"instruction": post.get("instruction", "")[:2000], "deadline": post.get("deadline", "")[:10],
            "deadline_days": post.get("deadline_days", "")[:3], "note": post.get("note", "")[:2000],
            "roles": {k: v for k, v in post.items() if k.startswith(("role_p_", "role_u_")) and v in ROLES}}


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
    return dates.date_or_refuse(post.get("deadline"), _("Hạn xử lý"))


@login_required
def routing_suggestions(request, pk):
    """HTMX: the "Gợi ý" box of the forward form, loaded after the document page (which pays nothing for
    it). Whoever may not forward the item gets 404, as for an item they may not open."""
    assignment = _assignment(request, pk)
    if not (workflow.allowed(assignment, "forward") and access.can(request.user, access.Action.FORWARD, assignment)):
        raise Http404
    suggestions = routing.for_forward(request.user, assignment, selectors.forward_candidates(request.user))
    return render(request, "assignments/_routing.html", {"suggestions": suggestions})


@login_required
@require_POST
def forward(request, pk):
    assignment = _assignment(request, pk)
    return _run(request, assignment, lambda: services.forward(
        actor=request.user, assignment=assignment, targets=targets_from(request.POST),
        instruction=request.POST.get("instruction", "").strip(), deadline=_deadline(request.POST),
    ), forwarded, keep=_typed(request.POST))


def _whom(item) -> str:
    """The receiver as a message names them: the unit (and its head who receives it), or the person."""
    if item.to_unit:
        return _("%(unit)s (%(head)s nhận)") % {"unit": item.receiver_unit, "head": item.receiver.named}
    return item.receiver.named


def forwarded(children) -> str:
    """"Đã chuyển Trưởng phòng Phan Văn Đức xử lý chính; …; hạn 05/12.": who has it now, in which role."""
    roles = {Assignment.Role.MAIN: _("xử lý chính"), Assignment.Role.CO: _("phối hợp"),
             Assignment.Role.INFO: _("để biết")}
    parts = [f"{_whom(c)} {roles[c.role]}" for c in sorted(children, key=lambda c: list(roles).index(c.role))]
    deadline = next((c.deadline for c in children if c.role != Assignment.Role.INFO and c.deadline), None)
    text = _("Đã chuyển %(parts)s") % {"parts": "; ".join(parts)}
    return text + (_("; hạn %(d)s.") % {"d": deadline.strftime("%d/%m/%Y")} if deadline else ".")


SUCCESS = {  # shown after each action: who has the work now
    "pending": lambda a: _("Đã chuyển sang chờ."), "update": lambda a: _("Đã cập nhật tiến độ."),
    "complete": lambda a: _completed(a),
    "return": lambda a: _("Đã trả lại văn bản cho %(who)s.") % {"who": a.sender.named},
    "recall": lambda a: _("Đã thu hồi văn bản từ %(who)s.") % {"who": _whom(a)},
}


def _completed(item) -> str:
    if item.role == Assignment.Role.INFO:
        return _("Đã xem, lưu theo dõi.")
    document = item.document
    document.refresh_from_db(fields=["status"])
    if document.status == document.Status.DONE:
        return _("Đã hoàn thành; văn bản đã xử lý xong.")
    return _("Đã hoàn thành; kết quả đã ghi vào luồng xử lý để %(who)s theo dõi.") % {"who": item.sender.named}


@login_required
@require_POST
def act(request, pk, action):
    """Pending, update, complete, return or recall, with the note from the form."""
    assignment = _assignment(request, pk)
    run = services.NOTE_ACTIONS[action]
    return _run(request, assignment, lambda: run(request.user, assignment, request.POST.get("note", "")),
                SUCCESS[action], keep=_typed(request.POST))


@login_required
@require_POST
def extend_deadline(request, document_pk):
    """The person who set the document's deadline moves it later, with a reason."""
    document = access.get_incoming_for(request.user, document_pk)
    try:
        deadline = dates.date_or_refuse(request.POST.get("deadline"), _("Hạn xử lý mới"))
        services.extend_deadline(actor=request.user, document=document, deadline=deadline,
                                 reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Đã gia hạn xử lý văn bản."))
    return redirect("incoming:detail", pk=document.pk)


@login_required
@require_POST
def close_left_open(request):
    """A head or a leader closes items left open on finished documents, with a reason."""
    ids = [int(i) for i in request.POST.getlist("assignment") if i.isdigit()]
    try:
        count = services.close_left_open(actor=request.user, items=Assignment.objects.filter(pk__in=ids),
                                         reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("Đã đóng %(n)d việc còn mở; người giữ đã được thông báo.") % {"n": count})
    back = request.POST.get("back", "")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    return redirect(back if back and safe else "monitoring:dashboard")
