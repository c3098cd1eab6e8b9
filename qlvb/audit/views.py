from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qlvb.access import Action, require
from qlvb.core import dates
from qlvb.core.pagination import page_of

from . import selectors
from .exports import access_log_xlsx
from .models import AccessLog
from .services import log_access, record, verify_chain

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_POST
def check_chain(request):
    """The administrator's button for `verify_audit`."""
    require(request.user, Action.ADMINISTER)
    problems = verify_chain()
    record(actor=request.user, action="audit.verify", changes={"problems": len(problems)})
    if problems:
        messages.error(request, _("Nhật ký hệ thống KHÔNG toàn vẹn: %(n)d lỗi. Lỗi đầu tiên: %(first)s")
                       % {"n": len(problems), "first": problems[0]})
    else:
        messages.success(request, _("Nhật ký hệ thống toàn vẹn: không bản ghi nào bị sửa, xóa hay chèn."))
    return redirect("administration:index")


def _filters(get) -> selectors.Filters:
    object_id = get.get("object_id", "").strip()
    return selectors.Filters(
        person=get.get("person", "").strip()[:100], object_type=get.get("object_type", "")[:64],
        object_id=int(object_id) if object_id.isdigit() and len(object_id) < 19 else None,
        action=get.get("action", "")[:16], date_from=dates.parse_date(get.get("from")),
        date_to=dates.parse_date(get.get("to")))


@login_required
def access_log(request):
    """The administrator's view of the access history (F-5.a, F-6.l): filter by person, object, action and
    period; `?format=xlsx` exports what the filters select (the export is itself written down)."""
    require(request.user, Action.ADMINISTER)
    filters = _filters(request.GET)
    rows = selectors.entries(filters)
    if request.GET.get("format") == "xlsx":
        log_access(person=request.user, action=AccessLog.Kind.EXPORT)
        response = HttpResponse(access_log_xlsx(rows), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="lich-su-truy-cap.xlsx"'
        return response
    return render(request, "audit/access_log.html", {
        "page": page_of(rows, request.GET.get("page"), per_page=50), "filters": filters,
        "actions": AccessLog.Kind.choices, "object_types": selectors.object_type_choices()})
