"""What a document says, independent of how it is drawn: the fields of the Annex I layout."""

import dataclasses
import datetime
import re

from django.conf import settings


@dataclasses.dataclass(frozen=True)
class DocumentData:
    """The fields of an outgoing document as the Annex I layout places them (ô 1–9)."""

    agency_name: str
    parent_agency_name: str
    place_name: str
    type_name: str
    summary: str
    body: str = ""
    is_official_letter: bool = False  # công văn: no type name, the summary follows "V/v" under the number
    authority_lines: tuple[str, ...] = ()  # ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC")
    signer_name: str = ""
    recipients: tuple[str, ...] = ()  # "Nơi nhận", one line each, the last "- Lưu: VT, QLVT, 02."

    def context(self) -> dict:
        """The names a template (HTML or Word) may use."""
        paragraphs = [line.strip() for line in self.body.splitlines() if line.strip()]
        return {**dataclasses.asdict(self), "paragraphs": paragraphs, "items": [_item(p) for p in paragraphs]}


ARTICLE = re.compile(r"^(Điều \d+\.)\s*(.*)$")


def _item(paragraph: str) -> dict:
    """A paragraph with its lead set apart ("Điều 1.", "QUYẾT ĐỊNH:"), for templates that set it in bold."""
    if paragraph.endswith(":") and paragraph == paragraph.upper():
        return {"lead": paragraph, "text": ""}
    match = ARTICLE.match(paragraph)
    return {"lead": match.group(1), "text": match.group(2)} if match else {"lead": "", "text": paragraph}


def date_line(place: str, day: datetime.date) -> str:
    """`Bắc Kạn, ngày 05 tháng 01 năm 2026`: days under 10 and months 1–2 padded, others not
    (Decree 30, Annex I II.4)."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def archive_line(unit_abbreviation: str) -> str:
    """The last line of "Nơi nhận": `- Lưu: VT, QLVT, 02.` (Annex I II.9; copies: QLVB_ARCHIVE_COPIES)."""
    copies = getattr(settings, "QLVB_ARCHIVE_COPIES", 2)
    return f"- Lưu: VT, {unit_abbreviation}, {copies:02d}."


def signature_lines(authority: str, signing_form: str, title: str) -> tuple[str, ...]:
    """`KT. GIÁM ĐỐC` / `PHÓ GIÁM ĐỐC`; the acting head signs as `Q. GIÁM ĐỐC` only (as
    OutgoingDocument.signature_block)."""
    lines = [authority] if authority else []
    if signing_form != "Q." and title:
        lines.append(title.upper())
    return tuple(line for line in lines if line)


def data_for(draft) -> DocumentData:
    """The fields of a draft as it would be issued today (signer, authority, agency, recipients)."""
    from qlvb.organization.models import Agency
    from qlvb.records import signing

    agency = Agency.objects.get()
    signer = draft.signer
    names = [*(f"- {unit.name};" for unit in draft.recipient_units.all()),
             *(f"- {agency_.name};" for agency_ in draft.recipient_agencies.all()),
             *(f"- {person.full_name or person.username};" for person in draft.recipient_people.all())]
    latest = draft.latest
    return DocumentData(
        agency_name=agency.name, parent_agency_name=agency.parent_name, place_name=agency.place_name,
        type_name=draft.document_type.name, summary=draft.summary, body=latest.body if latest else "",
        is_official_letter=draft.document_type.is_official_letter,
        authority_lines=signature_lines(signing.authority_line(draft), draft.signing_form,
                                        str(signer.position or "")),
        signer_name=signer.full_name or signer.username,
        recipients=(*names, archive_line(draft.record.unit.abbreviation)),
    )
