import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qlvb.access import Action, require
from qlvb.assignments import services as flow
from qlvb.assignments.models import Assignment
from qlvb.organization.models import Role, Unit

from . import selectors, services
from .models import Kind, Notification


@login_required
def dashboard(request):
    person = request.user
    require(person, Action.MONITOR)
    unit = None
    if person.has_role(Role.LEADER, Role.CLERK):
        unit_id = request.GET.get("unit", "")
        unit = get_object_or_404(Unit, pk=unit_id) if unit_id.isdigit() else None
    elif person.unit_id:
        unit = person.unit
    series = selectors.weekly_series(person, unit=unit)
    chart = {"labels": [w["week"].strftime("%d/%m") for w in series],
             "received": [w["received"] for w in series], "on_time": [w["on_time"] for w in series],
             "late": [w["late"] for w in series],
             "names": [_("Văn bản đến"), _("Xong đúng hạn"), _("Xong trễ hạn")]}
    return render(request, "monitoring/dashboard.html", {
        "unit": unit,
        "units": selectors.units_overview(person) if person.has_role(Role.LEADER, Role.CLERK) else None,
        "people": selectors.people_overview(person, unit) if unit else None,
        "overdue": selectors.overdue_items(person, unit=unit),
        "info_items": selectors.unit_info_items(person, unit) if unit and person.has_role(Role.HEAD) else [],
        "left_open": selectors.left_open(person, unit=unit),
        "series": series, "chart_json": json.dumps(chart),
    })


@login_required
@require_POST
def urge(request):
    ids = [int(i) for i in request.POST.getlist("assignment") if i.isdigit()]
    try:
        count = services.urge(actor=request.user, assignments=Assignment.objects.filter(pk__in=ids),
                              message=request.POST.get("message", ""))
        messages.success(request, _("Đã đôn đốc %(n)d văn bản.") % {"n": count})
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect(request.POST.get("back") or "monitoring:dashboard")


@login_required
@require_POST
def close_info(request):
    ids = [int(i) for i in request.POST.getlist("assignment") if i.isdigit()]
    try:
        count = services.close_info_items(actor=request.user, assignments=Assignment.objects.filter(pk__in=ids))
        messages.success(request, _("Đã đóng %(n)d văn bản để biết.") % {"n": count})
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("monitoring:dashboard")


@login_required
def review(request):
    """My items that look finished but are open, with one-click fixes."""
    return render(request, "monitoring/review.html", {"stale": selectors.stale_items(
        request.user, pending_days=settings.QLVB_STALE_PENDING_DAYS, info_days=settings.QLVB_STALE_INFO_DAYS)})


@login_required
@require_POST
def fix(request, pk):
    """One click: close a read for-information item, or complete an item whose document is done."""
    item = get_object_or_404(Assignment, pk=pk, receiver=request.user)
    try:
        if item.role == Assignment.Role.INFO:
            flow.close_for_information(actor=request.user, assignment=item)
        else:
            flow.complete(actor=request.user, assignment=item, result=_("Văn bản đã được xử lý xong."))
        messages.success(request, _("Đã cập nhật."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("monitoring:review")


@login_required
def notifications(request):
    if request.method == "POST":
        services.set_email_kinds(actor=request.user, kinds=request.POST.getlist("email"))
        messages.success(request, _("Đã lưu lựa chọn nhận thư điện tử."))
        return redirect("monitoring:notifications")
    items = selectors.notifications(request.user)
    return render(request, "monitoring/notifications.html", {
        "items": items, "kinds": Kind.choices, "email_kinds": services.email_kinds(request.user)})


@login_required
def open_notification(request, pk):
    item = get_object_or_404(Notification, pk=pk, recipient=request.user)
    services.mark_read(actor=request.user, notification_ids=[item.pk])
    return redirect(item.link or "monitoring:notifications")


@login_required
@require_POST
def read_all(request):
    services.mark_read(actor=request.user)
    return redirect("monitoring:notifications")


@login_required
def badge(request):
    """HTMX partial polled by the navbar bell."""
    return render(request, "monitoring/_badge.html", {"unread": selectors.unread_count(request.user)})


@login_required
def menu_counts(request):
    """HTMX partial: the figures beside the menu entries, swapped in out of band (the pages themselves
    run no extra query for them)."""
    return render(request, "monitoring/_menu_counts.html", {"counts": selectors.menu_counts(request.user)})
