from functools import lru_cache

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qlvb import access
from qlvb.access import Action
from qlvb.assignments import routing
from qlvb.assignments import selectors as inbox_selectors
from qlvb.assignments import services as assignment_services
from qlvb.assignments.models import Assignment, governing_deadline
from qlvb.audit import selectors as access_log
from qlvb.audit.models import AccessLog
from qlvb.audit.printing import print_response
from qlvb.audit.services import log_access
from qlvb.core import dates
from qlvb.core.pagination import page_of
from qlvb.core.request_memo import compiled_objects
from qlvb.documents.models import DocumentType, Urgency
from qlvb.documents.selectors import upcoming_number
from qlvb.files.errors import FileRejected
from qlvb.files.models import Blob
from qlvb.files.responses import blob_response, warn_active_content
from qlvb.files.storage import FileCorrupted, store
from qlvb.files.texts import ocr_name
from qlvb.organization.models import Person
from qlvb.signing import selectors as signing_selectors

from . import duplicates, scan, selectors, services
from .duplicates import Candidate, DuplicateSuspected
from .forms import CancelForm, EditForm, RegisterForm
from .models import IncomingDocument

PAGE_SIZE = 25
TABS = {
    "todo": _("Cần xử lý"),
    "following": _("Đang theo dõi"),
    "overdue": _("Quá hạn"),
    "info": _("Để biết"),
    "done": _("Đã xử lý"),
    "unit": _("Của đơn vị"),
    "unit_overdue": _("Đơn vị quá hạn"),
}


def _filters(request) -> inbox_selectors.Filters:
    get = request.GET
    return inbox_selectors.Filters(
        q=get.get("q", "")[:200], urgency=get.get("urgency", ""), state=get.get("state", ""),
        document_type=int(get["type"]) if get.get("type", "").isdigit() else None,
        issuer=get.get("issuer", "")[:100], date_from=dates.parse_date(get.get("from")),
        date_to=dates.parse_date(get.get("to")),
        handler=int(get["handler"]) if get.get("handler", "").isdigit() else None,
        due=get.get("due", "") if get.get("due") in ("soon",) else "",
    )


@login_required
def inbox(request):
    access.require(request.user, Action.HANDLE_DOCUMENTS)
    person, tab = request.user, request.GET.get("tab", "todo")
    unit = _unit_of(request)
    is_head = unit is not None
    if tab not in TABS or (tab.startswith("unit") and not is_head):
        tab = "todo"
    counts = inbox_selectors.counts(person)
    filters, ordering = _filters(request), request.GET.get("sort", "-created")
    held = access.delegations_held(person)
    acting = next((d for d in held if str(d.delegator_id) == request.GET.get("for")), None)
    if acting:
        tab = "todo"

    def items():
        if acting:
            items = inbox_selectors.inbox(person, "todo", filters, ordering, holder=acting.delegator)
            fields = [f.pk for f in acting.fields.all()]
            return items.filter(document__field__in=fields) if fields else items
        if tab == "overdue":
            return inbox_selectors.overdue(person, filters)
        if tab == "unit":
            return inbox_selectors.unit_items(person, unit, filters=filters, ordering=ordering)
        if tab == "unit_overdue":
            return inbox_selectors.unit_items(person, unit, overdue_only=True, filters=filters)
        return inbox_selectors.inbox(person, tab, filters, ordering)

    page = inbox_selectors.page(person, items, request.GET.get("page"), filters=filters, per_page=PAGE_SIZE,
                                which=(tab, unit and unit.pk, acting and acting.delegator_id, ordering))
    shows_unit_overdue = tab == "unit_overdue" and not acting and filters == inbox_selectors.Filters()
    context = {
        "tab": tab, "unit_tab": tab.startswith("unit"),
        "tabs": {k: v for k, v in TABS.items() if (is_head or not k.startswith("unit"))
                 and (k != "following" or counts["following"] or tab == k or is_head)},
        "following_tab": tab == "following",
        "page": page, "rows": _rows(page, viewer=person, following=tab == "following"),
        "filters": filters, "sort": ordering,
        "delegations": held, "acting": acting,
        "counts": counts, "unit_counts": _unit_counts(person, unit, page if shows_unit_overdue else None)
        if is_head else {}, "urgencies": _labels(Urgency),
        "unit": unit if unit is not None and unit.pk != person.unit_id else None,
        "states": _labels(Assignment.State),
        "types": compiled_objects(("document-types",), lambda: DocumentType.objects.filter(is_active=True)),
        "handlers": Person.objects.filter(unit=unit, is_active=True).select_related(None).only("full_name")
        if is_head else [],
        "can_register": access.can(person, Action.REGISTER_INCOMING),
    }
    template = "incoming/_inbox_table.html" if request.headers.get("HX-Request") else "incoming/inbox.html"
    return render(request, template, context)


