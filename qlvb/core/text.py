"""Text folding for diacritic-insensitive search: "Số 12 … giao thông" matches "so 12 giao thong"."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
# Characters no database keeps: NUL (PostgreSQL refuses it in text, SQLite's FTS5 cuts the query at it)
# and lone surrogates (not encodable as UTF-8).
UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def clean(text: str) -> str:
    """`text` without the characters no database keeps (see UNSTORABLE): for search input and filters,
    which are read, never stored. Input to be stored is refused instead (qlvb/api.py, Django forms)."""
    return UNSTORABLE.sub("", text or "")


def fold(text: str) -> str:
    """Lowercase, without accents; đ/Đ (which has no Unicode decomposition) becomes d."""
    text = clean(text).replace("đ", "d").replace("Đ", "D")
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
