"""Registration from the scan (issue 12 item 3): what the first page of an official Vietnamese document
says, read from its text (text layer or OCR), as suggestions for the clerk's registration form.

Django-free: pure functions over the text, the known agencies' names and the document types
(name, abbreviation). Each suggestion carries a confidence (0–1) and the text it was read from; the
clerk confirms or overwrites every one, nothing is saved from here.

The layout read is Decree 30/2020's Annex I: upper-left the parent body and the issuing agency, under
them "Số: 15/QĐ-UBND" (and "V/v …" for a công văn); upper-right the national motto and the date line
"Bắc Kạn, ngày 05 tháng 01 năm 2026"; then the type title (QUYẾT ĐỊNH, THÔNG BÁO …) and the summary
under it; at the end the signature block "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC / name". OCR noise tolerated:
accents lost or wrong ("S6:", "ngay 05 thang 01 nam"), spaces around "/" and "-", "0"/"O" mixed.
"""

import dataclasses
import datetime
import difflib
import re
import unicodedata


@dataclasses.dataclass(frozen=True)
class Suggestion:
    value: object  # str, or datetime.date for issued_on
    confidence: float
    matched: str  # the text of the page it was read from

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)


def fold(text: str) -> str:
    """Lowercase without accents, đ→d, spaces collapsed (the same folding as qlvb.core.text.fold)."""
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    stripped = "".join(ch for ch in unicodedata.normalize("NFD", text) if unicodedata.category(ch) != "Mn")
    return re.sub(r"\s+", " ", stripped.casefold()).strip()


MOTTO = ("cong hoa xa hoi", "doc lap - tu do", "doc lap tu do")
MOTTO_CUT = re.compile(r"\s*(?:CỘNG HÒA|CỘNG HOÀ|CONG HOA|ĐỘC LẬP|DOC LAP)", re.IGNORECASE)
AUTHORITY = re.compile(r"^(KT|TM|TL|TUQ|Q|QUYỀN|QUYEN)\s*[.:,]\s*", re.IGNORECASE)
# "Số:" read by OCR as "S6:", "So:", "Sé:", "S0 :" …
NUMBER_LABEL = re.compile(r"^\s*s\s*[o0ô6éeố]\s*[:;.]?\s*", re.IGNORECASE)
NOTATION = re.compile(r"(?<![\d/])(\d{1,6})\s*/\s*([A-ZĐ][A-Za-zĐđ0-9]*(?:\s*-\s*[A-Za-zĐđ0-9]+)+)")
DATE_WORDS = re.compile(r"ng[aà]y\s*(\d{1,2})\s*th[aá]ng\s*(\d{1,2})\s*n[aă]m\s*(\d{4})")
DATE_SLASH = re.compile(r"(?<!\d)(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})(?!\d)")
CITATION = ("can cu", "theo de nghi", "xet de nghi", "thuc hien")
SUMMARY_STOP = ("can cu", "kinh gui", "ngay ", "xet de nghi", "theo de nghi", "noi nhan", "thuc hien")
PARENT_BODY = re.compile(r"^\s*(UBND|ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UY BAN NHAN DAN|HĐND|BỘ)\s+", re.IGNORECASE)
NAME = re.compile(r"^[A-ZĐÀ-Ỹ][a-zà-ỹđ]+(?:\s+[A-ZĐÀ-Ỹ][a-zà-ỹđ]+){1,4}$")


def _lines(text: str) -> list[str]:
    """Non-empty lines; a gap of 3+ spaces (two columns read on one line by OCR) kept as 3 spaces."""
    return [re.sub(r"[ \t]{3,}", "   ", line).strip() for line in (text or "").splitlines() if line.strip()]


def _is_upper(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) >= 0.8 * len(letters)


def _is_motto(line: str) -> bool:
    return any(m in fold(line) for m in MOTTO)


