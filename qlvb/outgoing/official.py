"""The issued document's PDF (issue 14): the leader-signed PDF (or the draft rendered, when the leader did
not sign digitally) with the number and date line written in their boxes, then the agency's signature
with its seal over the left third of the leader's signature (Decree 30 Art 5, Annex I §1.6).

The number and date are written by `pades.place_text` as one incremental update, so the leader's
signature stays valid; the agency's signature is the last revision and covers the whole file. The
preview the clerk sees before confirming is made the same way (`stamped`), so it is the final page."""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb.files.officefiles import DOCX, ODS, ODT, XLSX
from qlvb.files.storage import OLE, open_verified
from qlvb.signing import appearance, pades
from qlvb.signing import selectors as signing_selectors
from qlvb.signing import services as signing
from qlvb.signing.models import SigningCredential
from qlvb.signing.signers import SigningError

from .rendering import TEXT_STYLE, Box, date_line
from .rendering import boxes as boxes_

RENDERABLE = {"application/pdf", DOCX, ODT, OLE}  # what rendering lays out (Word through LibreOffice)
AGENCY_FIELD = "CoQuan"  # the agency's signature field (the leader's is named by "Duyệt ký")


@dataclasses.dataclass(frozen=True)
class Base:
    """What the clerk numbers: the PDF and its boxes; `leader_signed` when it carries the signer's
    digital signature (the PDF signed at "Duyệt ký", kept in `Draft.signed_blob`)."""

    pdf: bytes | None  # None: the file cannot be laid out (see `base`) and is issued as it is
    boxes: dict[str, Box]
    leader_signed: bool


def require_signature() -> bool:
    """QLVB_REQUIRE_DIGITAL_SIGNATURE: issuing needs the leader's and the agency's digital signatures."""
    return bool(getattr(settings, "QLVB_REQUIRE_DIGITAL_SIGNATURE", False))


def base(draft, *, positions: dict[str, Box] | None = None, strict: bool = False) -> Base:
    """The leader-signed PDF when there is one (its boxes are those it was signed with: positions cannot
    move them), else the draft rendered with the template's or the clerk's `positions`.

    A draft without a digital signature whose file cannot take the number (an uploaded PDF or a Word
    file without placeholders, with no positions from the template or the clerk; a scan or spreadsheet)
    is issued with its file as it is (`pdf` None), as before issue 14, unless `strict` (the preview,
    which says why)."""
    if draft.signed_blob_id:
        return Base(open_verified(draft.signed_blob), boxes_.from_json(draft.signed_boxes), True)
    from .rendering import render

    version = draft.latest
    if version is not None and version.blob is not None and version.blob.content_type not in RENDERABLE \
            and not strict:
        return Base(None, {}, False)
    try:
        rendered = render(draft, positions=positions)
    except ValidationError as exc:
        if strict or not hasattr(exc, "error_dict") or "boxes" not in exc.error_dict:
            raise
        return Base(None, {}, False)
    return Base(rendered.pdf, rendered.boxes, False)


def texts(notation: str, issued_on: datetime.date, place: str) -> dict[str, str]:
    return {"number": notation, "date": date_line(place, issued_on)}


def _text_field(box: Box, key: str, text: str):
    """The field `place_text` draws `text` in, placed so the text sits where the rendering's convention
    puts it (`boxes.TEXT_STYLE`): left-aligned or centred in the box, on `box.baseline(size)`.
    `place_text` writes at the left of its field, on a baseline (h - size) / 2 + 0.22 size above its
    bottom: the field is sized and moved accordingly."""
    size, style, align = TEXT_STYLE[key]
    width = appearance.text_width(text, size, style) + 1
    x1 = (box.x1 + box.x2 - width) / 2 if align == "center" else box.x1
    height = box.height
    y1 = box.baseline(size) - (height - size) / 2 - 0.22 * size
    return (box.page, (round(x1, 2), round(y1, 2), round(x1 + width, 2), round(y1 + height, 2))), text, size, style


def stamped(pdf: bytes, boxes: dict[str, Box], values: dict[str, str]) -> bytes:
    """`pdf` with the number and date line written in their boxes, as one incremental update (an
    earlier signature stays valid)."""
    missing = [key for key in values if key not in boxes]
    if missing:
        raise ValidationError({"boxes": _("Chưa có vị trí ghi: %(k)s (đặt trong mẫu văn bản của loại này hoặc "
                                          "nhập vị trí).") % {"k": ", ".join(missing)}})
    return pades.place_text(pdf, [_text_field(boxes[key], key, text) for key, text in values.items() if text])


def agency_credential(agency, credential: SigningCredential | None) -> SigningCredential:
    """The agency's credential the clerk chose, else its only active one."""
    choices = signing_selectors.agency_credentials(agency)
    if credential is None:
        credential = choices.first()
        if credential is None:
            raise ValidationError({"credential": _("Chứng thư số của cơ quan: chưa có chứng thư số nào đang dùng "
                                                   "(Quản trị → Chứng thư số).")})
    elif not choices.filter(pk=credential.pk).exists():
        raise ValidationError({"credential": _("Chứng thư số của cơ quan: chọn một chứng thư số đang dùng của "
                                               "cơ quan.")})
    if credential.backend == SigningCredential.Backend.REMOTE:
        raise ValidationError({"credential": _("Chứng thư số của cơ quan: ký số từ xa khi phát hành chưa được hỗ "
                                               "trợ; dùng tệp PKCS#12 hoặc thiết bị ký số (USB token).")})
    return credential


