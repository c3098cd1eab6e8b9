"""PAdES signatures and text placed on an already signed PDF, always as incremental updates.

An incremental update appends to the file and leaves the bytes an earlier signature covers untouched, so
the leader's signature stays valid when the clerk later writes the number and date (`place_text`) and
applies the agency's signature (`sign_pdf` again), the last one covering the whole file.

Boxes are `(page_index, (x1, y1, x2, y2))` in PDF points, origin at the page's bottom-left corner.
"""

from io import BytesIO

from django.conf import settings
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.generic import pdf_name
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.fields import SigFieldSpec
from pyhanko.sign.timestamps import HTTPTimeStamper

from . import appearance
from .appearance import Drawing, Line

Box = tuple[int, tuple[float, float, float, float]]

# Annotation flags: Print (4) | ReadOnly (64) | Locked (128): a reader prints the text and does not let
# anyone move it or sign into its field.
TEXT_FLAGS = 4 | 64 | 128


def _writer(pdf_bytes: bytes) -> IncrementalPdfFileWriter:
    return IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)


def signature_drawing(box: Box, *, image=None, seal=None, text_lines=None, font_size: float = 10) -> Drawing:
    """The appearance of a signature widget: an image centred in the box (the leader's signature or the
    agency's seal, PNG bytes), and/or lines of text top-left aligned (the attachment stamp of §1.6)."""
    _, (x1, y1, x2, y2) = box
    drawing = Drawing(x2 - x1, y2 - y1)
    for png in (image, seal):
        if png:
            drawing.images.append(appearance.centred(appearance.image(png), drawing.width, drawing.height))
    leading = font_size * 1.2
    for i, text in enumerate(text_lines or ()):
        drawing.lines.append(Line(text, 2, drawing.height - 2 - font_size - i * leading, font_size))
    return drawing


def timestamper():
    """The TSA of QLVB_SIGNING_TSA_URL, if one is configured (none in the demo)."""
    url = getattr(settings, "QLVB_SIGNING_TSA_URL", "")
    return HTTPTimeStamper(url) if url else None


def signature_meta(field_name: str, *, reason: str = "", location: str = "", name: str = ""):
    return signers.PdfSignatureMetadata(
        field_name=field_name, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None, location=location or None, name=name or None,
    )


def pdf_signer(field_name: str, box: Box, drawing: Drawing, pyhanko_signer, **meta) -> signers.PdfSigner:
    page, rect = box
    return signers.PdfSigner(
        signature_meta(field_name, **meta), signer=pyhanko_signer, timestamper=timestamper(),
        stamp_style=appearance.DrawnStampStyle(drawing),
        new_field_spec=SigFieldSpec(sig_field_name=field_name, on_page=page, box=tuple(rect)),
    )


def sign_pdf(pdf_bytes: bytes, signer, *, field_name: str, box: Box, image: bytes | None = None,
             seal: bytes | None = None, text_lines=None, font_size: float = 10, pin: str | None = None,
             reason: str = "", location: str = "") -> bytes:
    """`pdf_bytes` with one more PAdES signature by `signer` (a `qlvb.signing.signers.Signer`), in a new
    visible field `field_name` at `box`. The private key is used only inside this call, unlocked with
    `pin`; a remote signer waits here for its holder's confirmation (see `remote.py` for the two-step
    form a page uses)."""
    drawing = signature_drawing(box, image=image, seal=seal, text_lines=text_lines, font_size=font_size)
    with signer.session(pin=pin) as pyhanko_signer:
        out = BytesIO()
        built = pdf_signer(field_name, box, drawing, pyhanko_signer, reason=reason, location=location,
                           name=signer.display_name)
        built.sign_pdf(_writer(pdf_bytes), output=out, bytes_reserved=reserved_bytes(built))
    return out.getvalue()


def reserved_bytes(built: signers.PdfSigner) -> int | None:
    """The space kept in the file for the signature container, in hex digits, when it can be known
    without signing twice: pyHanko otherwise builds a dummy CMS first to measure it, which was 40% of the
    time of a signature. Without a time stamp the container is the certificates, the signed attributes
    and the signature value; a TSA's answer has no known size, so then pyHanko measures."""
    signer = built.signer
    if built.default_timestamper is not None or signer.signing_cert is None:
        return None
    certs = [signer.signing_cert, *(signer.cert_registry or ())]
    key_bytes = signer.signing_cert.public_key.bit_size // 8
    return 2 * (sum(len(cert.dump()) for cert in certs) + 2 * key_bytes + 4096)


def place_text(pdf_bytes: bytes, items) -> bytes:
    """`pdf_bytes` with text written at fixed places, as one incremental update that an earlier signature
    tolerates. Each item `(box, text, font_size)` or `(box, text, font_size, style)` ("normal" or
    "italic": the date line is italic, Annex I) becomes an empty (unsigned) signature field whose widget
    shows the text, drawn by us with the embedded font, flagged print + read-only + locked.

    Why a signature field: after a signature, pyHanko's standard diff policy (and Acrobat's for approval
    signatures) accepts new signature fields with their appearance as "form filling", while a FreeText
    annotation or a new text field counts as an unexplained change and the earlier signature would be
    reported as modified. Used for the number and the date line the clerk gives after the leader has
    signed (Decree 30 Art 15); pinned by tests/signing/test_pades.py."""
    writer = _writer(pdf_bytes)
    taken = {name for name, *_ in fields.enumerate_sig_fields(writer, filled_status=None)}
    engines = {}  # one embedded font subset per face for all the items
    for i, ((page, (x1, y1, x2, y2)), text, size, *style) in enumerate(items):
        name = next(f"QLVB_Text_{i + n}" for n in range(len(taken) + 1) if f"QLVB_Text_{i + n}" not in taken)
        taken.add(name)
        fields.append_signature_field(writer, SigFieldSpec(sig_field_name=name, on_page=page, box=(x1, y1, x2, y2)))
        drawing = Drawing(x2 - x1, y2 - y1)
        drawing.lines.append(Line(text, 0, (y2 - y1 - size) / 2 + size * 0.22, size, *style))
        widget = _field(writer, name)
        stream = appearance.as_xobject(drawing, writer, engines)
        widget[pdf_name("/AP")] = generic.DictionaryObject({pdf_name("/N"): stream})
        widget[pdf_name("/F")] = generic.NumberObject(TEXT_FLAGS)
        widget[pdf_name("/TU")] = generic.TextStringObject(text)  # what a reader shows on hover / reads aloud
        writer.update_container(widget)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _field(writer, name: str):
    for field_name, _value, ref in fields.enumerate_sig_fields(writer, filled_status=None):
        if field_name == name:
            return ref.get_object()
    raise KeyError(name)
