"""Source 2: a Word draft. The placeholders of the agency's template are filled (docxtpl, sandboxed
Jinja), the places of the number, date and signature get white marker text in Liberation Mono, the file
is converted by LibreOffice headless, the markers are located in the PDF (pdfminer) and then removed
from the page content (pypdf), leaving their space empty. A file without placeholders converts as it is
and takes its boxes from the template's fixed positions.

Placeholders an agency's Word template may use: {{ so }} (number, after "Số:"), {{ ngay_thang }} (date
line), {{ chu_ky }} (middle of the signature space), {{ tham_quyen }} (KT. GIÁM ĐỐC), {{ chuc_vu }}
(PHÓ GIÁM ĐỐC), {{ nguoi_ky }}, {{ co_quan }}, {{ co_quan_chu_quan }}, {{ loai_van_ban }},
{{ trich_yeu }}, {{ noi_nhan }} (one line per recipient, ending with "- Lưu: …")."""

import hashlib
import io
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .boxes import MM, TEXT_STYLE, Box, Rendered, seal_for, text_line
from .content import DocumentData
from .libreoffice import convert

MARKER_FONT = "Liberation Mono"
# Marker text roughly as wide as what replaces it, so a centred line keeps its place.
MARKERS = {"number": "QLVBSO0000000", "date": "QLVBNGAY000000000000000000", "signer": "QLVBCHUKY"}
PLACEHOLDER = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
SIGNER_WIDTH = 55 * MM  # the signature image's space, centred on the {{ chu_ky }} marker
NUMBER_WIDTH, DATE_WIDTH = 40 * MM, 75 * MM


def context(data: DocumentData) -> dict:
    from docxtpl import RichText

    def marker(key):
        # In the size of the text that replaces it, so the box is that text's line (size in half-points).
        size = TEXT_STYLE.get(key, (13,))[0] * 2
        return RichText(MARKERS[key], font=MARKER_FONT, color="FFFFFF", size=size)

    authority = data.authority_lines[0] if len(data.authority_lines) > 1 else ""
    return {
        "so": marker("number"), "ngay_thang": marker("date"), "chu_ky": marker("signer"),
        "tham_quyen": authority, "chuc_vu": data.authority_lines[-1] if data.authority_lines else "",
        "nguoi_ky": data.signer_name, "co_quan": data.agency_name.upper(),
        "co_quan_chu_quan": data.parent_agency_name.upper(), "loai_van_ban": data.type_name.upper(),
        "trich_yeu": data.summary, "noi_nhan": RichText("\n".join(data.recipients)),
    }


RICH = re.compile(r"\{\{\s*(so|ngay_thang|chu_ky|noi_nhan)\s*\}\}")


def _template_class():
    from docxtpl import DocxTemplate

    class Template(DocxTemplate):
        """Officers write {{ so }}; the values that carry runs of their own (markers, line breaks) need
        docxtpl's {{r so }}, written here for them."""

        def patch_xml(self, src_xml):
            return super().patch_xml(RICH.sub(r"{{r \1 }}", _join_split(src_xml)))

    return Template


def _join_split(xml: str) -> str:
    """Word splits "{{ so }}" across runs as it pleases; join each placeholder into one run (the first
    two steps of docxtpl's own patch_xml) so it can be recognised."""
    xml = re.sub(r"(?<={)(<[^>]*>)+(?=[\{%\#])|(?<=[%\}\#])(<[^>]*>)+(?=\})", "", xml, flags=re.S)
    return re.sub(r"{%(?:(?!%}).)*|{#(?:(?!#}).)*|{{(?:(?!}}).)*",
                  lambda m: re.sub("</w:t>.*?(<w:t>|<w:t [^>]*>)", "", m.group(0), flags=re.S), xml, flags=re.S)


def fill(docx: bytes, data: DocumentData) -> tuple[bytes, bool]:
    """The Word file with its placeholders filled, and whether it had any."""
    from jinja2 import TemplateError
    from jinja2.sandbox import SandboxedEnvironment

    template = _template_class()(io.BytesIO(docx))
    template.init_docx()
    if not PLACEHOLDER.search(template.patch_xml(template.get_xml())):
        return docx, False
    try:
        template.render(context(data), jinja_env=SandboxedEnvironment(), autoescape=True)
    except TemplateError as exc:
        raise ValidationError({"file": _("Mẫu Word có trường điền sai: %(e)s") % {"e": exc}}) from exc
    out = io.BytesIO()
    template.save(out)
    return out.getvalue(), True


def render_docx(content: bytes, data: DocumentData, *, fixed: dict[str, Box] | None = None,
                is_docx: bool = True, convert_with=None) -> Rendered:
    """The Word draft as a PDF with empty number and date spaces, and its boxes. `convert_with` (the
    worker's cache, `conversions.converted`) replaces the direct conversion."""
    from .pdfsource import render_pdf

    filled, has_markers = fill(content, data) if is_docx else (content, False)
    # The filled file's bytes change with the time it is saved; what it says depends on these only.
    key = hashlib.sha256(content + repr((data, MARKERS, is_docx)).encode()).hexdigest()
    pdf, found = (convert_with or convert_filled)(filled, has_markers=has_markers,
                                                    suffix=".docx" if is_docx else ".doc", key=key)
    return render_pdf(pdf, boxes_from(found, fixed))


def convert_filled(filled: bytes, *, has_markers: bool, suffix: str = ".docx",
                   key: str = "") -> tuple[bytes, dict[str, Box]]:
    """LibreOffice's PDF with the markers located then removed, and the markers' boxes."""
    from . import markers

    pdf = convert(filled, suffix=suffix)
    found, baselines = markers.locate(pdf, MARKERS, MARKER_FONT) if has_markers else ({}, {})
    for key, baseline in baselines.items():
        if key in TEXT_STYLE:  # the line the text will sit on, as boxes.text_line defines it
            box = found[key]
            found[key] = text_line(box.page, box.x1, box.x2, baseline, TEXT_STYLE[key][0])
    if "signer" in found:
        found["signer"] = markers.blank_around(pdf, found["signer"], MARKER_FONT)
    if found:
        pdf = markers.strip(pdf, MARKER_FONT)
    return pdf, found


def boxes_from(found: dict[str, Box], fixed: dict[str, Box] | None) -> dict[str, Box]:
    """The markers' spaces, else the template's fixed positions; the seal follows the signer."""
    boxes = {**(fixed or {}), **_widen(found)}
    if "signer" in found or "seal" not in boxes and "signer" in boxes:
        boxes["seal"] = seal_for(boxes["signer"])
    return boxes


def _widen(found: dict[str, Box]) -> dict[str, Box]:
    """Marker boxes turned into the spaces they stand for."""
    boxes = {}
    if box := found.get("number"):
        boxes["number"] = Box(box.page, box.x1, box.y1, box.x1 + max(box.width, NUMBER_WIDTH), box.y2)
    if box := found.get("date"):
        middle, half = (box.x1 + box.x2) / 2, max(box.width, DATE_WIDTH) / 2
        boxes["date"] = Box(box.page, middle - half, box.y1, middle + half, box.y2)
    if box := found.get("signer"):
        # `locate` gives the signature marker the blank space between the position and the name.
        x, half = (box.x1 + box.x2) / 2, SIGNER_WIDTH / 2
        boxes["signer"] = Box(box.page, x - half, box.y1, x + half, box.y2)
    return {key: Box(b.page, *(round(v, 2) for v in (b.x1, b.y1, b.x2, b.y2))) for key, b in boxes.items()}
