"""Registration from the scan (issue 12 item 3), the Django side: the clerk picks the scan on the
registration form, the page sends it here (HTMX) and shows what `suggest` read, filling the fields she
has left empty. Nothing is registered from here: the file is stored (content-addressed, so the same file
sent again with the form is the same Blob) and its text read — synchronously only from a PDF's text layer
(pypdf, milliseconds); a scan without text is queued for OCR (`files.texts.request_text`, the task that
reads every attached file) and the page polls until `FileText` is done."""

import dataclasses

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from qlvb.documents.models import DocumentType, ExternalAgency
from qlvb.files import storage, textract
from qlvb.files.models import Blob, FileText
from qlvb.files.texts import request_text

from .suggest import Suggestion, suggest

FIELDS = {  # form field: label shown in the list of suggestions
    "issuer_name": _lazy("Cơ quan ban hành"), "issuer_code": _lazy("Mã định danh cơ quan"),
    "notation": _lazy("Số, ký hiệu"), "issued_on": _lazy("Ngày văn bản"), "document_type": _lazy("Loại văn bản"),
    "summary": _lazy("Trích yếu"), "signer_position": _lazy("Chức vụ người ký"), "signer_name": _lazy("Người ký"),
}


@dataclasses.dataclass
class ScanReading:
    blob: Blob
    pending: bool = False  # OCR queued or running: poll again
    error: str = ""
    fields: list[dict] = dataclasses.field(default_factory=list)  # {name, label, value, shown, percent, matched}


def read(blob: Blob) -> ScanReading:
    """What the scan says, or that its text is not read yet."""
    row = FileText.objects.filter(pk=blob.pk).first()
    if row and row.state == FileText.State.DONE:
        if not row.text.strip():
            return ScanReading(blob, error=row.reason or _("Không đọc được chữ nào trong bản quét."))
        return ScanReading(blob, fields=suggestion_fields(row.text))
    if row and row.state == FileText.State.FAILED:
        return ScanReading(blob, error=row.reason)
    if blob.content_type == "application/pdf" and not row:
        text = _text_layer(blob)
        if text is not None:
            return ScanReading(blob, fields=suggestion_fields(text))
    if blob.content_type != "application/pdf" and blob.content_type not in textract.IMAGES:
        return ScanReading(blob, error=_("Chỉ đọc được bản quét PDF hoặc ảnh (PNG, JPEG, TIFF)."))
    request_text([blob])  # OCR in the task queue, after COMMIT; the page asks again
    return ScanReading(blob, pending=True)


def _text_layer(blob: Blob) -> str | None:
    """The PDF's text layer when it has one (a document printed to PDF, not a scan), else None."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        with storage.open_checked(blob) as handle:
            pages = [page.extract_text() or "" for page in PdfReader(handle).pages[:20]]
    except (PyPdfError, ValueError, KeyError, TypeError, RecursionError, storage.FileCorrupted):
        return None
    letters = sum(ch.isalnum() for page in pages for ch in page)
    return "\n".join(pages) if pages and letters >= textract.MIN_CHARS_PER_PAGE * len(pages) else None


def suggestion_fields(text: str) -> list[dict]:
    agencies = {a.name: a for a in ExternalAgency.objects.filter(is_active=True).only("name", "identifier")}
    types = {t.name: t for t in DocumentType.objects.filter(is_active=True)}
    found = suggest(text, list(agencies), [(t.name, t.abbreviation) for t in types.values()])
    issuer = found.get("issuer_name")
    if issuer and issuer.value in agencies and agencies[issuer.value].identifier:
        found["issuer_code"] = Suggestion(agencies[issuer.value].identifier, issuer.confidence, issuer.matched)
    fields = []
    for name, label in FIELDS.items():
        suggestion = found.get(name)
        if suggestion is None:
            continue
        value = shown = suggestion.value
        if name == "issued_on":
            value = shown = suggestion.value.strftime("%d/%m/%Y")
        elif name == "document_type":
            value = types[suggestion.value].pk
        fields.append({"name": name, "label": label, "value": value, "shown": shown,
                       "percent": suggestion.percent, "matched": suggestion.matched})
    return fields
