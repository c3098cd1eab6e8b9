"""Pages of disposal (hủy tài liệu hết giá trị) and of the records' figures (thống kê hồ sơ)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb import access
from qlvb.access import Action
from qlvb.audit.models import AccessLog
from qlvb.audit.services import log_access

from . import disposal as service
from . import stats as figures
from .models import Disposal


def _errors(request, exc):
    messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))


def _sees_disposals(person):
    """The disposal pages answer 404 to everyone but the archivist and the head of the agency."""
    if not access.sees_disposals(person):
        raise Http404


@login_required
def disposal_list(request):
    """The archivist proposes expired archived records, each with a reason; both list the disposals."""
    _sees_disposals(request.user)
    can_propose = access.can(request.user, Action.DISPOSE_RECORDS)
    if request.method == "POST":
        if not can_propose:
            raise PermissionDenied
        ids = [pk for pk in request.POST.getlist("record") if pk.isdigit()]
        chosen = list(access.visible_holdings(request.user).filter(pk__in=ids).order_by("code", "pk"))
        try:
            made = service.propose(actor=request.user, note=request.POST.get("note", ""),
                                   items=[(r, request.POST.get(f"reason-{r.pk}", "")) for r in chosen])
        except ValidationError as exc:
            _errors(request, exc)
            return redirect("archive:disposals")
        messages.success(request, _("Đã lập %(d)s, chờ lãnh đạo cơ quan phê duyệt.") % {"d": made})
        return redirect("archive:disposal", pk=made.pk)
    expired = (list(service.expired(access.visible_holdings(request.user), timezone.localdate())
                    .select_related("owner", "unit").order_by("code", "pk")) if can_propose else [])
    for record in expired:
        record.last_year = service.last_year(record)
    disposals = (access.visible_disposals(request.user).select_related("proposed_by")
                 .annotate(record_count=Count("items"))[:100])
    return render(request, "archive/disposals.html", {"expired": expired, "disposals": disposals,
                                                      "can_propose": can_propose})


@login_required
def disposal_detail(request, pk):
    from qlvb.core.dates import date_or_refuse

    disposal = access.get_disposal_for(request.user, pk)
    can_decide = disposal.state == Disposal.State.PROPOSED and access.can(request.user, Action.APPROVE, disposal)
    can_destroy = disposal.state == Disposal.State.APPROVED and access.can(request.user, Action.DISPOSE_RECORDS)
    if request.method == "POST":
        action, post = request.POST.get("action"), request.POST
        try:
            if action == "approve" and can_decide:
                try:
                    day = date_or_refuse(post.get("decision_date"), _("Ngày quyết định"))
                except ValidationError as exc:
                    raise ValidationError({"decision_date": exc.messages}) from exc
                service.approve(actor=request.user, disposal=disposal, decision_number=post.get("decision_number", ""),
                                decision_date=day, council=post.get("council", ""))
                messages.success(request, _("Đã phê duyệt hủy tài liệu."))
            elif action == "refuse" and can_decide:
                service.refuse(actor=request.user, disposal=disposal, reason=post.get("refusal_reason", ""))
                messages.success(request, _("Đã không phê duyệt đề nghị hủy tài liệu."))
            elif action == "destroy" and can_destroy:
                service.destroy(actor=request.user, disposal=disposal)
                messages.success(request, _("Đã hủy tài liệu và lập biên bản hủy tài liệu."))
            else:
                raise PermissionDenied
        except ValidationError as exc:
            _errors(request, exc)
        return redirect("archive:disposal", pk=disposal.pk)
    log_access(person=request.user, action=AccessLog.Kind.VIEW, obj=disposal)
    items = disposal.items.select_related("record", "record__owner", "record__unit").order_by("id")
    return render(request, "archive/disposal.html", {"disposal": disposal, "items": items,
                                                     "can_decide": can_decide, "can_destroy": can_destroy})


def report_name(disposal) -> str:
    return f"Bien ban huy tai lieu {disposal.number}-{disposal.year}.pdf"


@login_required
def disposal_report(request, pk):
    from qlvb.files.responses import blob_response

    disposal = access.get_disposal_for(request.user, pk)
    if not disposal.report_id:
        raise Http404
    return blob_response(disposal.report, filename=report_name(disposal), viewer=request.user, about=disposal)


@login_required
def record_figures(request):
    """Thống kê hồ sơ: opened, closed, submitted on time and late, per unit and per person, for a year."""
    from qlvb.documents.book_views import attachment

    from .views import XLSX

    if not access.can(request.user, Action.HANDLE_DOCUMENTS):
        raise PermissionDenied
    try:
        year = figures.year_or_refuse(request.GET.get("year"))
    except ValidationError as exc:
        _errors(request, exc)
        year = timezone.localdate().year
    data = figures.figures(request.user, year)
    if request.GET.get("format") == "xlsx":
        name = figures.file_name(data)
        log_access(person=request.user, action=AccessLog.Kind.EXPORT, file_name=name)
        return attachment(figures.xlsx(data), XLSX, name)
    return render(request, "archive/figures.html", {"data": data, "headings": figures.headings(),
                                                    "years": range(timezone.localdate().year, 2019, -1)})
