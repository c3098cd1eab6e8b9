"""Register counters (the only place document numbers are handed out) and the closing of register books."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import ClosedBook, Register

DEFAULT_REGISTERS = {
    # kind: [(code, name, confidential, mark)]. The confidential outgoing series has its own mark so that
    # its notations never repeat the normal series' (Decree 30 Art 15.1: số + ký hiệu unique in the year).
    Register.Kind.INCOMING: [("DEN", _("Sổ văn bản đến"), False, ""), ("DEN-MAT", _("Sổ văn bản đến mật"), True, "")],
    Register.Kind.OUTGOING: [("DI", _("Sổ văn bản đi"), False, ""), ("DI-MAT", _("Sổ văn bản đi mật"), True, "M")],
    # Copies (SY, TrS, SL) share one yearly series of their own (Annex I II.II.1.c).
    Register.Kind.COPY: [("SAO", _("Sổ bản sao"), False, ""), ("SAO-MAT", _("Sổ bản sao mật"), True, "M")],
}


def next_number(register: Register) -> int:
    """Take the register's next number. Must run inside the caller's transaction, which holds the
    counter row locked until it commits: concurrent callers wait, so numbers never repeat or skip;
    if the caller rolls back, the number is not used."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("next_number() must be called inside a transaction")
    # One statement that increments, locks the row and returns the number (PostgreSQL, SQLite 3.35+).
    with connection.cursor() as cursor:
        cursor.execute("UPDATE documents_register SET last_number = last_number + 1 WHERE id = %s"
                       " RETURNING last_number", [register.pk])
        (register.last_number,) = cursor.fetchone()
    return register.last_number


def registers_for_year(*, agency, kind: str, year: int) -> list[Register]:
    """The year's registers, opened on first use from last year's (same codes, names and keepers)."""
    current = list(Register.objects.filter(agency=agency, kind=kind, year=year, is_active=True))
    if current:
        return current
    previous = Register.objects.filter(agency=agency, kind=kind, year__lt=year, is_active=True)
    last_year = previous.order_by("-year").values_list("year", flat=True).first()
    templates = [(r.code, r.name, r.is_confidential, r.mark, list(r.keepers.all()))
                 for r in previous.filter(year=last_year)] if last_year else [
        (code, name, conf, mark, []) for code, name, conf, mark in DEFAULT_REGISTERS[kind]]
    with transaction.atomic():
        for code, name, confidential, mark, keepers in templates:
            register, created = Register.objects.get_or_create(
                agency=agency, kind=kind, year=year, code=code,
                defaults={"name": name, "is_confidential": confidential, "mark": mark},
            )
            if created and keepers:
                register.keepers.set(keepers)
    return list(Register.objects.filter(agency=agency, kind=kind, year=year, is_active=True))


def export_search(*, actor, kind, criteria: dict, order: str = "", columns=(), file_format: str) -> tuple[bytes, str]:
    """The actor's search results as a file (Circular 01/2019 F-6.h), and its name: only documents the
    actor may open, in the chosen columns and order. More than `QLVB_SEARCH_EXPORT_MAX_ROWS` results
    are refused with the limit, so a file is built while the person waits; the export is in the audit
    trail (F-6.l, usage history)."""
    from django.conf import settings
    from django.utils import timezone

    from qlvb.access import Action, require
    from qlvb.audit.services import record

    from . import exports, search

    require(actor, Action.HANDLE_DOCUMENTS)
    if file_format not in exports.BUILDERS:
        raise ValidationError({"format": _("“Định dạng tệp” phải là xlsx, docx hoặc pdf.")})
    limit = settings.QLVB_SEARCH_EXPORT_MAX_ROWS
    documents = list(search.results(actor, kind, criteria, order=order, columns=columns)[:limit + 1])
    if len(documents) > limit:
        raise ValidationError(_("Kết quả tìm kiếm có hơn %(limit)s văn bản, quá số dòng được xuất một lần. "
                                "Hãy thu hẹp điều kiện tìm kiếm (ví dụ theo khoảng ngày) rồi xuất lại.")
                              % {"limit": limit})
    shown = search.columns_of(kind, columns)
    table = exports.Table(title=_("Kết quả tìm kiếm %(kind)s") % {"kind": str(kind.label).lower()},
                          criteria=search.describe(kind, criteria), headings=[str(c.label) for c in shown],
                          rows=search.rows(kind, documents, shown))
    content = exports.BUILDERS[file_format](table)
    with transaction.atomic():
        record(actor=actor, action="documents.search_exported",
               changes={"kind": kind.name, "format": file_format, "rows": len(documents),
                        "criteria": search.as_params(criteria)})
    return content, f"tim-kiem-{kind.name}-{timezone.localdate():%Y%m%d}.{file_format}"
def close_book(*, actor, register: Register, book, period) -> ClosedBook:
    """Close a register book for a period (khóa sổ, Decree 30 Art 16.2.b, 22.3.b): print it, keep the
    PDF in the file store under its SHA-256 with a fingerprint of each row, and record who closed it.

    Refused, naming the reason, when the period has not ended, is closed already, or holds documents
    the closer may not open (the book would be incomplete). Registering in a closed period stays
    possible: such rows are flagged on the book page, never refused."""
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from qlvb import access
    from qlvb.audit.services import record
    from qlvb.files.storage import PDF_ONLY, store

    from . import book_exports as exports
    from . import selectors

    register = access.get_register_for(actor, register.pk)  # 404 for a register the actor may not read
    if register.kind not in book.kinds:
        raise ValidationError({"book": _("Sổ này không dùng cho loại sổ văn bản đã chọn.")})
    if period.end > timezone.localdate():
        raise ValidationError({"end": _("Chỉ khóa sổ khi kỳ đã kết thúc (đến ngày %(day)s).")
                               % {"day": period.end.strftime("%d/%m/%Y")}})
    hidden = selectors.hidden_count(actor, book, register, period)
    if hidden:
        raise ValidationError(_("Trong kỳ có %(n)s văn bản bạn không được xem: văn thư quản lý sổ khóa sổ này.")
                              % {"n": hidden})
    with transaction.atomic():
        # The register row is locked so that two clerks closing the same period do not both print it.
        Register.objects.select_for_update().filter(pk=register.pk).first()
        if selectors.closing_of(register, book, period):
            raise ValidationError(_("Sổ đã được khóa cho %(period)s.") % {"period": period.label})
        rows = selectors.book_rows(actor, book, register, period)
        printed = exports.Printed(book, register, period, rows)
        blob = store(ContentFile(exports.pdf(printed)), name=exports.ascii_name(printed, "pdf"), allowed=PDF_ONLY)
        # Hook for the signing module: sign `blob` with the agency's certificate here and keep the
        # signed file on the closing (Decree 30 Art 16.2.b: "signed and closed").
        closing = ClosedBook.objects.create(register=register, book=book.key, start=period.start, end=period.end,
                                            blob=blob, closed_by=actor,
                                            rows={str(r.document_id): r.fingerprint for r in rows})
        record(actor=actor, action="register.book_closed", obj=register, changes={
            "book": book.key, "start": period.start, "end": period.end, "sha256": blob.sha256,
            "rows": len(rows)})
    return closing
