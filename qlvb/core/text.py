"""Text folding for diacritic-insensitive search: "Số 12 … giao thông" matches "so 12 giao thong"."""

import re
import unicodedata

from django.db.models import Func, TextField

_SPACES = re.compile(r"\s+")
# Characters no database keeps: NUL (PostgreSQL refuses it in text, SQLite's FTS5 cuts the query at it)
# and lone surrogates (not encodable as UTF-8).
UNSTORABLE = re.compile(r"[\x00\ud800-\udfff]")


def clean(text: str) -> str:
    """`text` without the characters no database keeps (see UNSTORABLE): for search input and filters,
    which are read, never stored. Input to be stored is refused instead (qlvb/api.py, Django forms)."""
    return UNSTORABLE.sub("", text or "")


def field_text(value, field: str, label: str, limit: int, *, required: bool = False) -> str:
    """A typed text stripped, or a refusal naming the field: empty when `required` (as Django's own
    "required", so the API names it like any required field), longer than `limit` (SQLite would keep it
    whole, PostgreSQL refuse it: the same answer on both)."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: ValidationError(_("Nhập %(f)s.") % {"f": label}, code="required")})
    if len(value) > limit:
        raise ValidationError({field: _("%(f)s dài quá %(n)d ký tự.") % {"f": label.capitalize(), "n": limit}})
    return value


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


# ---- folding inside the database (search by one field, diacritic-insensitive) ------------------------

def _translation_table() -> tuple[str, str]:
    """Every precomposed Latin letter whose fold is one ASCII letter (Vietnamese: ạ ằ ẫ … đ, both cases),
    as the two strings of SQL TRANSLATE."""
    source, target = [], []
    for code in [*range(0xC0, 0x250), *range(0x1E00, 0x1F00)]:
        folded = fold(chr(code))
        if len(folded) == 1 and folded.isascii() and folded != chr(code):
            source.append(chr(code))
            target.append(folded)
    return "".join(source), "".join(target)


FOLD_FROM, FOLD_TO = _translation_table()


def register_sqlite_fold(sender, connection, **kwargs):
    """`qlvb_fold(text)` on SQLite connections: Python's `fold`, so both sides of a comparison fold alike."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("qlvb_fold", 1, lambda value: fold(value or ""),
                                              deterministic=True)


class Fold(Func):
    """`fold` of a text column inside the query, for filters on one field (`Contains(Fold("signer_name"),
    word)`): SQLite calls Python's `fold` (`register_sqlite_fold`), PostgreSQL maps the accented letters
    with TRANSLATE and lowercases what is left. Not indexed: it narrows the viewer's visible set, and the
    full-text module will take over the text conditions."""

    output_field = TextField()
    function = "LOWER"

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, function="qlvb_fold", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"LOWER(TRANSLATE(({sql})::text, %s, %s))", (*params, FOLD_FROM, FOLD_TO)
