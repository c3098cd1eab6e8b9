"""Where things go on a rendered document: the result type and its boxes.

A `Box` is in PDF points (1/72 inch), origin at the bottom-left corner of the page (PDF user space),
page 0-based: `x1 < x2`, `y1 < y2`. The keys of `Rendered.boxes`:

- "number": the space after "Số:" where the number and notation are written after the leader signs;
  text 13 pt Liberation Serif, left-aligned at x1, on the baseline `box.baseline(13)`.
- "date": the place/date line ("Bắc Kạn, ngày 05 tháng 01 năm 2026"), 14 pt italic, centred between x1
  and x2, on the baseline `box.baseline(14)`.
- "signer": ô 7c, the signer's signature image, centred between the position and the name (§1.6).
- "seal": ô 8, the agency seal at real size, overlapping the left third of the signer box (§1.6).
"""

import dataclasses

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MM = 72 / 25.4  # points per millimetre
ASCENT, DESCENT = 0.891, 0.216  # Liberation Serif (hhea), in ems
KEYS = ("number", "date", "signer", "seal")
# How the text of a box is written (size in points, style, alignment): the convention `write_text`
# follows and the signing app's `place_text` must follow too, so the preview is the final document.
TEXT_STYLE = {"number": (13, "normal", "left"), "date": (14, "italic", "center")}


@dataclasses.dataclass(frozen=True)
class Box:
    page: int
    x1: float
    y1: float
    x2: float
    y2: float

    @property
    def width(self) -> float:
        return self.x2 - self.x1

    @property
    def height(self) -> float:
        return self.y2 - self.y1

    def baseline(self, size: float) -> float:
        """Where text of `size` points sits when centred in the box as CSS centres a line (line-height =
        box height): the half-leading above and below, Liberation Serif's ascent and descent inside."""
        return self.y1 + (self.height - (ASCENT + DESCENT) * size) / 2 + DESCENT * size

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, value: dict) -> "Box":
        return cls(page=int(value["page"]), **{k: float(value[k]) for k in ("x1", "y1", "x2", "y2")})


def text_line(page: int, x1: float, x2: float, baseline: float, size: float) -> Box:
    """The box of a line of text of `size` points on `baseline` (the inverse of `Box.baseline`)."""
    return Box(page, x1, round(baseline - DESCENT * size, 2), x2, round(baseline + ASCENT * size, 2))


@dataclasses.dataclass(frozen=True)
class Rendered:
    pdf: bytes
    page_count: int
    boxes: dict[str, Box]


def seal_for(signer: Box) -> Box:
    """The seal at its real size (QLVB_SEAL_DIAMETER_MM, 36 mm by default: measure the agency's seal),
    vertically centred on the signer box, its right edge a third into the signer box (Annex I, ô 8)."""
    size = getattr(settings, "QLVB_SEAL_DIAMETER_MM", 36) * MM
    right = signer.x1 + signer.width / 3
    middle = (signer.y1 + signer.y2) / 2
    return Box(signer.page, right - size, middle - size / 2, right, middle + size / 2)


def check_on_page(boxes: dict[str, Box], page_sizes: list[tuple[float, float]]) -> None:
    """Refuse a box that is not on a page of the document (a clerk's or a template's position)."""
    for key, box in boxes.items():
        if key not in KEYS:
            raise ValidationError({"boxes": _("Vị trí không xác định: %(k)s.") % {"k": key}})
        if not 0 <= box.page < len(page_sizes):
            raise ValidationError({key: _("Vị trí %(k)s ở trang %(p)d, văn bản chỉ có %(n)d trang.")
                                   % {"k": key, "p": box.page + 1, "n": len(page_sizes)}})
        width, height = page_sizes[box.page]
        if not (0 <= box.x1 < box.x2 <= width and 0 <= box.y1 < box.y2 <= height):
            raise ValidationError({key: _("Vị trí %(k)s nằm ngoài trang %(p)d (khổ %(w)d × %(h)d điểm).")
                                   % {"k": key, "p": box.page + 1, "w": width, "h": height}})


def from_json(value: dict | None) -> dict[str, Box]:
    """Boxes stored as JSON ({"number": {"page": 0, "x1": …}, …}); "seal" follows "signer" when absent."""
    boxes = {key: Box.from_dict(item) for key, item in (value or {}).items()}
    if "signer" in boxes and "seal" not in boxes:
        boxes["seal"] = seal_for(boxes["signer"])
    return boxes
