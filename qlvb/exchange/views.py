"""Pages of the exchange by files: the electronic inbox (Văn bản điện tử đến) with the import form, one
received package (register in one click, or refuse with a reason), and the external recipients of an
outgoing document with their packages and status history."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qlvb import access
from qlvb.access import Action
from qlvb.core.pagination import page_of
from qlvb.documents.models import DocumentType
from qlvb.files.responses import blob_response
from qlvb.incoming.duplicates import DuplicateSuspected
from qlvb.outgoing import selectors as outgoing_selectors

from . import preflight, selectors, services
from .models import Package


def _errors(exc) -> str:
    return " ".join(getattr(exc, "messages", None) or [str(exc)])


@login_required
def inbox(request):
    access.require(request.user, Action.REGISTER_INCOMING)
    state = request.GET.get("state", "")
    state = state if state in Package.State.values else ""
    page = page_of(selectors.inbox(request.user, state=state), request.GET.get("page"))
    return render(request, "exchange/inbox.html", {"page": page, "state": state, "states": Package.State})


@login_required
@require_POST
def import_file(request):
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Tệp gói tin: chọn tệp .edxml để nhận."))
        return redirect("exchange:inbox")
    try:
        result = services.import_file(actor=request.user, upload=upload)
    except ValidationError as exc:
        messages.error(request, _("Không nhận tệp “%(name)s”. %(reason)s")
                       % {"name": upload.name, "reason": _errors(exc)})
        return redirect("exchange:inbox")
    if result.status is not None:
        messages.success(request, _("Đã nhận thông báo trạng thái “%(s)s” của %(who)s.")
                         % {"s": result.status.code_name, "who": result.status.organ_id})
        return redirect("exchange:outgoing", pk=result.package.outgoing_id)
    if not result.created:
        messages.info(request, _("Gói tin này đã được nhận trước đây; không tạo thêm."))
    return redirect("exchange:received", pk=result.package.pk)


@login_required
def received(request, pk):
    package = selectors.get_received_for(request.user, pk)
    return render(request, "exchange/received.html", {
        "package": package, "header": package.header, "types": DocumentType.objects.filter(is_active=True)})


@login_required
@require_POST
def register(request, pk):
    package = selectors.get_received_for(request.user, pk)
    chosen = request.POST.get("document_type") or ""
    document_type = DocumentType.objects.filter(pk=chosen, is_active=True).first() if chosen.isdigit() else None
    try:
        document = services.register_received(actor=request.user, package=package, document_type=document_type,
                                              confirm_duplicate=request.POST.get("confirm_duplicate") == "1")
    except DuplicateSuspected as exc:
        messages.warning(request, _errors(exc) + " " + _("Đánh dấu “Vẫn vào sổ” nếu đúng là văn bản khác."))
        return redirect("exchange:received", pk=package.pk)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("exchange:received", pk=package.pk)
    messages.success(request, _("Đã vào sổ văn bản đến số %(n)s; thông báo “Đã tiếp nhận” đã sẵn sàng gửi lại "
                                "nơi gửi.") % {"n": document.arrival_number})
    return redirect("incoming:detail", pk=document.pk)


@login_required
@require_POST
def refuse(request, pk):
    package = selectors.get_received_for(request.user, pk)
    try:
        services.refuse_received(actor=request.user, package=package, reason=request.POST.get("reason", ""))
        messages.success(request, _("Đã từ chối gói tin. Tải thông báo “Từ chối tiếp nhận” (.edxml) để gửi lại "
                                    "nơi gửi."))
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("exchange:received", pk=package.pk)


@login_required
def outgoing(request, pk):
    document = outgoing_selectors.get_for(request.user, pk)
    recipients = selectors.recipients_with_latest_status(request.user, document.pk)
    can_export = access.can(request.user, Action.ISSUE)
    for recipient in recipients:  # the pre-flight checklist, before anything was sent to it
        recipient.checks = (preflight.checks(recipient, direct=recipient.is_peer)
                            if can_export and not recipient.packages.all() else [])
    sent_any = any(p.business_type == 0 for r in recipients for p in r.packages.all())
    return render(request, "exchange/outgoing.html", {"document": document, "recipients": recipients,
                                                      "can_export": can_export, "sent_any": sent_any})


@login_required
@require_POST
def export(request, recipient_pk):
    recipient = selectors.get_recipient_for(request.user, recipient_pk)
    try:
        package = services.export_package(actor=request.user, recipient=recipient)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("exchange:outgoing", pk=recipient.document_id)
    return redirect("exchange:package_file", pk=package.pk)


@login_required
@require_POST
def send(request, recipient_pk):
    recipient = selectors.get_recipient_for(request.user, recipient_pk)
    try:
        services.send_package(actor=request.user, recipient=recipient, pin=request.POST.get("pin") or None)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Đã đưa gói tin vào hàng đợi gửi liên thông tới %(name)s.")
                         % {"name": recipient.agency.name})
    return redirect("exchange:outgoing", pk=recipient.document_id)


@login_required
@require_POST
def change(request, pk):
    """The sender revokes, updates or replaces a document it sent, with a reason (all recipients sent to)."""
    document = outgoing_selectors.get_for(request.user, pk)
    try:
        kind = int(request.POST.get("kind") or -1)
    except ValueError:
        kind = -1
    try:
        sent = services.send_change(actor=request.user, document=document, kind=kind,
                                    reason=request.POST.get("reason", ""), pin=request.POST.get("pin") or None)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Đã gửi %(kind)s tới %(n)s nơi nhận.")
                         % {"kind": str(sent[0].business_label).lower(), "n": len(sent)})
    return redirect("exchange:outgoing", pk=document.pk)


@login_required
def package_file(request, pk):
    package = selectors.get_package_file_for(request.user, pk)
    about = package.outgoing if package.outgoing_id else package
    return blob_response(package.blob, filename=package.file_name, inline=False, viewer=request.user, about=about)


@login_required
def status_file(request, pk):
    status = selectors.get_status_file_for(request.user, pk)
    name = f"trang-thai-{status.code}-{status.package.code.replace('/', '_')}.edxml"
    return blob_response(status.blob, filename=name, inline=False, viewer=request.user, about=status.package)
