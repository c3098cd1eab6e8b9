from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qlvb.access import Action, require
from qlvb.core import dates
from qlvb.files.responses import blob_response
from qlvb.organization.models import Unit

from . import selectors, services
from .models import ApiToken, Export


def _period(request):
    get = request.POST if request.method == "POST" else request.GET
    today = timezone.localdate()
    start = dates.parse_date(get.get("from")) or date(today.year, 1, 1)
    end = dates.parse_date(get.get("to")) or today
    unit_id = get.get("unit", "")
    unit = Unit.objects.filter(pk=unit_id).first() if unit_id.isdigit() else None
    return services.period_for(actor=request.user, start=start, end=end, unit=unit)


@login_required
def index(request):
    require(request.user, Action.VIEW_REPORTS)
    try:
        period = _period(request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        today = timezone.localdate()
        period = services.period_for(actor=request.user, start=date(today.year, 1, 1), end=today, unit=None)
    return render(request, "reports/index.html", {
        "data": selectors.report(period), "units": Unit.objects.filter(is_active=True).order_by("order"),
    })


@login_required
@require_POST
def export(request):
    try:
        item = services.request_export(actor=request.user, period=_period(request), fmt=request.POST.get("fmt"))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:index")
    return redirect("reports:export_status", pk=item.pk)


@login_required
def export_status(request, pk):
    item = get_object_or_404(Export, pk=pk, requested_by=request.user)
    template = "reports/_export_status.html" if request.headers.get("HX-Request") else "reports/export.html"
    return render(request, template, {"item": item})


@login_required
def download(request, pk):
    item = get_object_or_404(Export, pk=pk, requested_by=request.user, status=Export.Status.DONE)
    return blob_response(item.blob, filename=f"bao-cao-{item.params['start']}-{item.params['end']}.{item.fmt}",
                         inline=False, viewer=request.user, about=item, action="export")


@login_required
def tokens(request):
    require(request.user, Action.ADMINISTER)
    new_token = None
    if request.method == "POST":
        if request.POST.get("revoke", "").isdigit():
            services.revoke_token(actor=request.user, token=get_object_or_404(ApiToken, pk=request.POST["revoke"]))
            messages.success(request, _("Đã thu hồi khóa."))
            return redirect("reports:tokens")
        _item, new_token = services.issue_token(actor=request.user, name=request.POST.get("name", ""))
    return render(request, "reports/tokens.html", {"tokens": ApiToken.objects.all(), "new_token": new_token})
