from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qlvb import access
from qlvb.access import Action
from qlvb.audit import selectors as access_log
from qlvb.audit.models import AccessLog
from qlvb.audit.services import log_access
from qlvb.core import dates
from qlvb.core.pagination import page_of
from qlvb.files.responses import blob_response, warn_active_content
from qlvb.files.texts import ocr_blob_of, ocr_name, texts_for
from qlvb.organization.models import Field, Person, Unit

from . import selectors, services, signature, workflow
from .forms import DraftForm, RecordForm, RecordMetadataForm
from .models import OpinionRequest, Version, WorkRecord


def _errors(request, exc):
    messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))


@login_required
def record_list(request):
    access.require(request.user, Action.HANDLE_DOCUMENTS)
    status, q = request.GET.get("status", "open"), request.GET.get("q", "")[:200]
    records = selectors.my_records(request.user, status=status, q=q)
    return render(request, "records/list.html", {
        "page": page_of(records, request.GET.get("page"), searching=bool(q)), "status": status,
        "statuses": [*WorkRecord.Status.choices, ("all", _("Tất cả"))],
        "waiting": selectors.waiting_for(request.user)[:50],
        "opinions": selectors.opinions_for(request.user)[:50],
    })


@login_required
def record_new(request):
    from qlvb.archive.models import PlanItem
    from qlvb.archive.selectors import openable_items

    access.require(request.user, Action.HANDLE_DOCUMENTS)
    incoming_id = request.GET.get("incoming") or request.POST.get("incoming")
    incoming = access.get_incoming_for(request.user, incoming_id) if incoming_id else None
    plan_item_id = request.GET.get("plan_item") or request.POST.get("plan_item")
    plan_item = None
    if plan_item_id:
        plan_item = get_object_or_404(PlanItem.objects.select_related("plan", "heading"), pk=plan_item_id)
        if not access.can(request.user, Action.VIEW, plan_item.plan):
            raise Http404
    title = _("Xử lý văn bản %(n)s: %(s)s") % {"n": incoming.notation, "s": incoming.summary} if incoming else ""
    form = RecordForm(request.POST or None, plan_item=plan_item,
                      initial={"title": title[:500] or (plan_item.title if plan_item else ""),
                               "start_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            record = services.open_record(actor=request.user, incoming=incoming, plan_item=plan_item,
                                          **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            return redirect("records:detail", pk=record.pk)
    return render(request, "records/new.html", {
        "form": form, "incoming": incoming, "plan_item": plan_item,
        "plan_items": [] if plan_item else list(openable_items(request.user, timezone.localdate().year)),
    })


def submission_panel(person, record):
    """Nộp lưu on the record page: the deadline, the state of its submission, the owner's buttons."""
    from qlvb.archive import disposal, submission

    if not record.is_closed or not submission.must_submit(record):
        return None
    return {"due": submission.due_date(record), "archived": record.is_archived,
            "pending": submission.pending(record),
            "returned": record.submissions.filter(state="returned").order_by("-decided_at").first(),
            "keep": record.keep_requests.order_by("-requested_at").first(),
            "can_submit": not record.is_archived and access.can(person, Action.SUBMIT, record), "record": record,
            "disposal": disposal.disposed_by(record)}


@login_required
def record_detail(request, pk):
    record = access.get_record_for(request.user, pk)
    log_access(person=request.user, action=AccessLog.Kind.VIEW, obj=record)
    can_edit = access.can(request.user, Action.EDIT, record) and not record.is_closed
    rows, hidden = selectors.index_of(request.user, record)
    candidates = selectors.filing_candidates(request.user, record) if can_edit else ([], [])
    drafts = selectors.drafts_of(request.user, record)
    kept = set(record.documents.filter(kind="draft").values_list("version__draft_id", flat=True))
    return render(request, "records/detail.html", {
        "record": record, "access_panel": access_log.panel(request.user, record),
        "can_edit": can_edit, "rows": rows, "hidden": hidden, "kept": kept, "doc_count": len(rows) + hidden,
        "file_incoming": candidates[0], "file_outgoing": candidates[1],
        "metadata_form": RecordMetadataForm(instance=record) if can_edit else None,
        "drafts": drafts, "timeline": selectors.timeline(request.user, record),
        "incoming": selectors.linked_incoming(request.user, record),
        "people": Person.objects.filter(is_active=True, unit=record.unit).exclude(pk=record.owner_id),
        "submission_panel": submission_panel(request.user, record),
    })


@login_required
def record_close(request, pk):
    """The closing page: the checklist, the fixes of title, code and retention, the closing note."""
    from . import closing

    record = access.get_record_for(request.user, pk)
    access.require(request.user, Action.EDIT, record)
    if record.is_closed:
        return redirect("records:detail", pk=record.pk)
    if request.method == "POST":
        post = request.POST
        try:
            services.close_record(actor=request.user, record=record, note=post.get("note", ""),
                                  title=post.get("title"), code=post.get("code"), retention=post.get("retention"))
        except ValidationError as exc:
            _errors(request, exc)
            record.refresh_from_db()
        else:
            messages.success(request, _("Đã đóng hồ sơ; mục lục văn bản trong hồ sơ đã được lập."))
            return redirect("records:detail", pk=record.pk)
    return render(request, "records/close.html", {
        "record": record, "checks": closing.checklist(record, note=request.POST.get("note", ""), viewer=request.user),
        "typed": request.POST})


@login_required
@require_POST
def record_action(request, pk, action):
    from qlvb.incoming.models import IncomingDocument
    from qlvb.outgoing.models import OutgoingDocument

    from .models import RecordDocument

    record = access.get_record_for(request.user, pk)
    post = request.POST
    try:
        if action == "note":
            note = services.add_note(actor=request.user, record=record, text=post.get("text", ""),
                                     upload=request.FILES.get("file"))
            warn_active_content(request, [(note.file_name, note.blob)] if note.blob else [])
        elif action == "share":
            person = get_object_or_404(Person, pk=post.get("person") or 0, is_active=True)
            services.share(actor=request.user, record=record, person=person, can_edit=bool(post.get("can_edit")))
        elif action == "close":
            services.close_record(actor=request.user, record=record, note=post.get("note", ""))
        elif action == "update":
            form = RecordMetadataForm(post, instance=access.get_record_for(request.user, pk))  # a copy to validate
            if not form.is_valid():
                raise ValidationError(form.errors)
            services.update_record(actor=request.user, record=record, **{
                k: form.cleaned_data[k] for k in services.RECORD_FIELDS})
        elif action == "file":
            incoming = get_object_or_404(IncomingDocument, pk=post["incoming"]) if post.get("incoming") else None
            outgoing = get_object_or_404(OutgoingDocument, pk=post["outgoing"]) if post.get("outgoing") else None
            services.file_document(actor=request.user, record=record, incoming=incoming, outgoing=outgoing)
        elif action == "keep_draft":
            draft = get_object_or_404(selectors.drafts_of(request.user, record), pk=post.get("draft") or 0)
            services.file_document(actor=request.user, record=record, version=draft.latest)
        elif action == "unfile":
            entry = get_object_or_404(RecordDocument, pk=post.get("entry") or 0, record=record)
            services.unfile_document(actor=request.user, record=record, entry=entry)
        else:
            raise Http404
        messages.success(request, _("Đã cập nhật hồ sơ."))
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("records:detail", pk=record.pk)


@login_required
def draft_edit(request, pk, draft_pk=None):
    record = access.get_record_for(request.user, pk)
    access.require(request.user, Action.EDIT, record)
    draft = get_object_or_404(selectors.drafts_of(request.user, record), pk=draft_pk) if draft_pk else None
    latest = draft.latest if draft else None
    initial = {"body": latest.body} if latest else selectors.reply_recipients(request.user, record)
    form = DraftForm(request.POST or None, request.FILES or None, instance=draft, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draft = services.save_draft(
                actor=request.user, record=record, draft=draft, body=data["body"], upload=data["upload"],
                data={k: data[k] for k in services.DRAFT_FIELDS},
                recipients={k: data[k] for k in ("recipient_units", "recipient_people", "recipient_agencies")})
        except (ValidationError, PermissionDenied) as exc:
            _errors(request, exc)
        else:
            latest = draft.latest
            messages.success(request, _("Đã lưu phiên bản %(n)d; khi xong, bấm “Trình %(who)s”.") % {
                "n": latest.number, "who": selectors.submit_receiver(request.user, draft).named})
            warn_active_content(request, [(latest.file_name, latest.blob)] if data["upload"] else [])
            return redirect("records:draft", pk=draft.pk)
    return render(request, "records/draft_form.html", {"form": form, "record": record, "draft": draft})


@login_required
def draft_detail(request, pk):
    draft = access.get_draft_for(request.user, pk)
    log_access(person=request.user, action=AccessLog.Kind.VIEW, obj=draft)
    versions = list(draft.versions.select_related("author"))
    holder = draft.holder is not None and access.acts_for(request.user, draft.holder, draft.record.field_id)
    can_submit = access.can(request.user, Action.EDIT, draft.record) and workflow.allowed(draft, "submit")
    latest = versions[-1] if versions else None
    return render(request, "records/draft.html", {
        "draft": draft, "versions": versions, "latest": latest,
        "text": texts_for([latest.blob_id]).get(latest.blob_id) if latest and latest.blob_id else None,
        "access_panel": access_log.panel(request.user, draft),
        "steps": draft.steps.select_related("actor", "to"), "opinions": draft.opinions.select_related("person"),
        "can_edit": access.can(request.user, Action.EDIT, draft.record) and workflow.allowed(draft, "edit"),
        "can_submit": can_submit,
        "can_ask": access.can(request.user, Action.EDIT, draft.record) and workflow.allowed(draft, "ask_opinion"),
        "holder": holder, "can_approve": holder and workflow.allowed(draft, "approve"),
        "can_sign": holder and draft.holder_id == draft.signer_id and workflow.allowed(draft, "sign"),
        "can_issue": access.can(request.user, Action.ISSUE) and workflow.allowed(draft, "issue"),
        "colleagues": selectors.opinion_candidates(request.user, draft.record),
        "submit_to": selectors.submit_receiver(request.user, draft) if can_submit else None,
        "my_opinion": draft.opinions.filter(person=request.user, answered_at__isnull=True).first(),
        "today": timezone.localdate(), **_signature_context(request, draft),
    })


def _signature_context(request, draft) -> dict:
    """The signer's credentials for the "Duyệt ký" form, the remote request waited for, the signed PDF's check."""
    from qlvb.signing.models import Verification

    request_, waiting = draft.signature_request, signature.waiting(draft)
    mine = request_ is not None and request_.requested_by_id == request.user.pk
    credentials = list(signature.usable_credentials(request.user))
    return {
        "credentials": credentials, "needs_pin": any(c.backend != c.Backend.REMOTE for c in credentials),
        "waiting": waiting,
        "not_signed": signature.outcome_text(request_) if mine and not waiting and not draft.signed_blob_id
        and request_.status != request_.Status.SIGNED else "",
        "verification": Verification.objects.filter(pk=draft.signed_blob_id).first() if draft.signed_blob_id
        else None,
    }


@login_required
def signature_status(request, pk):
    """The "Chờ xác nhận trên điện thoại" box, polled by the page (htmx) while the phone has not answered;
    once the request ends the page reloads to show the signed draft or why it was not signed."""
    draft = access.get_draft_for(request.user, pk)
    if signature.waiting(draft) is None:
        response = HttpResponse("")
        response["HX-Refresh"] = "true"
        return response
    return render(request, "records/_signature_waiting.html", {"draft": draft, "waiting": draft.signature_request})


@login_required
def signed_file(request, pk):
    """The PDF the signer signed at "Duyệt ký" (inline, or a download with ?download=1)."""
    draft = access.get_draft_for(request.user, pk)
    if not draft.signed_blob_id:
        raise Http404
    return blob_response(draft.signed_blob, filename=f"du-thao-{draft.pk}-da-ky.pdf",
                         inline=not request.GET.get("download"), viewer=request.user, about=draft)


@login_required
@require_POST
def draft_action(request, pk, action):
    draft = access.get_draft_for(request.user, pk)
    try:
        if action == "ask":
            people = Person.objects.filter(pk__in=[int(i) for i in request.POST.getlist("people") if i.isdigit()])
            made = services.ask_opinion(actor=request.user, draft=draft, people=list(people),
                                        question=request.POST.get("question", ""),
                                        deadline=dates.date_or_refuse(request.POST.get("deadline"), _("Hạn góp ý")))
            messages.success(request, _asked(made))
            return redirect(f"{reverse('records:draft', args=[draft.pk])}#opinions")
        elif action == "answer":
            request_item = get_object_or_404(OpinionRequest, pk=request.POST.get("request") or 0, draft=draft)
            services.answer_opinion(actor=request.user, request=request_item, answer=request.POST.get("answer", ""))
            messages.success(request, _("Đã gửi ý kiến cho %(who)s.") % {"who": request_item.asked_by.named})
            return redirect(f"{reverse('records:draft', args=[draft.pk])}#opinions")
        elif action == "sign":
            draft = services.sign(actor=request.user, draft=draft, comment=request.POST.get("comment", ""),
                                  pin=request.POST.get("pin") or None, credential=request.POST.get("credential"))
            if signature.waiting(draft):
                messages.info(request, _("Đã gửi yêu cầu ký đến điện thoại: hãy xác nhận trên ứng dụng ký số."))
                return redirect("records:draft", pk=draft.pk)
        elif action in services.DECISIONS:
            draft = services.DECISIONS[action](actor=request.user, draft=draft,
                                               comment=request.POST.get("comment", ""))
        else:
            raise PermissionDenied
        messages.success(request, _decided(action, draft))
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("records:draft", pk=draft.pk)


def _asked(made) -> str:
    """"Đã xin ý kiến 2 người, hạn 05/12: …": how many, by when, whom."""
    made[0].refresh_from_db(fields=["deadline"])  # the form's text read back as a date
    values = {"n": len(made), "names": ", ".join(o.person.named for o in made)}
    if made[0].deadline:
        return _("Đã xin ý kiến %(n)d người, hạn %(d)s: %(names)s.") % {**values,
                                                                        "d": made[0].deadline.strftime("%d/%m")}
    return _("Đã xin ý kiến %(n)d người: %(names)s.") % values


def _decided(action, draft) -> str:
    """The message after a decision on a draft: who has it now and what comes next."""
    if action == "submit":
        if draft.holder_id == draft.signer_id:
            return _("Đã trình %(who)s, chờ duyệt ký.") % {"who": draft.holder.named}
        return _("Đã trình %(who)s, chờ duyệt rồi trình ký.") % {"who": draft.holder.named}
    if action == "approve":
        return _("Đã duyệt, trình %(who)s ký.") % {"who": draft.holder.named}
    if action == "sign":
        return _("Đã duyệt ký; dự thảo chờ văn thư cấp số, phát hành.")
    return _("Đã trả lại dự thảo cho %(who)s.") % {"who": draft.record.owner.named}


@login_required
def version_file(request, pk, number):
    draft = access.get_draft_for(request.user, pk)
    version = get_object_or_404(Version, draft=draft, number=number, blob__isnull=False)
    name = version.file_name or f"du-thao-v{number}"
    if request.GET.get("ocr") is not None:  # the searchable PDF/A made by OCR, beside the original
        return blob_response(ocr_blob_of(version.blob_id), filename=ocr_name(name), inline=False,
                             viewer=request.user, about=draft)
    return blob_response(version.blob, filename=name, inline=False, viewer=request.user, about=draft)


@login_required
def compare(request, pk):
    draft = access.get_draft_for(request.user, pk)
    versions = {v.number: v for v in draft.versions.all()}
    new = versions.get(int(request.GET.get("b", max(versions))))
    old = versions.get(int(request.GET.get("a", max(1, new.number - 1))))
    return render(request, "records/compare.html", {"draft": draft, "old": old, "new": new,
                                                    "rows": selectors.diff(old.body, new.body),
                                                    "versions": sorted(versions)})


@login_required
def approvals(request):
    """Leaders' and heads' control: what waits for their approval or signature; approve several at once."""
    access.require(request.user, Action.HANDLE_DOCUMENTS)
    field = Field.objects.filter(pk=request.GET.get("field") or 0).first()
    unit = Unit.objects.filter(pk=request.GET.get("unit") or 0).first()
    if request.method == "POST":
        done, failed = 0, []
        comment, pin = request.POST.get("comment", ""), request.POST.get("pin") or None
        for draft_id in request.POST.getlist("draft"):
            draft = access.get_draft_for(request.user, draft_id)
            try:
                if draft.holder_id == draft.signer_id:
                    services.sign(actor=request.user, draft=draft, comment=comment, pin=pin)
                else:
                    services.approve(actor=request.user, draft=draft, comment=comment)
                done += 1
            except (ValidationError, PermissionDenied) as exc:
                failed.append(f"{draft}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
                if "pin" in getattr(exc, "error_dict", {}) and pin:
                    break  # a wrong PIN: stop rather than spend the remaining attempts on the next drafts
        messages.success(request, _("Đã duyệt %(n)d dự thảo.") % {"n": done})
        for line in failed:
            messages.error(request, line)
        return redirect("records:approvals")
    return render(request, "records/approvals.html", {
        "drafts": selectors.waiting_for(request.user, field=field, unit=unit), "fields": Field.objects.all(),
        "units": Unit.objects.filter(is_active=True), "field": field, "unit": unit,
        "has_credential": signature.usable_credentials(request.user).exists()})
