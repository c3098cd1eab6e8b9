"""The file plan as a spreadsheet (Annex V columns), written and read back with openpyxl.

Columns: Số và ký hiệu hồ sơ · Tên đề mục và tiêu đề hồ sơ · Thời hạn bảo quản · Người lập hồ sơ · Ghi chú ·
Ký hiệu đề mục. A big heading's row has its Roman numeral in the first column and its abbreviation in the
last; a sub-heading's row has its Arabic number; a record's row has its code (recomputed on import)."""

import io
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from qlvb.core.text import clean

from .services import ordered

HEADERS = ["Số và ký hiệu hồ sơ", "Tên đề mục và tiêu đề hồ sơ", "Thời hạn bảo quản", "Người lập hồ sơ",
           "Ghi chú", "Ký hiệu đề mục"]
WIDTHS = [18, 70, 16, 24, 30, 14]
MAX_ROWS = 5000


def file_name(plan, fmt="xlsx") -> str:
    return f"Danh mục hồ sơ năm {plan.year}.{fmt}"


def xlsx(plan) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"DMHS {plan.year}"
    sheet.append([f"DANH MỤC HỒ SƠ NĂM {plan.year}"])
    sheet.append([f"{plan.agency.name}"])
    sheet.append(HEADERS)
    bold = Font(bold=True)
    for cell in sheet[3]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sheet["A1"].font = Font(bold=True, size=13)
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A4"
    for heading, items in ordered(plan):
        sheet.append([heading.number, heading.title, "", "", "", heading.abbreviation if heading.parent_id is None
                      else ""])
        for cell in sheet[sheet.max_row][:2]:
            cell.font = bold
        for item in items:
            sheet.append([item.code, item.title, item.retention, item.responsible_label, item.notes, ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class Row:
    line: int
    kind: str  # big, sub, item
    title: str
    abbreviation: str = ""
    retention: str = ""
    responsible: str = ""
    notes: str = ""
    code: str = ""


def _raw_rows(book) -> list:
    try:
        sheet = book.worksheets[0]
        raw = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_ROWS:
                raise ValidationError({"file": _("Tệp có quá %(n)d dòng.") % {"n": MAX_ROWS}})
            raw.append((number, [_cell(v) for v in (list(values) + [None] * 6)[:6]]))
        return raw
    finally:
        book.close()


ROMAN_RE = re.compile(r"^[IVXLCDM]+\.?$")
ARABIC_RE = re.compile(r"^\d{1,3}\.?$")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value)).strip()


def read_xlsx(upload) -> list[Row]:
    """The rows of an uploaded plan, below the header row (the one whose first cell starts with "Số và
    ký hiệu"), else from the first row. Refusals name the line."""
    import tempfile
    from pathlib import Path

    from openpyxl import load_workbook

    from qlvb.files import officefiles

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as copy:  # the store's caps on zip packages first
        for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
            copy.write(chunk)
        copy.flush()
        try:
            officefiles.check(Path(copy.name))
        except ValidationError as exc:
            raise ValidationError({"file": " ".join(exc.messages)}) from exc
        upload.seek(0)
    try:
        raw = _raw_rows(load_workbook(upload, read_only=True, data_only=True))
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - any unreadable file gets the same answer
        raise ValidationError({"file": _("Tệp không phải bảng tính Excel (.xlsx) đọc được.")}) from exc
    start = next((i + 1 for i, (_n, cells) in enumerate(raw) if cells[0].lower().startswith("số và ký hiệu")), 0)
    rows = []
    for number, (code, title, retention, responsible, notes, abbreviation) in raw[start:]:
        if not any((code, title, retention, responsible, notes)):
            continue
        if not title:
            raise ValidationError({"file": _("Dòng %(n)d: thiếu tên đề mục hoặc tiêu đề hồ sơ.") % {"n": number}})
        if ROMAN_RE.match(code) and not retention:
            rows.append(Row(number, "big", title, abbreviation=abbreviation.upper()[:15]))
        elif ARABIC_RE.match(code) and not retention:
            rows.append(Row(number, "sub", title))
        else:
            rows.append(Row(number, "item", title, retention=retention, responsible=responsible, notes=notes,
                            code=code))
    if not rows:
        raise ValidationError({"file": _("Tệp không có đề mục, hồ sơ nào.")})
    _abbreviations_from_codes(rows)
    return rows


def _abbreviations_from_codes(rows) -> None:
    """A big heading without its abbreviation takes the one its first record's code ends with (`01.TCCB`)."""
    big = None
    for row in rows:
        if row.kind == "big":
            big = row
        elif row.kind == "item" and big is not None and not big.abbreviation and "." in row.code:
            big.abbreviation = row.code.rsplit(".", 1)[1].strip().upper()[:15]


# ---- nộp lưu: Mục lục hồ sơ nộp lưu and Biên bản giao nhận (Decree 30 Annex V) ---------------------

def submitted_rows(handover) -> list[dict]:
    """Mục lục hồ sơ, tài liệu nộp lưu: STT · Số ký hiệu HS · Tiêu đề · Thời gian tài liệu · Thời hạn bảo
    quản · Số tờ/trang · Ghi chú."""
    rows = []
    subs = handover.submissions.select_related("record").order_by("record__code", "record__pk")
    for n, sub in enumerate(subs, start=1):
        record = sub.record
        rows.append({"n": n, "code": record.code, "title": record.title, "start": record.start_date,
                     "end": record.end_date, "retention": record.retention, "pages": record.page_total,
                     "documents": record.doc_total, "notes": record.notes, "pk": record.pk})
    return rows


def _pdf(template: str, context: dict) -> bytes:
    from django.template.loader import render_to_string
    from weasyprint import HTML

    from qlvb.organization.models import Agency

    return HTML(string=render_to_string(template, {**context, "agency": Agency.objects.first()})).write_pdf()


def handover_pdf(handover) -> bytes:
    return _pdf("archive/handover_pdf.html", {"handover": handover, "rows": submitted_rows(handover)})


def submitted_index_pdf(handover) -> bytes:
    return _pdf("archive/submitted_index_pdf.html", {"handover": handover, "rows": submitted_rows(handover)})
