"""Reading the unit and people import files (CSV or XLSX) into rows of {column: text}.

The template's headers are the Vietnamese column names below; the same file opens in Excel.
"""

import csv
import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font

UNIT_COLUMNS = {
    "abbreviation": "Ký hiệu",
    "name": "Tên đơn vị",
    "parent": "Ký hiệu đơn vị cấp trên",
    "kind": "Loại đơn vị",
    "order": "Thứ tự",
}
PEOPLE_COLUMNS = {
    "username": "Tên đăng nhập",
    "full_name": "Họ và tên",
    "email": "Thư điện tử",
    "phone": "Điện thoại",
    "unit": "Ký hiệu đơn vị",
    "position": "Chức vụ",
    "extra_roles": "Vai trò bổ sung",
    "password": "Mật khẩu tạm",
}
UNIT_REQUIRED = {"abbreviation", "name"}
PEOPLE_REQUIRED = {"username", "full_name", "unit", "position"}
UNIT_EXAMPLE = ["KHTC", "Phòng Kế hoạch – Tài chính", "", "Phòng chuyên môn", "2"]
PEOPLE_EXAMPLE = ["nvan", "Nguyễn Văn An", "nvan@sgtvt.gov.vn", "0912345678", "KHTC", "Chuyên viên", "",
                  "DoiMatKhau@2026"]
MAX_ROWS = 5000


def template_workbook(columns: dict, example: list) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Du lieu"
    sheet.append(list(columns.values()))
    sheet.append(example)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = 28
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_rows(upload, columns: dict, required: set) -> list[tuple[int, dict]]:
    """(row number as the user sees it in the file, {field: text}) for each non-empty row."""
    content = upload.read(10 * 1024 * 1024 + 1)
    if len(content) > 10 * 1024 * 1024:
        raise ValidationError(_("Tệp nhập quá lớn (tối đa 10 MB)."))
    table = _xlsx_table(content) if content[:4] == b"PK\x03\x04" else _csv_table(content)
    if not table:
        raise ValidationError(_("Tệp không có dữ liệu."))
    header = [str(cell or "").strip() for cell in table[0]]
    by_label = {label.casefold(): field for field, label in columns.items()}
    index = {by_label[h.casefold()]: i for i, h in enumerate(header) if h.casefold() in by_label}
    missing = [label for field, label in columns.items() if field in required and field not in index]
    if missing:
        raise ValidationError(_("Thiếu cột bắt buộc: %(cols)s. Hãy dùng tệp mẫu.") % {"cols": ", ".join(missing)})
    rows = []
    for number, raw in enumerate(table[1:], start=2):
        values = {f: _text(raw[i]) if i < len(raw) else "" for f, i in index.items()}
        if any(values.values()):
            rows.append((number, values))
    if len(rows) > MAX_ROWS:
        raise ValidationError(_("Tối đa %(n)d dòng mỗi lần nhập.") % {"n": MAX_ROWS})
    return rows


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _xlsx_table(content: bytes) -> list[list]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:
        raise ValidationError(_("Không đọc được tệp Excel: tệp hỏng hoặc không đúng định dạng .xlsx.")) from exc
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def _csv_table(content: bytes) -> list[list]:
    for encoding in ("utf-8-sig", "cp1258"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValidationError(_("Tệp CSV phải được lưu với bảng mã UTF-8."))
    try:
        dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))
