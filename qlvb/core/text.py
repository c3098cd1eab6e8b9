"""Text folding for diacritic-insensitive search: "Số 12 … giao thông" matches "so 12 giao thong"."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lowercase, without accents; đ/Đ (which has no Unicode decomposition) becomes d."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _SPACES.sub(" ", stripped.casefold()).strip()


def terms(query: str, limit: int = 6) -> list[str]:
    """The folded words of a search query (the first `limit`: each one is a filter)."""
    return [t for t in fold(query).split(" ") if t][:limit]


def containing(qs, words: list[str], field: str = "search_text"):
    """Rows whose folded text `field` contains every one of the (folded) `words`."""
    for word in words:
        qs = qs.filter(**{f"{field}__contains": word})
    return qs
