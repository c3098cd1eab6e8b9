"""Where the clerk puts the number, the date line and the signature on a draft whose layout cannot tell
(an uploaded PDF, a Word file without placeholders, a type whose template has no fixed positions).

On the issue page the clerk gives, for each, the page (from 1) and the distances in millimetres from the
left and top edges of the page to the top-left corner of its box, as one measures on paper; the box has
the usual size of what goes in it. The API takes PDF boxes directly (`rendering.Box`)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .rendering import MM, Box

A4_HEIGHT = 841.89
LABELS = {"number": gettext_lazy("Số, ký hiệu"), "date": gettext_lazy("Địa danh, ngày tháng"),
          "signer": gettext_lazy("Chữ ký người ký")}
SIZES_MM = {"number": (45, 7), "date": (85, 7), "signer": (55, 25)}  # width, height


def _number(data, name: str, label, low: float, high: float) -> float:
    raw = (data.get(name) or "").strip().replace(",", ".")
    try:
        value = float(raw)
    except ValueError:
        raise ValidationError({name: _("Vị trí %(k)s: nhập một số.") % {"k": label}}) from None
    if not low <= value <= high:
        raise ValidationError({name: _("Vị trí %(k)s: từ %(a)g đến %(b)g.") % {"k": label, "a": low, "b": high}})
    return value


def parse(data, page_height: float = A4_HEIGHT) -> dict[str, Box] | None:
    """The boxes the clerk set ({key}_page, {key}_x, {key}_y in the form), or None when none was set. A
    box given partly, or off the page, is refused naming its field."""
    boxes = {}
    for key, label in LABELS.items():
        names = [f"{key}_page", f"{key}_x", f"{key}_y"]
        if not any((data.get(name) or "").strip() for name in names):
            continue
        page = int(_number(data, names[0], label, 1, 999)) - 1
        x, y = (_number(data, name, label, 0, 1000) * MM for name in names[1:])
        width, height = (value * MM for value in SIZES_MM[key])
        top = page_height - y
        boxes[key] = Box(page, round(x, 2), round(top - height, 2), round(x + width, 2), round(top, 2))
    return boxes or None


def initial(data) -> dict:
    """The values to show again in the form."""
    return {f"{key}_{part}": data.get(f"{key}_{part}", "") for key in LABELS for part in ("page", "x", "y")}


def rows(data) -> list[tuple]:
    """(key, label, page, x, y) for each box, with the values typed, for the form."""
    values = initial(data)
    return [(key, label, *(values[f"{key}_{part}"] for part in ("page", "x", "y"))) for key, label in LABELS.items()]


def query(data) -> str:
    """The positions as query parameters of the preview's address."""
    from urllib.parse import urlencode

    return urlencode({name: value for name, value in initial(data).items() if value})