def _rows(page, *, viewer=None, following=False):
    """The list rows with their labels. Labels are looked up once per page: Django's get_FOO_display
    hashes every lazily translated choice on each call, which cost a page of 25 rows ~10 ms."""
    from django.utils import timezone

    today = timezone.localdate()
    detail = reverse("incoming:detail", args=[0]).removesuffix("0/") + "{}/"  # one look-up, not one a row
    holders = inbox_selectors.holders_below(viewer, page) if following else {}
    roles, states, urgencies = (dict(_translated(choices, get_language()))
                                for choices in (Assignment.Role, Assignment.State, Urgency))
    return [{"a": a, "role": roles[a.role], "state": states[a.state], "urgency": urgencies.get(a.document.urgency),
             "sent_at": timezone.localtime(a.created_at).strftime("%d/%m/%Y %H:%M"),
             "url": detail.format(a.document_id),
             "deadline": None if a.role == Assignment.Role.INFO else governing_deadline(a),
             "holder": holders.get(a.pk),
             "status": inbox_selectors.item_status(a, today)} for a in page]


def _labels(choices) -> list[tuple[str, str]]:
    """A filter's options with their labels translated once (the template would resolve each lazy label
    at every use)."""
    return list(_translated(choices, get_language()))


@lru_cache(maxsize=64)
def _translated(choices, language) -> tuple[tuple[str, str], ...]:
    """The (value, label) pairs of model choices in a language, translated once per process."""
    return tuple((value, str(label)) for value, label in choices.choices)


def _unit_counts(person, unit, unfiltered_page=None) -> dict:
    """The unit tab's badge: the unit's overdue work, the length of that tab's list (counted already
    when that list, unfiltered, is the page shown)."""
    if unfiltered_page is not None:
        return {"unit_overdue": unfiltered_page.paginator.count}
    return {"unit_overdue": inbox_selectors.unit_items(person, unit, overdue_only=True).count()}


def _unit_of(request):
    """The unit whose tabs the person sees: a head's own; leaders and clerks, who follow up for the
    agency, any unit they open from the dashboard (`?unit=`), else their own. Lists start from their
    visible set whatever the unit."""
    from qlvb.organization.models import Unit

    person, wanted = request.user, request.GET.get("unit", "")
    if person.has_role("leader", "clerk") and wanted.isdigit():
        return get_object_or_404(Unit, pk=wanted)
    return person.unit if person.has_role("head", "leader") and person.unit_id else None


@login_required
def register(request):
    access.require(request.user, Action.REGISTER_INCOMING)
    registers = selectors.registers_for(request.user)
    form = RegisterForm(request.POST or None, request.FILES or None, registers=registers)
    duplicates = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            document = services.register_incoming(
                actor=request.user, data=_incoming_data(data), send_to=data["send_to"],
                instruction=data["instruction"], confirm_duplicate=data["confirm_duplicate"])
        except DuplicateSuspected as exc:
            duplicates = exc.duplicates
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("Đã vào sổ văn bản đến số %(n)d và trình %(to)s.") % {
                "n": document.arrival_number, "to": document.assignments.get(parent=None).receiver.named})
            expected = request.POST.get(f"expected_{document.register_id}", "")
            if expected.isdigit() and int(expected) != document.arrival_number:
                messages.warning(request, _("Số đến %(old)s đã được cấp cho văn bản khác trong lúc bạn nhập: văn "
                                            "bản này nhận số %(new)d.") % {"old": expected,
                                                                          "new": document.arrival_number})
            warn_active_content(request, [(a.name, a.blob) for a in document.attachments.select_related("blob")])
            return redirect("incoming:detail", pk=document.pk)
    return render(request, "incoming/register.html", {"form": form, "duplicates": duplicates},
                  status=400 if request.method == "POST" else 200)


