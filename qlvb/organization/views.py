from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from qlvb.access import Action, require

from . import imports, services
from .forms import ImportForm
from .models import Agency
from .selectors import organization_summary

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