def suggest(text: str, agencies=(), types=()) -> dict[str, Suggestion]:
    """Suggestions for the registration form's fields (issuer_name, notation, issued_on, document_type,
    summary, signer_position, signer_name), only those found. `agencies`: known agency names;
    `types`: (name, abbreviation) of the document types ("" for công văn)."""
    lines = _lines(text)
    found: dict[str, Suggestion] = {}
    for key, value in (("issuer_name", _issuer(lines, agencies)), ("notation", _notation(lines)),
                       ("issued_on", _date(lines))):
        if value:
            found[key] = value
    doc_type = _type(lines, found.get("notation"), types)
    if doc_type:
        found["document_type"] = doc_type
    summary = _summary(lines, doc_type, types)
    if summary:
        found["summary"] = summary
    found |= _signer(lines)
    return found


# ---- issuing agency ------------------------------------------------------------------------------------

def _header(lines: list[str]) -> list[str]:
    """The upper-left block: the uppercase lines before "Số:" (the motto, when read on the same line by
    OCR, cut off)."""
    block = []
    for line in lines[:12]:
        if NUMBER_LABEL.match(line) and re.search(r"\d|:", line[:6]) or fold(line).startswith("v/v"):
            break
        line = MOTTO_CUT.split(line.split("   ")[0])[0].strip()
        if line and _is_upper(line) and not _is_motto(line):
            block.append(line)
    return block


def _issuer(lines: list[str], agencies) -> Suggestion | None:
    block = _header(lines)
    if not block:
        return None
    # The agency is the line under its parent body; "SỞ TÀI CHÍNH" under "UBND TỈNH BẮC KẠN" is also
    # known as "Sở Tài chính tỉnh Bắc Kạn", and a long name may wrap over two lines.
    candidates = block[1:] if len(block) > 1 else list(block)
    candidates += [f"{a} {b}" for a, b in zip(block, block[1:], strict=False)]
    candidates += [f"{b} {PARENT_BODY.sub('', a)}" for a, b in zip(block, block[1:], strict=False)]
    best, best_ratio, best_line = None, 0.0, ""
    folded = [(name, fold(name)) for name in agencies]
    for line in candidates:
        target = fold(line)
        for name, key in folded:
            ratio = difflib.SequenceMatcher(None, target, key).ratio()
            # the agency line itself beats "parent + agency" when both read the same name
            if ratio > best_ratio + 1e-9:
                best, best_ratio, best_line = name, ratio, line
    if best and best_ratio >= 0.72:
        return Suggestion(best, round(min(0.98, best_ratio), 2), best_line)
    # Not a known agency: the line under the parent body, as printed, for the clerk to check.
    line = block[1] if len(block) > 1 else block[0]
    return Suggestion(line.strip(" -_"), 0.4, line)


# ---- number and notation -------------------------------------------------------------------------------

def _clean_notation(number: str, notation: str) -> str:
    notation = re.sub(r"\s*-\s*", "-", notation.strip())
    return f"{int(number):02d}/{notation}"


def _notation(lines: list[str]) -> Suggestion | None:
    for line in lines[:15]:  # "Số: 15/QĐ-UBND" under the agency
        label = NUMBER_LABEL.match(line)
        if label:
            match = NOTATION.search(line, label.end())
            if match and match.start() - label.end() < 3:
                return Suggestion(_clean_notation(*match.groups()), 0.95, match.group(0))
    # The number written apart from its label (stamped at issuing, or OCR split the line): a notation
    # on a line of its own, not a citation ("Quyết định số 12/QĐ-UBND ngày …") in the body.
    for line in lines:
        for match in NOTATION.finditer(line):
            before = fold(line[:match.start()])
            if before.endswith(("so", "so:")) and len(before) > 4 or fold(line).startswith("can cu"):
                continue
            if re.fullmatch(r"\d{4}", match.group(2).split("-")[0]):
                continue  # 30/2020/NĐ-CP: a legal document's citation
            return Suggestion(_clean_notation(*match.groups()), 0.75, match.group(0))
    return None


