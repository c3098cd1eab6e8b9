from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qlvb import access
from qlvb.access import Action
from qlvb.audit import selectors as access_log
from qlvb.audit.models import AccessLog
from qlvb.audit.printing import print_response
from qlvb.audit.services import log_access
from qlvb.core import dates
from qlvb.core.pagination import page_of
from qlvb.documents.models import Correction, DocumentType
from qlvb.files.responses import blob_response, warn_active_content
from qlvb.files.texts import ocr_blob_of, ocr_name, texts_for
from qlvb.organization.models import Agency
from qlvb.records import selectors as record_selectors
from qlvb.records import services as record_services
from qlvb.signing import selectors as signing_selectors
from qlvb.signing.models import SigningCredential

from . import official, positions, selectors, services
from .metadata import IssueMetadata, pdf_pages
from .models import OutgoingDocument, Recipient


@login_required
def issued(request):
    access.require(request.user, Action.HANDLE_DOCUMENTS)
    q = request.GET.get("q", "")[:200]
    page = page_of(selectors.issued_list(request.user, q=q), request.GET.get("page"), searching=bool(q))
    return render(request, "outgoing/list.html", {
        "page": page, "to_issue": record_selectors.to_issue(request.user) if access.can(
            request.user, Action.ISSUE) else []})


def _issued(document) -> str:
    """What issuing did and what is left: the internal recipients have it in their inbox, the external
    ones wait in the outbox for sending."""
    recipients = list(document.recipients.all())
    inside = sum(1 for r in recipients if r.incoming_id)
    outside = sum(1 for r in recipients if r.agency_id)
    text = _("Đã phát hành văn bản số %(n)s") % {"n": document.notation}
    if inside:
        text += _("; %(k)d nơi nhận trong cơ quan đã nhận vào hộp văn bản") % {"k": inside}
    if outside:
        text += _("; %(k)d cơ quan bên ngoài chờ gửi") % {"k": outside}
    return text + "."


@login_required
def issue(request, draft_pk):
    """The clerk sees the final PDF with the number and date it will take, then confirms (and signs with
    the agency's certificate): the number is taken only then (issue 11 item 7, issue 14)."""
    access.require(request.user, Action.ISSUE)
    draft = access.get_draft_for(request.user, draft_pk)
    if request.method == "POST":
        expected = request.POST.get("expected", "")
        try:
            issued_on = dates.date_or_refuse(request.POST.get("issued_on"), _("Ngày ban hành"))
            document = services.issue(actor=request.user, draft=draft, sending=request.POST.get("sending", ""),
                                      issued_on=issued_on, metadata=_issue_metadata(request.POST),
                                      pin=request.POST.get("pin", ""), positions=positions.parse(request.POST),
                                      credential=_credential(request.POST.get("credential", "")))
        except (ValidationError, PermissionDenied, ValueError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _issued(document))
            if expected and expected != document.notation:
                messages.warning(request, _("Số %(old)s đã được cấp cho văn bản khác trong lúc bạn xem trước: văn "
                                            "bản này nhận số %(new)s.") % {"old": expected, "new": document.notation})
            return redirect("outgoing:detail", pk=document.pk)
    return render(request, "outgoing/issue.html", {
        "draft": draft, "sendings": OutgoingDocument.Sending.choices, "today": timezone.localdate(),
        "form": request.POST, "language": settings.QLVB_DOCUMENT_LANGUAGE, **_upcoming(request, draft),
        "credentials": signing_selectors.agency_credentials(Agency.objects.get()),
        "require_signature": official.require_signature(), "leader_signed": bool(draft.signed_blob_id),
        "positions": positions.initial(request.POST or request.GET),
        "position_rows": positions.rows(request.POST or request.GET),
        "preview_query": positions.query(request.POST or request.GET),
        "pdf_pages": pdf_pages(draft.latest.blob if draft.latest else None)})


def _upcoming(request, draft) -> dict:
    """The number and date the draft would take now, read without taking it."""
    try:
        coming = services.upcoming(actor=request.user, draft=draft)
    except ValidationError as exc:
        return {"upcoming": None, "upcoming_problem": " ".join(exc.messages)}
    return {"upcoming": coming, "upcoming_problem": ""}


