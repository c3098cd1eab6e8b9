"""Test helpers for issue 14: drafts approved and digitally signed by their signer, as "Duyệt ký" leaves
them (`Draft.signed_blob`, `Draft.signed_boxes`), in each of the three sources."""

import io
import re
import subprocess
import unicodedata

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from qlvb.files.storage import PDF_ONLY, store
from qlvb.outgoing import rendering
from qlvb.records import services as records
from qlvb.signing import services as signing
from qlvb.signing.signers import to_asn1
from tests.factories import reply_path
from tests.signing.conftest import PIN, root

from .issuing import approve

LEADER_FIELD = "LanhDao"


def box_tuple(box):
    return box.page, (box.x1, box.y1, box.x2, box.y2)


def leader_signs(demo, draft, credential, positions=None):
    """What "Duyệt ký" does: the draft rendered, signed by its signer with the signature image in the
    signer box, kept on the draft with the boxes of its rendering."""
    rendered = rendering.render(draft, positions=positions)
    pdf = signing.sign_document(actor=draft.signer, credential=credential, pdf_bytes=rendered.pdf,
                                field_name=LEADER_FIELD, box=box_tuple(rendered.boxes["signer"]), pin=PIN, obj=draft)
    draft.signed_blob = store(pdf, name="da-ky.pdf", allowed=PDF_ONLY)
    draft.signed_boxes = {key: box.as_dict() for key, box in rendered.boxes.items()}
    draft.save(update_fields=["signed_blob", "signed_boxes"])
    return draft


def structured(demo, document_type="Quyết định"):
    """A decision typed in the product, approved by the Deputy Director."""
    _, _record, draft = reply_path(demo, document_type=document_type, recipients=True)
    return approve(demo, draft)


def uploaded(demo, pdf: bytes, document_type="Quyết định"):
    """A PDF made elsewhere and uploaded as the draft, approved by the Deputy Director."""
    _, record, draft = reply_path(demo, document_type=document_type, recipients=True)
    records.save_draft(actor=demo["cv.qlvt.long"], record=record, draft=draft, data={},
                       upload=SimpleUploadedFile("du-thao.pdf", pdf, content_type="application/pdf"))
    draft.refresh_from_db()
    return approve(demo, draft)


def word(demo, content: bytes, document_type="Quyết định"):
    _, record, draft = reply_path(demo, document_type=document_type, recipients=True)
    records.save_draft(actor=demo["cv.qlvt.long"], record=record, draft=draft, data={},
                       upload=SimpleUploadedFile("du-thao.docx", content))
    draft.refresh_from_db()
    return approve(demo, draft)


def text_of(pdf: bytes) -> str:
    """All text a reader extracts, including the number and date drawn in their fields (pypdf reads form
    appearances only through the page: pdfminer does not), NFC-normalised, whitespace collapsed."""
    from pdfminer.high_level import extract_text

    text = extract_text(io.BytesIO(pdf))
    return " ".join(unicodedata.normalize("NFC", text).split())


def field_rects(pdf: bytes) -> dict[str, tuple]:
    """The widget rectangle of each form field on page 1 ({name: (page, (x1, y1, x2, y2))})."""
    found = {}
    for index, page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            name = widget.get("/T") or widget.get("/Parent", {}).get("/T")
            if name:
                found[str(name)] = (index, tuple(float(v) for v in widget["/Rect"]))
    return found


def drawn_texts(pdf: bytes) -> dict[str, str]:
    """The text each placed field shows (its /TU, what a reader reads aloud)."""
    found = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            if widget.get("/TU"):
                found[str(widget.get("/T"))] = unicodedata.normalize("NFC", str(widget["/TU"]))
    return found


def drawn_fonts(pdf: bytes) -> dict[str, list[str]]:
    """The faces each placed field's appearance is drawn with (BaseFont, subset prefix dropped)."""
    found = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for annotation in page.get("/Annots") or []:
            widget = annotation.get_object()
            if widget.get("/TU"):
                fonts = widget["/AP"]["/N"].get_object()["/Resources"]["/Font"]
                found[str(widget["/T"])] = sorted(str(f.get_object()["/BaseFont"]).split("+")[-1].lstrip("/")
                                                  for f in fonts.values())
    return found


def roots():
    return [to_asn1(root().cert)]


def tamper(pdf: bytes) -> bytes:
    """One byte changed inside the first page's compressed content (covered by both signatures)."""
    changed = bytearray(pdf)
    changed[changed.index(b"stream", 200) + 40] ^= 0x01
    return bytes(changed)


def png_of(pdf: bytes, tmp_path) -> bytes:
    """Page 1 through poppler's pdftoppm, as a person would see it."""
    source = tmp_path / "van-ban.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(source), str(tmp_path / "p")],
                   check=True, timeout=60)
    return next(tmp_path.glob("p*.png")).read_bytes()


NUMBER = re.compile(r"Số:\s*(\d{2,})/")