# ---- date ----------------------------------------------------------------------------------------------

def _valid(day, month, year) -> datetime.date | None:
    try:
        value = datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
    return value if 1945 <= value.year <= 2100 else None


def _date(lines: list[str]) -> Suggestion | None:
    fallback = None
    for line in lines:
        folded = fold(line)
        match = DATE_WORDS.search(folded)
        if match:
            value = _valid(*match.groups())
            if value:
                # the date line has the place before it ("Bắc Kạn, ngày …"); a body's "ngày … tháng …" not
                placed = folded[:match.start()].rstrip().endswith(",")
                if folded.startswith(CITATION):  # "Căn cứ Nghị định … ngày 05 tháng 3 năm 2020"
                    continue
                suggestion = Suggestion(value, 0.95 if placed else 0.7, line)
                if placed:
                    return suggestion
                fallback = fallback or suggestion
    if fallback:
        return fallback
    for line in lines[:15]:
        match = DATE_SLASH.search(line)
        if match and not NOTATION.search(line):
            value = _valid(*match.groups())
            if value:
                return Suggestion(value, 0.6, match.group(0))
    return None


# ---- document type and summary -------------------------------------------------------------------------

def _title_index(lines: list[str], types) -> tuple[int, str] | None:
    """The line of the type title (QUYẾT ĐỊNH, THÔNG BÁO …) after the motto, and the type's name."""
    names = {fold(name): name for name, _abbr in types}
    for index, line in enumerate(lines[:25]):
        if not _is_upper(line) or _is_motto(line):
            continue
        key = fold(line).strip(" .:")
        if key in names:
            return index, names[key]
        close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.85)
        if close and len(key) <= 30:
            return index, names[close[0]]
    return None


def _vv_index(lines: list[str]) -> int | None:
    for index, line in enumerate(lines[:20]):
        if re.match(r"^\s*v\s*/\s*v\b", fold(line)):
            return index
    return None


def _type(lines, notation: Suggestion | None, types) -> Suggestion | None:
    title = _title_index(lines, types)
    if title:
        return Suggestion(title[1], 0.9, lines[title[0]])
    if _vv_index(lines) is not None:
        for name, abbr in types:
            if not abbr and fold(name) == "cong van":
                return Suggestion(name, 0.85, lines[_vv_index(lines)])
    if notation:
        first = notation.value.split("/", 1)[1].split("-")[0]
        for name, abbr in types:
            if abbr and abbr == first:
                return Suggestion(name, 0.85, notation.matched)
        for name, abbr in types:
            if abbr and fold(abbr) == fold(first):
                return Suggestion(name, 0.7, notation.matched)
    return None


def _continuation(lines: list[str], start: int, limit: int = 3) -> list[str]:
    taken = []
    for line in lines[start:start + limit]:
        folded = fold(line)
        if _is_motto(line) or folded.startswith(SUMMARY_STOP) or re.match(r"dieu\s*\d", folded) or \
                DATE_WORDS.search(folded) or \
                DATE_SLASH.search(line) or \
                (_is_upper(line) and taken) or line.endswith(":") or NOTATION.fullmatch(line):
            break
        taken.append(line)
        if line.endswith((".", ";")):
            break
    return taken


def _summary(lines, doc_type: Suggestion | None, types) -> Suggestion | None:
    vv = _vv_index(lines)
    if vv is not None:
        first = re.sub(r"^\s*[vV]\s*/\s*[vV]\s*:?\s*", "", lines[vv])
        taken = [first] + _continuation(lines, vv + 1, 2)
        text = " ".join(taken).strip()
        return Suggestion(text, 0.85, "\n".join([lines[vv], *taken[1:]])) if text else None
    title = _title_index(lines, types)
    if title:
        taken = _continuation(lines, title[0] + 1)
        if taken:
            return Suggestion(" ".join(taken), 0.8, "\n".join(taken))
    return None


