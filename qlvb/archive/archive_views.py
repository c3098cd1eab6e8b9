"""The archive's pages (Lưu trữ cơ quan, issue 13 item 5): the search over archived records, an archived
record's page with its documents, exports and access request, the access requests to decide, and the
package for the historical archive. Each starts from `access`; each read of a record, file or export is
written to the access history (`audit.AccessLog`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qlvb import access
from qlvb.access import Action
from qlvb.audit import selectors as access_log
from qlvb.audit.models import AccessLog
from qlvb.audit.services import log_access
from qlvb.core.dates import date_or_refuse
from qlvb.core.pagination import page_of
from qlvb.documents.book_views import attachment
from qlvb.files.responses import blob_response
from qlvb.organization.models import Unit

from . import access_requests, record_export, search
from .models import AccessRequest

XML = "application/xml"
RETENTION_YEARS = ["5", "10", "15", "20", "30", "50", "70"]  # the usual periods, for the search's filter


def _errors(request, exc):
    messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))


def _reader(person):
    if not person.has_role(*access.ARCHIVE_READERS):
        raise PermissionDenied


@login_required
def archive_search(request):
    """Kho lưu trữ: archived records by metadata and content, from the viewer's catalogue."""
    _reader(request.user)
    criteria = search.parse(request.GET)
    page = page_of(search.results(request.user, criteria), request.GET.get("page"), searching=not criteria.empty)
    page.object_list = list(page.object_list)
    for record in page.object_list:
        record.archive_code = search.file_code(record)
    return render(request, "archive/archive_search.html", {
        "page": page, "criteria": criteria, "readable": search.readable_ids(request.user, page.object_list),
        "units": Unit.objects.filter(is_active=True).order_by("order", "name"),
        "can_package": access.can(request.user, Action.RECEIVE_RECORDS), "retention_years": RETENTION_YEARS,
    })


@login_required
def archived_record(request, pk):
    record = access.get_archived_for(request.user, pk)
    readable = access.can(request.user, Action.READ_ARCHIVED, record)
    log_access(person=request.user, action=AccessLog.Kind.VIEW, obj=record)
    rows, hidden = search.rows(request.user, record) if readable else ([], 0)
    return render(request, "archive/archived_record.html", {
        "record": record, "readable": readable, "rows": rows, "hidden": hidden,
        "access_panel": access_log.panel(request.user, record) if readable else None,
        "can_request": access.can(request.user, Action.REQUEST_ACCESS, record),
        "last_request": access_requests.latest_for(request.user, record),
        "can_package": access.can(request.user, Action.RECEIVE_RECORDS) and record.retention_permanent,
    })


@login_required
def archived_file(request, pk, entry_pk, n):
    """A file of a document of the archived record, as the reader reads it there."""
    record = access.get_readable_archived_for(request.user, pk)
    rows, _hidden = search.rows(request.user, record)
    row = next((r for r in rows if r.entry.pk == entry_pk), None)
    if row is None or not 1 <= n <= len(row.files):
        raise Http404
    name, blob = row.files[n - 1]
    return blob_response(blob, filename=name or f"{blob.sha256}", viewer=request.user, about=record,
                         inline=blob.can_preview and request.GET.get("download") is None)


@login_required
def archived_export(request, pk, fmt):
    """The record as one PDF (index then documents in date order) or its metadata as XML."""
    record = access.get_readable_archived_for(request.user, pk)
    if fmt not in ("pdf", "xml"):
        raise Http404
    content = (record_export.record_pdf(request.user, record) if fmt == "pdf"
               else record_export.record_xml(request.user, record))
    name = record_export.file_name(record, fmt)
    log_access(person=request.user, action=AccessLog.Kind.EXPORT, obj=record, file_name=name)
    return attachment(content, "application/pdf" if fmt == "pdf" else XML, name)


@login_required
@require_POST
def access_request(request, pk):
    record = access.get_archived_for(request.user, pk)
    try:
        access_requests.request_access(actor=request.user, record=record, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Đã gửi đề nghị khai thác hồ sơ, chờ phê duyệt."))
    return redirect("archive:archived", pk=record.pk)


@login_required
def access_request_list(request):
    """The person's own requests, and those they decide (archivist, heads)."""
    _reader(request.user)
    requests = list(access.visible_access_requests(request.user)
                    .select_related("record", "record__unit", "requested_by", "decided_by")[:200])
    to_decide = [r for r in requests if r.state == AccessRequest.State.PENDING
                 and access.can(request.user, Action.APPROVE, r)]
    if request.method == "POST":
        chosen = next((r for r in to_decide if str(r.pk) == request.POST.get("request")), None)
        if chosen is None:
            raise Http404
        approve = request.POST.get("decision") == "approve"
        try:
            until = date_or_refuse(request.POST.get("until"), _("Được khai thác đến ngày")) if approve else None
            access_requests.decide_access(actor=request.user, request=chosen, approve=approve, until=until,
                                          note=request.POST.get("note", ""))
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã xử lý đề nghị khai thác hồ sơ."))
        return redirect("archive:access_requests")
    mine = [r for r in requests if r.requested_by_id == request.user.pk]
    return render(request, "archive/access_requests.html", {
        "to_decide": to_decide, "mine": mine, "grant_days": access_requests.GRANT_DAYS,
        "decided": [r for r in requests if r not in to_decide and r.requested_by_id != request.user.pk][:50]})


@login_required
@require_POST
def historical_export(request):
    """The archivist's package of archived permanent records for the historical archive."""
    if not access.can(request.user, Action.RECEIVE_RECORDS):
        raise Http404
    ids = [int(i) for i in request.POST.getlist("record") if i.isdigit()]
    records = list(access.visible_archived_records(request.user).filter(pk__in=ids).select_related("owner", "unit"))
    try:
        spool, name = record_export.historical_package(actor=request.user, records=records)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("archive:archive_search")
    return zip_response(spool, name)


def zip_response(spool, name: str) -> FileResponse:
    response = FileResponse(spool, as_attachment=True, filename=name, content_type="application/zip")
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