def leader_image_width(draft, box: Box) -> float | None:
    """How wide the leader's signature image is drawn in its box (centred, proportions kept), so the seal
    covers a third of the image, not of the box."""
    credential = (SigningCredential.objects.filter(owner=draft.signer, status=SigningCredential.Status.ACTIVE)
                  .exclude(signature_image=None).select_related("signature_image").first())
    if credential is None:
        return None
    width, _height = appearance.fit(appearance.image(open_verified(credential.signature_image)),
                                    box.width, box.height)
    return width


def seal_box(draft, boxes: dict[str, Box], credential) -> pades.Box:
    signer = boxes["signer"]
    return signing.seal_box((signer.page, (signer.x1, signer.y1, signer.x2, signer.y2)),
                            size_mm=signing.seal_mm(credential), image_width=leader_image_width(draft, signer))


def finish(*, actor, draft, base_: Base, values: dict[str, str], credential=None, pin=None) -> bytes | None:
    """The issued PDF: numbered and dated, then signed by the agency when a `credential` is given (the
    PIN unlocks it; a wrong PIN raises ValidationError on "pin", counted and audited by the signing app).
    None when the file is issued as it is (`base`)."""
    if base_.pdf is None:
        return None
    pdf = stamped(base_.pdf, base_.boxes, values)
    if credential is None:
        return pdf
    if "signer" not in base_.boxes:
        raise ValidationError({"boxes": _("Chưa có vị trí chữ ký của người ký: không đặt được con dấu.")})
    try:
        return signing.sign_document(actor=actor, credential=credential, pdf_bytes=pdf, field_name=AGENCY_FIELD,
                                     box=seal_box(draft, base_.boxes, credential), pin=pin, obj=draft,
                                     reason=_("Ban hành văn bản số %(n)s") % {"n": values["number"]})
    except SigningError as exc:
        raise ValidationError({"pin": str(exc)}) from None


def sign_attachment(*, actor, credential, pdf: bytes, notation: str, pin: str, at=None, obj=None) -> bytes:
    """An attachment in a separate file signed by the agency: no image, its number and notation ("Số: …")
    and the signing time (ISO 8601, Vietnam time) at the top right of page 1, Times New Roman 10 (§1.6)."""
    from .rendering.pdfsource import page_sizes

    box = signing.attachment_box(page_sizes(pdf)[0])
    lines = signing.attachment_lines(notation, at or timezone.now())
    lines[0] = _("Số: %(n)s") % {"n": lines[0]}
    try:
        return signing.sign_document(actor=actor, credential=credential, pdf_bytes=pdf, field_name="CoQuanPhuLuc",
                                     box=box, pin=pin, text_lines=lines, reason=_("Phụ lục văn bản %(n)s")
                                     % {"n": notation}, obj=obj)
    except SigningError as exc:
        raise ValidationError({"pin": str(exc)}) from None


# What an attachment in a separate file may be: a PDF, or a Word/Excel file converted to PDF by LibreOffice
# as Word drafts are (the conversion kept by content, `rendering.conversions`).
ATTACHMENT_TYPES = {"application/pdf": "PDF", DOCX: "Word (.docx)", ODT: "OpenDocument (.odt)",
                    XLSX: "Excel (.xlsx)", ODS: "OpenDocument (.ods)", OLE: "Word/Excel 97-2003 (.doc, .xls)"}
_SUFFIXES = {DOCX: ".docx", ODT: ".odt", XLSX: ".xlsx", ODS: ".ods"}


def attachment_pdf(attachment) -> bytes:
    """The PDF of a draft's attachment in a separate file (`DraftAttachment`): the file itself, or its
    conversion; ValidationError naming the file when it cannot be converted."""
    content = open_verified(attachment.blob)
    kind = attachment.blob.content_type
    if kind == "application/pdf":
        return content
    from .rendering.conversions import converted

    suffix = _SUFFIXES.get(kind) or (".xls" if attachment.name.lower().endswith(".xls") else ".doc")
    try:
        return converted(content, has_markers=False, suffix=suffix)[0]
    except ValidationError as exc:
        raise ValidationError({"attachments": _("Tệp kèm theo “%(f)s” không chuyển được sang PDF: %(why)s "
                                                "Hãy tải lên bản PDF của tệp này.")
                               % {"f": attachment.name, "why": " ".join(exc.messages)}}) from None


def attachment_name(name: str) -> str:
    """The issued attachment's file name: the drafter's name, as a PDF."""
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return f"{stem[:240] or 'phu-luc'}.pdf"


def file_name(notation: str) -> str:
    return f"{notation.replace('/', '-')}.pdf"
