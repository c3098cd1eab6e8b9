from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qlvb import access
from qlvb.access import Action
from qlvb.audit.models import AccessLog
from qlvb.audit.services import log_access
from qlvb.documents.book_views import attachment
from qlvb.organization.models import Person, Unit

from . import exports, selectors, services
from .models import FilePlan, PlanHeading, PlanItem

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _errors(request, exc):
    messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))


def _plans_page_allowed(person):
    if not (access.can(person, Action.HANDLE_DOCUMENTS) or access.can(person, Action.DRAFT_PLAN)
            or access.can(person, Action.ADMINISTER)):
        raise PermissionDenied


@login_required
def plan_list(request):
    _plans_page_allowed(request.user)
    plans = list(selectors.plans_for(request.user))
    year = timezone.localdate().year
    if request.method == "POST":
        try:
            if request.POST.get("copy_from"):
                source = access.get_plan_for(request.user, request.POST["copy_from"])
                plan = services.copy_plan(actor=request.user, source=source,
                                          year=int(request.POST.get("year") or source.year + 1))
            else:
                plan = services.create_plan(actor=request.user, year=int(request.POST.get("year") or year),
                                            numbering=request.POST.get("numbering", FilePlan.Numbering.CONTINUOUS))
        except (ValidationError, ValueError) as exc:
            _errors(request, exc if isinstance(exc, ValidationError) else ValidationError(_("Năm không hợp lệ.")))
        else:
            messages.success(request, _("Đã lập dự thảo danh mục hồ sơ năm %(y)d.") % {"y": plan.year})
            return redirect("archive:plan", pk=plan.pk)
    return render(request, "archive/plans.html", {
        "plans": plans, "year": year, "can_draft": access.can(request.user, Action.DRAFT_PLAN),
        "numberings": FilePlan.Numbering.choices,
        "last_year": next((p for p in plans if p.year == year - 1), None),
        "has_this_year": any(p.year == year for p in plans),
    })


@login_required
def plan_detail(request, pk):
    plan = access.get_plan_for(request.user, pk)
    log_access(person=request.user, action=AccessLog.Kind.VIEW, obj=plan)
    can_edit = plan.is_draft and access.can(request.user, Action.EDIT, plan)
    rows = selectors.rows(plan)
    return render(request, "archive/plan.html", {
        "plan": plan, "rows": rows, "can_edit": can_edit,
        "can_approve": plan.is_draft and access.can(request.user, Action.APPROVE, plan),
        "can_open": not plan.is_draft and access.can(request.user, Action.HANDLE_DOCUMENTS),
        "big_headings": [h for h, _items in rows if h.parent_id is None],
        "headings": [h for h, _items in rows],
        "units": Unit.objects.filter(is_active=True) if can_edit else [],
        "people": Person.objects.filter(is_active=True).order_by("full_name") if can_edit else [],
        "numberings": FilePlan.Numbering.choices,
        "item_count": sum(len(items) for _h, items in rows),
    })


@login_required
def plan_export(request, pk):
    plan = access.get_plan_for(request.user, pk)
    name = exports.file_name(plan)
    log_access(person=request.user, action=AccessLog.Kind.EXPORT, obj=plan, file_name=name)
    return attachment(exports.xlsx(plan), XLSX, name)


def _person(value):
    return get_object_or_404(Person, pk=value, is_active=True) if value else None


@login_required
def item_edit(request, pk, item_pk):
    plan = access.get_plan_for(request.user, pk)
    item = get_object_or_404(PlanItem, pk=item_pk, plan=plan)
    if not (plan.is_draft and access.can(request.user, Action.EDIT, plan)):
        raise PermissionDenied
    if request.method == "POST":
        post = request.POST
        try:
            services.update_item(actor=request.user, item=item, title=post.get("title", ""),
                                 retention=post.get("retention", ""), responsible=_person(post.get("responsible")),
                                 responsible_name=post.get("responsible_name", ""), notes=post.get("notes", ""))
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã sửa hồ sơ %(c)s.") % {"c": item.code})
            return redirect("archive:plan", pk=plan.pk)
    return render(request, "archive/item_edit.html", {
        "plan": plan, "item": item, "people": Person.objects.filter(is_active=True).order_by("full_name")})