def _credential(value: str):
    if not value:
        return None
    if not value.isdigit() or len(value) > 10:
        raise ValidationError({"credential": _("Chứng thư số của cơ quan: lựa chọn không hợp lệ.")})
    found = SigningCredential.objects.filter(pk=int(value)).first()
    if found is None:
        raise ValidationError({"credential": _("Chứng thư số của cơ quan: lựa chọn không hợp lệ.")})
    return found


@login_required
def issue_preview(request, draft_pk):
    """The final PDF before confirming: the number and date it will take written in, inline. Takes no
    number. A draft that cannot be laid out answers the reason as text (shown in the page's frame)."""
    access.require(request.user, Action.ISSUE)
    draft = access.get_draft_for(request.user, draft_pk)
    try:
        pdf, coming = services.preview_pdf(actor=request.user, draft=draft, positions=positions.parse(request.GET))
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=422, content_type="text/plain; charset=utf-8")
    return pdf_response(pdf, f"xem-truoc-{official.file_name(coming.notation)}")


def pdf_response(pdf: bytes, name: str) -> HttpResponse:
    """A generated PDF shown inline, sandboxed and never cached, as stored files are served."""
    from django.utils.http import content_disposition_header

    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, name)
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _issue_metadata(post) -> IssueMetadata:
    """The Annex VI fields of the issuing form; a wrong date or number is refused naming its field."""
    parsed = dates.date_or_refuse(post.get("reply_due"), _("Hạn trả lời văn bản"))
    return IssueMetadata(language=post.get("language", ""), page_count=post.get("page_count") or None,
                         notes=post.get("notes", ""), issued_amount=post.get("issued_amount") or None,
                         reply_due=parsed)


@login_required
def detail(request, pk):
    document = selectors.get_for(request.user, pk)
    log_access(person=request.user, action=AccessLog.Kind.VIEW, obj=document)
    return render(request, "outgoing/detail.html", {
        "document": document, "recipients": document.recipients.select_related("unit", "person", "agency"),
        "access_panel": access_log.panel(request.user, document),
        "can_dispatch": access.can(request.user, Action.ISSUE) and not document.is_recalled,
        "can_recall": not document.is_recalled and access.can(request.user, Action.RECALL, document),
        "statuses": Recipient.Status.choices,
        "corrected_by": selectors.corrections_of(request.user, document),
        "replaced": selectors.in_force_problem(document), "corrections": Correction.choices,
        "copy_kinds": DocumentType.objects.filter(is_copy=True, is_active=True) if not document.is_recalled else [],
        "verification": signing_selectors.verification_of(document.blob_id) if document.blob_id else None,
        "text": texts_for([document.blob_id]).get(document.blob_id),  # reading its text: progress, failure
        "attachments": attachments_with_checks(document),
    })


def attachments_with_checks(document) -> list:
    """The issued attachments in separate files, each with its signature check (as the main file)."""
    attachments = list(document.attachments.select_related("blob"))
    checks = signing_selectors.verifications_for(a.blob_id for a in attachments)
    return [(a, checks.get(a.blob_id)) for a in attachments]


@login_required
def print_view(request, pk):
    """The print-friendly page, marked on every printed page (F-6.k), the print recorded (F-6.l)."""
    document = selectors.get_for(request.user, pk)
    return print_response(request, document, "outgoing/print.html", {
        "document": document, "recipients": document.recipients.select_related("unit", "person", "agency")})


