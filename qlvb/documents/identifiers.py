"""Identifiers of agencies and documents: the agency identifier code (mã định danh, OrganId) and the
document's number and notation (số, ký hiệu: CodeNumber, CodeNotation).

OrganId (regulations-detail §3.1): either the QCVN 102:2016 form `000.00.00.H49` (13 characters, level 1
on the right) or the QĐ 20/2020/QĐ-TTg form `H01.151.01` (groups of A–Z, 0–9 separated by dots, level 1
on the left, at most 35 characters; the level-1 group is a letter and two digits, so `000.00.00.H4` is
neither form). Stored up to 35 characters (Annex VI says 13, which only fits the
older form).

Number and notation (Decree 30 PL I II.3, PL VI II rows 4–5): `12/QĐ-UBND` is number `12` (Arabic digits,
String 11) and notation `QĐ-UBND` (String 30). Legal normative documents carry the year in the notation
(`30/2020/NĐ-CP` → `30`, `2020/NĐ-CP`), as edXML packages do.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qlvb.core.text import fold

ORGAN_ID_MAX = 35
_QCVN_102 = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
# Level 1 first: a letter and two digits, as in QCVN 102 (G22 VPCP, H01 An Giang, K54 HĐND Thái Bình).
_QD_20 = re.compile(r"^[A-Z]\d{2}(?:\.[A-Z0-9]+)*$")

NUMBER_MAX, NOTATION_MAX = 11, 30
_NUMBER = re.compile(r"^\d+$")
_NOTATION = re.compile(r"^[\w&.]+(?:[-/][\w&.]+)*$")
_AROUND_SEPARATORS = re.compile(r"\s*([-/])\s*")


def organ_id_format(value: str) -> str | None:
    """"QCVN 102" or "QĐ 20/2020" for a well-formed identifier, None otherwise."""
    if _QCVN_102.match(value):
        return "QCVN 102"
    if len(value) <= ORGAN_ID_MAX and _QD_20.match(value):
        return "QĐ 20/2020"
    return None


def validate_organ_id(value: str) -> None:
    """Django validator: an identifier code in one of the two formats of §3.1 (upper case, no spaces)."""
    if value and organ_id_format(value) is None:
        raise ValidationError(
            _("Mã định danh “%(value)s” không đúng định dạng: theo QCVN 102:2016 (ví dụ 000.00.00.H49) hoặc "
              "theo Quyết định 20/2020/QĐ-TTg (chữ in hoa, chữ số và dấu chấm, tối đa 35 ký tự, ví dụ "
              "H01.151).") % {"value": value}, code="organ_id")


def normalize_organ_id(value: str) -> str:
    """What a person types, as stored: without surrounding spaces, in capitals."""
    return (value or "").strip().upper()


def split_code(text: str, *, label: str = "") -> tuple[str, str]:
    """`12/QĐ-UBND` → (`12`, `QĐ-UBND`); spaces around `/` and `-` are dropped. Raises ValidationError
    naming `label` (the field as the user sees it) when the text is not a number, `/`, a notation."""
    label = label or _("Số, ký hiệu")
    text = _AROUND_SEPARATORS.sub(r"\1", (text or "").strip())
    number, _slash, notation = text.partition("/")
    if not (number and notation):
        raise ValidationError(_("%(field)s “%(value)s”: không tách được số và ký hiệu; nhập theo dạng "
                                "12/QĐ-UBND.") % {"field": label, "value": text}, code="code")
    check_code(number, notation, number_label=label, notation_label=label)
    return number, notation


def check_code(number: str, notation: str, *, number_label: str = "", notation_label: str = "") -> None:
    """The number is Arabic digits (≤ 11), the notation letter groups joined by `-` or `/` (≤ 30)."""
    if not _NUMBER.match(number) or len(number) > NUMBER_MAX:
        raise ValidationError(_("%(field)s: số “%(value)s” phải là chữ số Ả Rập, tối đa %(max)d chữ số.")
                              % {"field": number_label or _("Số"), "value": number, "max": NUMBER_MAX},
                              code="code_number")
    if not _NOTATION.match(notation) or not any(ch.isalpha() for ch in notation):
        raise ValidationError(_("%(field)s: ký hiệu “%(value)s” không hợp lệ; ký hiệu gồm các nhóm chữ viết tắt "
                                "nối bằng dấu gạch nối, không có khoảng trắng (ví dụ QĐ-UBND).")
                              % {"field": notation_label or _("Ký hiệu"), "value": notation},
                              code="code_notation")
    if len(notation) > NOTATION_MAX:
        raise ValidationError(_("%(field)s: ký hiệu dài quá %(max)d ký tự.")
                              % {"field": notation_label or _("Ký hiệu"), "max": NOTATION_MAX},
                              code="code_notation")


def join_code(number: str, notation: str) -> str:
    return f"{number}/{notation}"


def code_key(text: str) -> str:
    """The number and notation as compared for duplicates: number without leading zeros, notation folded
    (case, accents, đ) and without spaces. Text that does not split is compared whole, folded."""
    try:
        number, notation = split_code(text)
    except ValidationError:
        return fold(text).replace(" ", "")
    return f"{int(number)}/{fold(notation).replace(' ', '')}"