def show_errors(form, exc: ValidationError):
    """A service's refusal on the form: at the field it names when the form has it, else on top."""
    items = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for name, errors in items:
        for message in errors:
            form.add_error(name if name in form.fields else None, message)


@login_required
def edit(request, pk):
    """The clerk corrects the metadata typed at registration."""
    access.require(request.user, Action.REGISTER_INCOMING)
    document = access.get_incoming_for(request.user, pk)
    form = EditForm(request.POST or None, instance=document)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_incoming(actor=request.user, document=document, changes=_corrections(form, document))
        except ValidationError as exc:
            show_errors(form, exc)
        else:
            messages.success(request, _("Đã sửa thông tin văn bản đến."))
            return redirect("incoming:detail", pk=document.pk)
    return render(request, "incoming/edit.html", {"form": form, "document": document},
                  status=400 if request.method == "POST" else 200)


CODE_FIELDS = ("notation", "code_number", "code_notation")


def _corrections(form, document) -> dict:
    """What the edit form changes. Number and notation only when touched: as the two parts when given,
    else as printed (how a row flagged 'cần sửa số, ký hiệu' gets fixed)."""
    data = form.cleaned_data
    changes = {name: data[name] for name in form.Meta.fields if name not in CODE_FIELDS}
    if any((data[name] or "") != getattr(document, name) for name in CODE_FIELDS):
        changes |= {name: data[name] for name in ("code_number", "code_notation")} \
            if data["code_number"] or data["code_notation"] else {"notation": data["notation"]}
    return changes


def _incoming_data(data) -> services.IncomingData:
    return services.IncomingData(
        register=data["register"], issuer_name=data["issuer_name"], issuer_code=data.get("issuer_code", ""),
        document_identifier=data.get("document_identifier", ""),
        notation=data.get("notation", ""), code_number=data.get("code_number", ""),
        code_notation=data.get("code_notation", ""), issued_on=data["issued_on"],
        document_type=data["document_type"], summary=data["summary"], arrived_at=data.get("arrived_at"),
        signer_position=data.get("signer_position", ""), signer_name=data.get("signer_name", ""),
        urgency=data["urgency"],
        confidentiality=data["confidentiality"], page_count=data.get("page_count"), medium=data["medium"],
        deadline=data.get("deadline"), notes=data.get("notes", ""), field=data.get("field"),
        files=data.get("files") or [],
    )


@login_required
@require_POST
def read_scan(request):
    """HTMX: the scan the clerk has just picked on the registration form, read into suggestions for the
    fields she has not filled (the page fills them; nothing is registered until she submits)."""
    access.require(request.user, Action.REGISTER_INCOMING)
    upload = next(iter(request.FILES.getlist("files")), None)
    if upload is None:
        return render(request, "incoming/_scan_suggestions.html",
                      {"reading": None, "error": _("Chọn tệp bản quét trước.")})
    try:
        blob = store(upload, name=upload.name)
    except FileRejected as exc:
        return render(request, "incoming/_scan_suggestions.html", {"reading": None, "error": " ".join(exc.messages)})
    # Only the scans this session sent may be polled: a file's hash alone (shown on document pages)
    # must not open another document's text.
    request.session["read_scans"] = [*request.session.get("read_scans", [])[-19:], blob.pk]
    return render(request, "incoming/_scan_suggestions.html", {"reading": scan.read(blob), "error": ""})


@login_required
def scan_suggestions(request, sha256):
    """HTMX: polled while the scan is read by OCR in the task queue."""
    access.require(request.user, Action.REGISTER_INCOMING)
    if sha256 not in request.session.get("read_scans", []):
        raise Http404
    blob = get_object_or_404(Blob, pk=sha256)
    return render(request, "incoming/_scan_suggestions.html", {"reading": scan.read(blob), "error": ""})


@login_required
def check_duplicate(request):
    """HTMX: warns the clerk while typing that the document may already be registered."""
    access.require(request.user, Action.REGISTER_INCOMING)
    get = request.GET
    number, notation = get.get("code_number", "").strip(), get.get("code_notation", "").strip()
    candidate = Candidate(
        notation=f"{number}/{notation}" if number and notation else get.get("notation", "")[:100],
        issuer_name=get.get("issuer_name", "")[:255], issuer_code=get.get("issuer_code", "")[:35],
        document_identifier=get.get("document_identifier", "")[:150])
    has_agency = candidate.issuer_name.strip() or candidate.issuer_code.strip()
    found = duplicates.find(request.user, candidate) if has_agency or candidate.document_identifier else None
    return render(request, "incoming/_duplicates.html", {"duplicates": found})