@login_required
@require_POST
def recall(request, pk):
    """The signer or the head of the agency recalls the issued document, with a reason."""
    document = selectors.get_for(request.user, pk)
    try:
        services.recall(actor=request.user, document=document, reason=request.POST.get("reason", ""),
                        reference=request.POST.get("reference", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Đã thu hồi văn bản %(n)s.") % {"n": document.notation})
    return redirect("outgoing:detail", pk=document.pk)


@login_required
@require_POST
def correct(request, pk):
    """Start a draft amending or replacing this issued document."""
    document = selectors.get_for(request.user, pk)
    try:
        draft = record_services.start_correction(actor=request.user, original=document,
                                                 kind=request.POST.get("kind", ""))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("outgoing:detail", pk=document.pk)
    messages.success(request, _("Đã tạo dự thảo từ văn bản %(n)s: hãy sửa nội dung rồi trình duyệt.")
                     % {"n": document.notation})
    return redirect("records:draft_edit", pk=draft.record_id, draft_pk=draft.pk)


@login_required
@require_POST
def copy(request, pk):
    """Start a copy (sao y, trích sao, sao lục) of this issued document."""
    document = selectors.get_for(request.user, pk)
    try:
        draft = record_services.start_copy(actor=request.user, kind=request.POST.get("copy_kind", ""),
                                           outgoing=document)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        return redirect("outgoing:detail", pk=document.pk)
    messages.success(request, _("Đã tạo dự thảo bản sao: kiểm tra nội dung, nơi nhận rồi trình ký."))
    return redirect("records:draft_edit", pk=draft.record_id, draft_pk=draft.pk)


@login_required
def issue_date(request, pk):
    """An administrator corrects a wrongly entered issue date, giving the reason (audited)."""
    document = selectors.get_for_administrator(request.user, pk)
    if request.method == "POST":
        try:
            services.correct_issue_date(actor=request.user, document=document,
                                        issued_on=dates.date_or_refuse(request.POST.get("issued_on"),
                                                                               _("Ngày ban hành đúng")),
                                        reason=request.POST.get("reason", ""))
        except (ValidationError, PermissionDenied, ValueError) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Đã sửa ngày ban hành văn bản %(n)s.") % {"n": document.notation})
            return redirect("admin:outgoing_outgoingdocument_changelist")
    return render(request, "outgoing/issue_date.html", {"document": document})


@login_required
def file(request, pk):
    document = selectors.get_for(request.user, pk)
    if not document.blob_id:
        raise Http404
    name = document.file_name or f"{document.notation}.pdf"
    if request.GET.get("ocr") is not None:  # the searchable PDF/A made by OCR, beside the original
        return blob_response(ocr_blob_of(document.blob_id), filename=ocr_name(name), inline=False,
                             viewer=request.user, about=document)
    return blob_response(document.blob, filename=name, inline=False, viewer=request.user, about=document)


@login_required
@require_POST
def dispatch(request, pk, recipient_pk):
    document = selectors.get_for(request.user, pk)
    recipient = get_object_or_404(Recipient, pk=recipient_pk, document=document)
    try:
        services.mark_dispatched(actor=request.user, recipient=recipient, status=request.POST.get("status", ""))
        messages.success(request, _("Đã cập nhật trạng thái gửi."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    return redirect("outgoing:detail", pk=document.pk)


@login_required
def attachment_file(request, pk, position):
    document = selectors.get_for(request.user, pk)
    attachment = get_object_or_404(document.attachments.select_related("blob"), position=position)
    return blob_response(attachment.blob, filename=attachment.name, inline=False, viewer=request.user,
                         about=document)


@login_required
@require_POST
def draft_attachments(request, draft_pk):
    """The drafter attaches files as attachments in separate files (phụ lục, văn bản kèm theo)."""
    draft = access.get_draft_for(request.user, draft_pk)
    try:
        added = services.add_attachments(actor=request.user, draft=draft,
                                         uploads=request.FILES.getlist("attachments"))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Đã đính kèm %(n)d tệp.") % {"n": len(added)})
        warn_active_content(request, [(a.name, a.blob) for a in added])
    return redirect("records:draft", pk=draft.pk)


@login_required
def draft_attachment(request, draft_pk, pk):
    draft = access.get_draft_for(request.user, draft_pk)
    attachment = get_object_or_404(draft.separate_attachments.select_related("blob"), pk=pk)
    return blob_response(attachment.blob, filename=attachment.name, inline=False, viewer=request.user, about=draft)


@login_required
@require_POST
def draft_attachment_remove(request, draft_pk, pk):
    draft = access.get_draft_for(request.user, draft_pk)
    attachment = get_object_or_404(draft.separate_attachments, pk=pk)
    try:
        services.remove_attachment(actor=request.user, attachment=attachment)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Đã bỏ tệp kèm theo “%(f)s”.") % {"f": attachment.name})
    return redirect("records:draft", pk=draft.pk)