@login_required
@require_POST
def plan_action(request, pk, action):
    plan = access.get_plan_for(request.user, pk)
    post, actor = request.POST, request.user
    try:
        if action == "heading":
            parent = get_object_or_404(PlanHeading, pk=post["parent"], plan=plan) if post.get("parent") else None
            unit = get_object_or_404(Unit, pk=post["unit"]) if post.get("unit") else None
            services.add_heading(actor=actor, plan=plan, title=post.get("title", ""),
                                 abbreviation=post.get("abbreviation", ""), parent=parent, unit=unit)
        elif action == "item":
            heading = get_object_or_404(PlanHeading, pk=post.get("heading") or 0, plan=plan)
            services.add_item(actor=actor, plan=plan, heading=heading, title=post.get("title", ""),
                              retention=post.get("retention", ""), responsible=_person(post.get("responsible")),
                              responsible_name=post.get("responsible_name", ""), notes=post.get("notes", ""))
        elif action == "delete_item":
            services.delete_item(actor=actor, item=get_object_or_404(PlanItem, pk=post.get("item") or 0, plan=plan))
        elif action == "delete_heading":
            services.delete_heading(actor=actor,
                                    heading=get_object_or_404(PlanHeading, pk=post.get("heading") or 0, plan=plan))
        elif action == "numbering":
            services.set_numbering(actor=actor, plan=plan, numbering=post.get("numbering", ""))
        elif action == "import":
            if "file" not in request.FILES:
                raise ValidationError({"file": _("Chọn tệp Excel (.xlsx).")})
            services.import_xlsx(actor=actor, plan=plan, upload=request.FILES["file"])
        elif action == "approve":
            services.approve_plan(actor=actor, plan=plan)
        else:
            raise Http404
        messages.success(request, _("Đã phê duyệt, ban hành danh mục hồ sơ.") if action == "approve"
                         else _("Đã cập nhật danh mục hồ sơ."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("archive:plan", pk=plan.pk)


# ---- nộp lưu (submission to the agency archive) ---------------------------------------------------

def _archivist(person):
    """The archivist's pages answer 404 to everyone else, as a missing page."""
    if not access.can(person, Action.RECEIVE_RECORDS):
        raise Http404


@login_required
@require_POST
def record_submit(request, record_pk):
    from . import submission

    record = access.get_record_for(request.user, record_pk)
    try:
        submission.submit(actor=request.user, record=record)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã nộp lưu hồ sơ, chờ lưu trữ cơ quan tiếp nhận."))
    return redirect("records:detail", pk=record.pk)


@login_required
@require_POST
def keep_request(request, record_pk):
    from qlvb.core.dates import date_or_refuse

    from . import submission

    record = access.get_record_for(request.user, record_pk)
    try:
        until = date_or_refuse(request.POST.get("until"), _("Giữ lại đến ngày"))
        submission.request_keep(actor=request.user, record=record, until=until, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã gửi đề nghị giữ lại hồ sơ."))
    return redirect("records:detail", pk=record.pk)


@login_required
def keep_list(request):
    """The head's pending keep requests (of their unit; all for the head of the agency)."""
    from .models import KeepRequest
    from .submission import decide_keep

    pending = [k for k in KeepRequest.objects.filter(state=KeepRequest.State.PENDING)
               .select_related("record", "record__unit", "requested_by")
               if access.can(request.user, Action.APPROVE, k)]
    if request.method == "POST":
        keep = next((k for k in pending if str(k.pk) == request.POST.get("keep")), None)
        if keep is None:
            raise Http404
        try:
            decide_keep(actor=request.user, keep=keep, approve=request.POST.get("decision") == "approve")
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã xử lý đề nghị giữ lại hồ sơ."))
        return redirect("archive:keep")
    return render(request, "archive/keep.html", {"pending": pending})


@login_required
def submissions(request):
    """The archivist's list: records submitted and waiting; accept (one handover per submitter) or return."""
    from . import submission as service
    from .models import Submission

    _archivist(request.user)
    waiting = list(Submission.objects.filter(state=Submission.State.SUBMITTED)
                   .select_related("record", "record__unit", "submitted_by"))
    if request.method == "POST":
        chosen = [s for s in waiting if str(s.pk) in request.POST.getlist("submission")]
        try:
            if request.POST.get("action") == "return":
                if len(chosen) != 1:
                    raise ValidationError(_("Chọn một hồ sơ để trả lại."))
                service.return_submission(actor=request.user, submission=chosen[0],
                                          reason=request.POST.get("reason", ""))
                messages.success(request, _("Đã trả lại hồ sơ."))
            else:
                handover = service.accept(actor=request.user, submissions=chosen)
                messages.success(request, _("Đã tiếp nhận %(n)d hồ sơ, lập %(h)s.") % {"n": handover.record_count,
                                                                                      "h": handover})
                return redirect("archive:handover", pk=handover.pk)
        except ValidationError as exc:
            _errors(request, exc)
        return redirect("archive:submissions")
    from .models import Handover

    return render(request, "archive/submissions.html", {
        "waiting": waiting, "handovers": Handover.objects.select_related("handed_by", "received_by")[:50]})


def _handover_for(person, pk):
    from .models import Handover

    _archivist(person)
    return get_object_or_404(Handover.objects.select_related("handed_by", "received_by"), pk=pk)


@login_required
def handover_detail(request, pk):
    handover = _handover_for(request.user, pk)
    return render(request, "archive/handover.html", {"handover": handover, "rows": exports.submitted_rows(handover)})


@login_required
def handover_pdf(request, pk, kind):
    handover = _handover_for(request.user, pk)
    if kind not in ("bien-ban", "muc-luc"):
        raise Http404
    content = exports.handover_pdf(handover) if kind == "bien-ban" else exports.submitted_index_pdf(handover)
    name = (f"Bien ban giao nhan {handover.number}-{handover.year}.pdf" if kind == "bien-ban"
            else f"Muc luc ho so nop luu {handover.number}-{handover.year}.pdf")
    log_access(person=request.user, action=AccessLog.Kind.EXPORT, obj=handover, file_name=name)
    return attachment(content, "application/pdf", name)
