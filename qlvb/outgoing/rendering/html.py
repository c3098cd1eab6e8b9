"""Source 1: a structured draft drawn with WeasyPrint from the document type's HTML/CSS template."""

import functools
import threading
from pathlib import Path

from django.template import Context, Engine

from .boxes import MM, Box, Rendered, seal_for
from .content import DocumentData

CSS_PX = 0.75  # WeasyPrint lays out in CSS pixels (1/96 inch); PDF points are 1/72 inch
MARKERS = {"number": "box-number", "date": "box-date", "signer": "box-signer"}
# Shipped templates by document type; an agency's uploaded one (DocumentTemplate) replaces them.
SHIPPED = {"Quyết định": "rendering/quyet_dinh.html", "Công văn": "rendering/cong_van.html"}
GENERIC = "rendering/generic.html"


class LayoutError(Exception):
    """The template does not lay out a marker element (box-number, box-date, box-signer)."""


def shipped_template(type_name: str) -> str:
    return SHIPPED.get(type_name, GENERIC)


def to_html(data: DocumentData, template_text: str = "") -> str:
    """The HTML of the document. An uploaded template is Django template text; it may extend
    "rendering/base.html" and fill its blocks."""
    engine = _engine()
    template = engine.from_string(template_text) if template_text else engine.get_template(
        shipped_template(data.type_name))
    return template.render(Context(data.context()))


@functools.cache
def _engine() -> Engine:
    """A template engine of its own: templates see only the shipped layouts and the document's fields
    (no request, no context processors), so an uploaded template cannot reach the rest of the site."""
    return Engine(dirs=[str(Path(__file__).parent / "templates")], autoescape=True)


def render_html(data: DocumentData, template_text: str = "") -> Rendered:
    """The PDF/A-3b of a structured draft, with the number and date spaces left empty, and its boxes."""
    from weasyprint import HTML

    document = HTML(string=to_html(data, template_text), url_fetcher=_no_fetch()).render(
        pdf_variant="pdf/a-3b", font_config=_font_config())
    boxes = _boxes(document)
    pdf = document.write_pdf(pdf_variant="pdf/a-3b")
    return Rendered(pdf=pdf, page_count=len(document.pages), boxes=boxes)


_local = threading.local()


def _font_config():
    """One WeasyPrint font configuration per thread, kept between documents: building it again for each
    document was a fifth of the rendering time. Per thread because Pango's font maps are not shared
    safely between threads (the web server runs several)."""
    from weasyprint.text.fonts import FontConfiguration

    if not hasattr(_local, "font_config"):
        _local.font_config = FontConfiguration()
    return _local.font_config


def _no_fetch():
    """A template uploaded by the administrator is rendered with the document's text only: it may not
    read a local file or reach a server while the worker renders; inline data: URLs are fine."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False)


def _boxes(document) -> dict[str, Box]:
    """The marker elements' positions, read from WeasyPrint's layout (anchors of elements with an id)."""
    found = {}
    for index, page in enumerate(document.pages):
        height = page.height * CSS_PX
        for key, anchor in MARKERS.items():
            if anchor in page.anchors and key not in found:
                x1, y1, x2, y2 = (value * CSS_PX for value in page.anchors[anchor])
                found[key] = Box(index, round(x1, 2), round(height - y2, 2), round(x2, 2), round(height - y1, 2))
    missing = sorted(set(MARKERS) - set(found))
    if missing:
        raise LayoutError(", ".join(MARKERS[key] for key in missing))
    found["seal"] = seal_for(found["signer"])
    return found


__all__ = ["render_html", "to_html", "LayoutError", "MM"]
