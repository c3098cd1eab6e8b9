from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qlvb.access import Action, require

from . import imports, services
from .forms import ImportForm
from .models import Agency, RightsChange
from .selectors import organization_summary, pending_rights_changes

TEMPLATES = {
    "units": (imports.UNIT_COLUMNS, imports.UNIT_EXAMPLE, "mau-nhap-don-vi.xlsx"),
    "people": (imports.PEOPLE_COLUMNS, imports.PEOPLE_EXAMPLE, "mau-nhap-can-bo.xlsx"),
}


@login_required
def index(request):
    require(request.user, Action.ADMINISTER)
    form = ImportForm()
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            return _import(request, form)
    return render(request, "organization/index.html", {"form": form, "summary": organization_summary()})


def _import(request, form):
    kind, upload = form.cleaned_data["kind"], form.cleaned_data["file"]
    try:
        if kind == "units":
            saved = services.import_units(actor=request.user, upload=upload, agency=Agency.objects.get())
        else:
            saved = services.import_people(actor=request.user, upload=upload)
    except ValidationError as exc:
        form.add_error(None, _("Chưa nhập dòng nào vì tệp có lỗi. Sửa các dòng sau rồi nhập lại:"))
        for message in exc.messages:
            form.add_error(None, message)
        return render(request, "organization/index.html", {"form": form, "summary": organization_summary()},
                      status=400)
    messages.success(request, _("Đã nhập %(n)d dòng.") % {"n": len(saved)})
    return redirect("administration:index")


@login_required
def import_template(request, kind):
    require(request.user, Action.ADMINISTER)
    if kind not in TEMPLATES:
        raise Http404
    columns, example, filename = TEMPLATES[kind]
    response = HttpResponse(
        imports.template_workbook(columns, example),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def rights_changes(request):
    """Thay đổi quyền chờ xác nhận (F-3.c), and the latest confirmed ones."""
    require(request.user, Action.ADMINISTER)
    confirmed = RightsChange.objects.filter(confirmed_at__isnull=False).select_related(
        "person", "changed_by", "confirmed_by").order_by("-confirmed_at", "-id")[:50]
    return render(request, "organization/rights_changes.html",
                  {"pending": pending_rights_changes(), "confirmed": confirmed})


@login_required
@require_POST
def confirm_rights_changes(request):
    require(request.user, Action.ADMINISTER)
    ids = [v for v in request.POST.getlist("change") if v.isdigit()]
    try:
        n = services.confirm_rights_changes(actor=request.user, changes=RightsChange.objects.filter(pk__in=ids))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:  # one's own rights: shown, not a 403 page
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã xác nhận %(n)d thay đổi quyền.") % {"n": n})
    return redirect("administration:rights_changes")
