"""Register counters: the only place document numbers are handed out."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Register

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