@login_required
def routing_for_registration(request):
    """HTMX: the leader to present to, suggested from the issuer and summary the clerk has typed."""
    access.require(request.user, Action.REGISTER_INCOMING)
    suggestions = routing.for_presenting(request.user, issuer_name=request.GET.get("issuer_name", "")[:255],
                                         summary=request.GET.get("summary", "")[:1000])
    return render(request, "assignments/_routing.html", {"suggestions": suggestions, "select": "send_to"})


@login_required
def routing_for_presenting(request, pk):
    """HTMX: the leader to present the document to again (the clerk, while it waits to be presented)."""
    document = access.get_incoming_for(request.user, pk)
    if not routing.may_present(request.user, document):
        raise Http404
    return render(request, "assignments/_routing.html",
                  {"suggestions": routing.for_presenting(request.user, document), "select": "receiver"})


@login_required
def register_book(request):
    access.require(request.user, Action.VIEW_REGISTER)
    registers = selectors.registers_for(request.user)
    if not registers:
        raise Http404
    chosen = next((r for r in registers if str(r.pk) == request.GET.get("register")), registers[0])
    get = request.GET
    documents = selectors.register_book(request.user, chosen, q=get.get("q", "")[:200],
                                        status=get.get("status", ""), date_from=dates.parse_date(get.get("from")),
                                        date_to=dates.parse_date(get.get("to")))
    page = page_of(documents, get.get("page"), searching=bool(get.get("q")), per_page=PAGE_SIZE)
    return render(request, "incoming/register_book.html", {
        "registers": registers, "chosen": chosen, "page": page, "statuses": IncomingDocument.Status.choices,
        "upcoming": upcoming_number(chosen),
    })


@login_required
def detail(request, pk):
    document = access.get_incoming_for(request.user, pk)
    log_access(person=request.user, action=AccessLog.Kind.VIEW, obj=document)
    holding = [assignment_services.mark_seen(actor=request.user, assignment=item)
               for item in inbox_selectors.holding(request.user, document)]
    kept = request.session.pop("kept_form", None)
    open_document = document.status not in (IncomingDocument.Status.CANCELLED, IncomingDocument.Status.WITHDRAWN)
    return render(request, "incoming/detail.html", {
        "document": document, "access_panel": access_log.panel(request.user, document),
        "attachments": _with_signatures(access.incoming_files_for(request.user, document).select_related("blob")),
        "files_hidden": access.incoming_files_hidden(request.user, document),
        "can_withdraw": open_document and access.can(request.user, Action.RECALL, document),
        "tree": inbox_selectors.tree(document),
        "holding": [_actions(request.user, a, kept) for a in holding],
        "can_extend": open_document and document.deadline is not None and document.status != document.Status.DONE
        and access.can(request.user, Action.EXTEND_DEADLINE, document),
        "left_open": inbox_selectors.left_open_rows(request.user, document)
        if document.status == IncomingDocument.Status.DONE else [],
        "recallable": inbox_selectors.sent_by(request.user, document),
        "replies": access.visible_outgoing(request.user).filter(replies_to=document).order_by("issued_at"),
        "can_cancel": access.can(request.user, Action.CANCEL, document) and open_document,
        "can_edit": access.can(request.user, Action.REGISTER_INCOMING) and open_document,
        "can_present": routing.may_present(request.user, document),
        "leaders": Person.objects.filter(position__role="leader", is_active=True).order_by("position__rank"),
    })


def _with_signatures(attachments) -> list:
    """The attachments, each with the stored check of its signatures (`verification`; None while the
    check is queued, or for a file that is not a PDF)."""
    from qlvb.files.texts import texts_for

    attachments = list(attachments)
    checks = signing_selectors.verifications_for(a.blob_id for a in attachments)
    texts = texts_for(a.blob_id for a in attachments)  # reading the text: progress, failure, the OCR'd PDF
    for item in attachments:
        item.verification = checks.get(item.blob_id)
        item.text = texts.get(item.blob_id)
    return attachments


@login_required
def print_view(request, pk):
    """The print-friendly page, marked on every printed page (F-6.k), the print recorded (F-6.l)."""
    document = access.get_incoming_for(request.user, pk)
    return print_response(request, document, "incoming/print.html", {
        "document": document, "attachments": access.incoming_files_for(request.user, document)})


