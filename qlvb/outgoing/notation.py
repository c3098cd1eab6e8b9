"""Number and notation of an outgoing document (Decree 30/2020, Annex I and III)."""

from django.conf import settings


def format_number(number: int) -> str:
    """Numbers under 10 are written with a leading zero: 05, 10, 123."""
    return str(number).zfill(getattr(settings, "QLVB_NUMBER_MIN_DIGITS", 2))


def build(*, number: int, document_type, agency, drafting_unit) -> str:
    """Typed documents: `15/QĐ-SGTVT`; official letters (no type abbreviation): `16/SGTVT-VP`."""
    if document_type.abbreviation:
        return f"{format_number(number)}/{document_type.abbreviation}-{agency.short_name}"
    return f"{format_number(number)}/{agency.short_name}-{drafting_unit.abbreviation}"
