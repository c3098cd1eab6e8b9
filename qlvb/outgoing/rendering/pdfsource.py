"""Source 3: an uploaded PDF, kept as it is; its boxes are the template's or the clerk's positions."""

import io

import pikepdf
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .boxes import Box, Rendered, check_on_page, seal_for


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Width and height of each page's media box (inherited from the page tree when the page has none),
    in points. Read with pikepdf (qpdf): pypdf parsed the whole object stream for it, a sixth of the
    time of issuing an uploaded PDF."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return [_size(page.mediabox) for page in document.pages]


def _size(box) -> tuple[float, float]:
    x1, y1, x2, y2 = (float(value) for value in box)
    return abs(x2 - x1), abs(y2 - y1)


def render_pdf(pdf: bytes, boxes: dict[str, Box]) -> Rendered:
    """The uploaded PDF with the boxes checked to lie on its pages (the seal follows the signer when not
    given). The number and date are written later, in their boxes, as for the other sources."""
    boxes = dict(boxes)
    missing = [key for key in ("number", "date", "signer") if key not in boxes]
    if missing:
        raise ValidationError({"boxes": _("Chưa có vị trí cho: %(k)s (đặt trong mẫu văn bản của loại này "
                                          "hoặc nhập vị trí).") % {"k": ", ".join(missing)}})
    boxes.setdefault("seal", seal_for(boxes["signer"]))
    sizes = page_sizes(pdf)
    check_on_page(boxes, sizes)
    return Rendered(pdf=pdf, page_count=len(sizes), boxes=boxes)