def _actions(person, assignment, kept=None):
    """The action card of one item the person holds; `kept`: what they typed before a refusal."""
    from django.utils import timezone

    from qlvb.assignments import workflow
    from qlvb.assignments.selectors import forward_candidates

    can_forward = workflow.allowed(assignment, "forward") and access.can(person, Action.FORWARD, assignment)
    kept = kept if kept and kept.get("assignment") == assignment.pk else {}
    today = timezone.localdate()
    return {
        "a": assignment,
        "can": {action: workflow.allowed(assignment, action)
                for action in ("pending", "update", "complete", "return")},
        "forward": _forward_rows(forward_candidates(person), kept.get("roles", {})) if can_forward else None,
        "kept": kept,
        # A date the form accepts: never a day already past (the item's own deadline may be).
        "prefill": kept.get("deadline") or dates.shown(max(assignment.deadline, today) if assignment.deadline else ""),
        "document_deadline": assignment.document.deadline,
        "document_overdue": bool(assignment.document.deadline and assignment.document.deadline < today),
    }


def _forward_rows(candidates, chosen) -> list[dict]:
    rows = [{"key": "p", "obj": p, "label": p.full_name, "sub": p.position} for p in candidates["leaders"]]
    rows += [{"key": "u", "obj": u, "label": u.name, "sub": _("cả đơn vị")} for u in candidates["units"]]
    rows += [{"key": "p", "obj": p, "label": p.full_name, "sub": p.title} for p in candidates["people"]]
    for row in rows:
        row["chosen"] = chosen.get(f"role_{row['key']}_{row['obj'].pk}", "")
    return rows


@login_required
def attachment(request, pk, attachment_pk):
    document = access.get_incoming_for(request.user, pk)
    item = get_object_or_404(access.incoming_files_for(request.user, document).select_related("blob"),
                             pk=attachment_pk)
    blob, name = item.blob, item.name
    if request.GET.get("ocr") is not None:  # the searchable PDF/A made by OCR, beside the original
        from qlvb.files.models import FileText

        text = get_object_or_404(FileText.objects.select_related("ocr_blob"), pk=item.blob_id, ocr_blob__isnull=False)
        blob, name = text.ocr_blob, ocr_name(item.name)
    try:
        return blob_response(blob, filename=name, inline=request.GET.get("download") is None,
                             viewer=request.user, about=document)
    except FileCorrupted:
        messages.error(request, _("Tệp “%(name)s” đã bị thay đổi hoặc hỏng so với lúc lưu, không thể mở. "
                                  "Quản trị hệ thống đã được ghi nhận sự cố.") % {"name": item.name})
        from qlvb.audit.services import record

        record(actor=request.user, action="files.corrupted", obj=document, changes={"blob": item.blob_id})
        return redirect("incoming:detail", pk=document.pk)


@login_required
@require_POST
def cancel(request, pk):
    document = access.get_incoming_for(request.user, pk)
    form = CancelForm(request.POST)
    try:
        services.cancel_registration(actor=request.user, document=document,
                                     reason=form.data.get("reason", ""))
        messages.success(request, _("Đã hủy đăng ký; số đến %(n)d được giữ lại và đánh dấu hủy.")
                         % {"n": document.arrival_number})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("incoming:detail", pk=document.pk)


@login_required
@require_POST
def present(request, pk):
    document = access.get_incoming_for(request.user, pk)
    receiver = get_object_or_404(Person, pk=request.POST.get("receiver") or 0, is_active=True)
    try:
        services.present_again(actor=request.user, document=document, receiver=receiver,
                               instruction=request.POST.get("instruction", ""))
        messages.success(request, _("Đã trình lại %(name)s.") % {"name": receiver.named})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("incoming:detail", pk=document.pk)


@login_required
@require_POST
def withdraw(request, pk):
    """The clerk (or a leader) withdraws the document on its issuer's recall order, with a reason."""
    document = access.get_incoming_for(request.user, pk)
    try:
        services.withdraw(actor=request.user, incoming=document, reason=request.POST.get("reason", ""),
                          order_reference=request.POST.get("order_reference", ""))
        messages.success(request, _("Đã thu hồi văn bản đến số %(n)d.") % {"n": document.arrival_number})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("incoming:detail", pk=document.pk)
