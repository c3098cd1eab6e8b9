"""Number and notation of an outgoing document (Decree 30/2020, Annex I and III)."""

from django.conf import settings


def format_number(number: int) -> str:
    """Numbers under 10 are written with a leading zero: 05, 10, 123."""
    return str(number).zfill(getattr(settings, "QLVB_NUMBER_MIN_DIGITS", 2))


def build(*, number: int, document_type, agency, drafting_unit, mark: str = "") -> str:
    """Typed documents: `15/QĐ-SGTVT`; official letters (no type abbreviation): `16/SGTVT-VP`.

    A register with its own mark (the confidential series) writes it as the agency chose
    (`QLVB_MARKED_NOTATION`, default `01/M/SGTVT-VP`), so that two series never give the same
    number and notation in one year (Art 15.1)."""
    if document_type.abbreviation:
        code = f"{document_type.abbreviation}-{agency.short_name}"
    else:
        code = f"{agency.short_name}-{drafting_unit.abbreviation}"
    if mark:
        return settings.QLVB_MARKED_NOTATION.format(number=format_number(number), mark=mark, code=code)
    return f"{format_number(number)}/{code}"
