"""The Annex VI fields the clerk adds at issuing (Decree 30/2020, PL VI part II, I.9–11, 15, 16): language,
page count, notes, number of copies issued and the reply due date. The draft carries none of them; the
rest of the table is copied from the draft or given by the system (`services.issue`)."""

import dataclasses
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qlvb.files import pdffiles
from qlvb.files.errors import FileCorrupted
from qlvb.files.storage import open_checked

NUMBER_MAX = 999  # Annex VI: PageAmount and IssuedAmount are Number(3)


@dataclasses.dataclass(kw_only=True)
class IssueMetadata:
    language: str = ""
    page_count: int | None = None  # ignored when the issued file is a PDF: its pages are counted
    notes: str = ""
    issued_amount: int | None = None  # default: one copy per recipient
    reply_due: date | None = None


def resolve(metadata: IssueMetadata | None, *, blob, issued_on: date, recipients: int) -> dict:
    """The fields as stored, or a ValidationError naming the field that is wrong."""
    metadata = metadata or IssueMetadata()
    language = (metadata.language or "").strip() or settings.QLVB_DOCUMENT_LANGUAGE
    if len(language) > 30:
        raise ValidationError({"language": _("Ngôn ngữ: tối đa 30 ký tự.")})
    notes = (metadata.notes or "").strip()
    if len(notes) > 500:
        raise ValidationError({"notes": _("Ghi chú: tối đa 500 ký tự.")})
    page_count = pdf_pages(blob) or _number(metadata.page_count, "page_count", _("Số trang"))
    issued_amount = _number(metadata.issued_amount, "issued_amount", _("Số lượng bản phát hành"))
    if metadata.reply_due is not None and metadata.reply_due < issued_on:
        raise ValidationError({"reply_due": _("Hạn trả lời văn bản: không được trước ngày ban hành (%(d)s).")
                               % {"d": issued_on.strftime("%d/%m/%Y")}})
    return {"language": language, "notes": notes, "page_count": page_count,
            "issued_amount": issued_amount or max(recipients, 1), "reply_due": metadata.reply_due}


def pdf_pages(blob) -> int | None:
    """Pages of the issued file when it is a PDF (counted, never typed)."""
    if blob is None or blob.content_type != "application/pdf":
        return None
    try:
        with open_checked(blob) as handle:  # on the local disk or in S3 alike
            return pdffiles.page_count(handle)
    except FileCorrupted:
        return None


def _number(value, field, label) -> int | None:
    if value in (None, ""):
        return None
    try:
        value = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: _("%(f)s: nhập một số nguyên.") % {"f": label}}) from None
    if not 1 <= value <= NUMBER_MAX:
        raise ValidationError({field: _("%(f)s: từ 1 đến %(max)d.") % {"f": label, "max": NUMBER_MAX}})
    return value
