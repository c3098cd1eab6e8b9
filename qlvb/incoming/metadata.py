"""Splitting what was typed as one text into the two Annex VI fields of the signer (SignerInfo:
Position String 100, FullName String 50): used once to migrate old rows, and for API clients that
still send `signer` as one text."""

import re
import unicodedata

POSITION_MAX, NAME_MAX = 100, 50
# The most common Vietnamese family names: where a name starts inside "Phó Giám đốc Trần Văn B". Compared
# with accents (lower case, NFC): Trương is a name, Trưởng a position.
SURNAMES = frozenset([
    "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi", "đỗ", "hồ", "ngô", "dương",
    "lý", "đinh", "đào", "đoàn", "trịnh", "trương", "lâm", "lương", "mai", "cao", "hà", "tạ", "chu", "lưu", "quách",
    "la", "thái", "tăng", "vương", "kiều", "triệu", "hứa", "giang", "tống", "khúc", "ninh", "lò", "lại", "đàm",
])
# Words of positions and signing authorities, never the first word of a name.
POSITION_WORDS = frozenset([
    "kt", "tl", "tm", "tuq", "q", "giám", "đốc", "phó", "chủ", "tịch", "trưởng", "bộ", "thứ", "chánh", "văn",
    "phòng", "ủy", "viên", "ban", "sở", "cục", "vụ", "tổng", "thường", "trực", "bí", "thư",
])
_SEPARATORS = re.compile(r"\s*(?:[,;:\n]|\s[-–—]\s)\s*")


def split_signer(text: str) -> tuple[str, str]:
    """("Phó Giám đốc", "Trần Văn B") from "Phó Giám đốc Trần Văn B"; a bare name is a name, a text with
    no name in it is a position; what cannot be told apart stays whole (as the name when it fits)."""
    text = " ".join((text or "").split())
    if not text:
        return "", ""
    parts = [p for p in _SEPARATORS.split(text) if p]
    if len(parts) > 1 and _is_name(parts[-1].split()):
        return _fit(" ".join(parts[:-1]), parts[-1])
    words = text.split()
    for start in range(len(words)):
        if _word(words[start]) in SURNAMES and _is_name(words[start:]):
            return _fit(" ".join(words[:start]).rstrip(" ,-–:"), " ".join(words[start:]))
    if _is_name(words):
        return _fit("", text)
    if any(_word(w) in POSITION_WORDS for w in words):
        return text[:POSITION_MAX], ""
    return _fit("", text)


def _is_name(words: list[str]) -> bool:
    """2–5 capitalised words (or all capitals), the first not a position word."""
    if not 2 <= len(words) <= 5 or (_word(words[0]) in POSITION_WORDS and _word(words[0]) not in SURNAMES):
        return False
    return all(w[:1].isupper() and (w[1:].islower() or w[1:].isupper() or not w[1:]) and w.isalpha()
               for w in words)


def _word(word: str) -> str:
    return unicodedata.normalize("NFC", word).lower().rstrip(".,")


def _fit(position: str, name: str) -> tuple[str, str]:
    if len(name) > NAME_MAX:  # not a name after all: keep the whole text as the position
        return f"{position} {name}".strip()[:POSITION_MAX], ""
    return position[:POSITION_MAX], name