# ---- signer --------------------------------------------------------------------------------------------

def _signer(lines: list[str]) -> dict[str, Suggestion]:
    """The last block: "KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC / Nguyễn Văn An": the name is the last person-like
    line, the position the nearest uppercase words above it (OCR may read them on one line with
    "Nơi nhận" of the left column), snapped to the usual positions when OCR garbled them."""
    tail = lines[-14:]
    for back in range(len(tail) - 1, -1, -1):
        line = tail[back]
        if not NAME.match(line) or _is_upper(line):
            continue
        found = {"signer_name": Suggestion(line, 0.8, line)}
        for above in range(back - 1, max(-1, back - 4), -1):
            runs = _upper_runs(tail[above])
            if not runs:
                continue
            run = runs[-1]
            position = AUTHORITY.sub("", run).strip()
            # "TL. GIÁM ĐỐC" right above the name: the position line under it was lost
            confidence = 0.85 if above == back - 1 and position == run else 0.5
            value, ratio = _known_position(position)
            found["signer_position"] = Suggestion(value, round(confidence * ratio, 2), run)
            break
        if "signer_position" not in found:
            found["signer_name"] = Suggestion(line, 0.5, line)
        return found
    return {}


POSITIONS = ("GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG",
             "CỤC TRƯỞNG", "PHÓ CỤC TRƯỞNG", "TỔNG CỤC TRƯỞNG", "PHÓ TỔNG CỤC TRƯỞNG", "BỘ TRƯỞNG", "THỨ TRƯỞNG",
             "VỤ TRƯỞNG", "PHÓ VỤ TRƯỞNG", "TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG", "TRƯỞNG BAN", "PHÓ TRƯỞNG BAN",
             "CHÁNH THANH TRA", "PHÓ CHÁNH THANH TRA", "HIỆU TRƯỞNG", "PHÓ HIỆU TRƯỞNG", "BÍ THƯ", "PHÓ BÍ THƯ",
             "TỔ TRƯỞNG", "TRƯỞNG ĐOÀN", "CHI CỤC TRƯỞNG", "PHÓ CHI CỤC TRƯỞNG")
_POSITIONS = {fold(p): p for p in POSITIONS}


def _known_position(text: str) -> tuple[str, float]:
    """`text` as one of the usual positions when it reads as one (exactly 1.0, OCR-garbled less)."""
    key = fold(text)
    if key in _POSITIONS:
        return _POSITIONS[key], 1.0
    best, ratio = None, 0.0
    for known, printed in _POSITIONS.items():
        r = difflib.SequenceMatcher(None, key, known).ratio()
        if r > ratio:
            best, ratio = printed, r
    return (best, ratio) if ratio >= 0.75 else (text, 0.8)


def _upper_runs(line: str) -> list[str]:
    """The runs of uppercase words of `line` with 4 letters or more ("TL. GIÁM ĐỐC" and "CHÁNH VĂN
    PHÒNG" of "Nơi nhận: TL. GIÁM ĐỐC - Như Điều 2;" / "- Lưu: VT, VP, 02. CHÁNH VĂN PHÒNG")."""
    line = re.sub(r"(?i)l[ưu]u\s*:[^.]*\.?", " ", line)  # "- Lưu: VT, VP, 02." of the left column
    runs, current = [], []
    for word in [*line.split(), "|"]:
        letters = [ch for ch in word.strip(".,:;") if ch.isalpha()]
        if letters and all(ch.isupper() for ch in letters) and (len(letters) >= 2 or word in ("Q.",)):
            current.append(word.rstrip(",;:"))
            continue
        if current:
            text = " ".join(current)
            if sum(ch.isalpha() for ch in text) >= 4 and not re.fullmatch(r"[A-Z]{2,3}(, ?[A-Z]{2,4})*", text):
                runs.append(text)
            current = []
    return runs
