"""Register counters: the only place document numbers are handed out."""

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
