"""The register books (Decree 30, Annex IV) for the clerks who keep the registers: the page, its PDF
and Excel files, closing a period and the closed book's stored PDF."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from qlvb import access
from qlvb.audit.models import AccessLog
from qlvb.audit.services import log_access
from qlvb.core import dates
from qlvb.core.pagination import page_of
from qlvb.files.responses import blob_response

from . import book_exports as exports
from . import book_signatures, selectors, services
from .books import BOOKS, PERIOD_KINDS, Period, get_book, period_of
from .models import ClosedBook

PAGE_SIZE = 50
CONTENT_TYPES = {"pdf": "application/pdf",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _chosen(request, book):
    """The register and the period asked for: the newest register and this month by default."""
    if not access.keeps_registers(request.user):
        raise Http404
    registers = list(selectors.registers(request.user, book))
    if not registers:
        raise Http404(_("Không có sổ nào bạn được xem."))
    wanted = request.GET.get("register", "")
    register = access.get_register_for(request.user, wanted) if wanted.isdigit() and len(wanted) < 10 \
        else registers[0]
    if register.kind not in book.kinds:
        raise Http404
    return registers, register


def _period(request, register, errors=None) -> Period:
    get, today = request.GET, timezone.localdate()
    default_month = today.month if register.year == today.year else 12
    try:
        return period_of(register.year, kind=get.get("period", "month"), month=get.get("month", default_month),
                         quarter=get.get("quarter", 1), start=dates.parse_date(get.get("from")),
                         end=dates.parse_date(get.get("to")))
    except ValidationError as exc:
        if errors is not None:
            errors.extend(exc.messages)
        return period_of(register.year, kind="month", month=default_month)


@login_required
def book_page(request, book_key):
    book = get_book(book_key)
    registers, register = _chosen(request, book)
    errors = []
    period = _period(request, register, errors)
    page = page_of(selectors.documents(request.user, book, register, period), request.GET.get("page"),
                   per_page=PAGE_SIZE)
    rows = selectors.book_rows(request.user, book, register, period, page=page.object_list)
    book_signatures.mark(book.key, rows)
    query = urlencode({"register": register.pk, **dict(period.query)})
    closings = selectors.closings(register, book)
    return render(request, "documents/book.html", {
        "book": book, "books": BOOKS.values(), "registers": registers, "register": register, "period": period,
        "period_kinds": PERIOD_KINDS, "months": range(1, 13), "quarters": range(1, 5), "errors": errors,
        "page": page, "rows": rows, "query": query,
        "closing": next((c for c in closings if (c.start, c.end) == (period.start, period.end)), None),
        "closings": [(c, selectors.may_open_closed(request.user, c)) for c in closings],
        "hidden": selectors.hidden_count(request.user, book, register, period),
        "may_close": period.end <= timezone.localdate(),
        "upcoming": selectors.upcoming_number(register) if register.kind == register.Kind.INCOMING else None,
    })


@login_required
def book_file(request, book_key, fmt):
    """The book of the period as PDF or Excel, every row of the period (not one page)."""
    book = get_book(book_key)
    if fmt not in CONTENT_TYPES:
        raise Http404
    _registers, register = _chosen(request, book)
    period = _period(request, register)
    printed = exports.Printed(book, register, period, selectors.book_rows(request.user, book, register, period))
    content = exports.pdf(printed) if fmt == "pdf" else exports.xlsx(printed)
    log_access(person=request.user, action=AccessLog.Kind.EXPORT, obj=register,
               file_name=exports.file_name(printed, fmt))  # F-6.l: a printed book is an export
    return attachment(content, CONTENT_TYPES[fmt], exports.file_name(printed, fmt))


def attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    """A generated file as a download with its Vietnamese name (RFC 6266 `filename*`), never sniffed
    nor cached, as the stored files are served (`files.responses.blob_response`)."""
    from django.utils.http import content_disposition_header

    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Content-Security-Policy"] = "sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def close(request, book_key):
    book = get_book(book_key)
    _registers, register = _chosen(request, book)
    period = _period(request, register)
    back = f"{reverse('documents:book', args=[book.key])}?{urlencode({'register': register.pk, **dict(period.query)})}"
    try:
        services.close_book(actor=request.user, register=register, book=book, period=period)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(request, _("Đã khóa %(book)s, %(period)s.") % {"book": book.title, "period": period.label})
    return redirect(back)


@login_required
def closed_download(request, pk):
    """The PDF stored when the book was closed, to a reader of the register who may open all it lists."""
    closing = get_object_or_404(ClosedBook.objects.select_related("blob", "register"), pk=pk)
    access.get_register_for(request.user, closing.register_id)
    if not selectors.may_open_closed(request.user, closing):
        raise Http404
    name = f"{closing.get_book_display()} – {closing.register} – {closing.start:%d-%m-%Y} đến {closing.end:%d-%m-%Y}"
    return blob_response(closing.blob, filename=f"{name} (đã khóa).pdf", inline=False,
                         viewer=request.user, about=closing.register)
