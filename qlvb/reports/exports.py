"""Report files: Excel (one formatted sheet per table, streamed with openpyxl's write-only mode) and PDF."""

import io

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")


def header(sheet, titles):
    """A bold, shaded first row (shared with the export of search results)."""
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cells.append(cell)
    sheet.append(cells)


def _days(value):
    return round(value.total_seconds() / 86400, 1) if value else None


def excel(data: dict, progress=lambda pct: None) -> bytes:
    workbook = Workbook(write_only=True)
    period = data["period"]
    sheet = workbook.create_sheet(_("Tổng hợp"))
    sheet.column_dimensions["A"].width = 55
    sheet.append([_("Báo cáo tình hình xử lý văn bản đến")])
    sheet.append([_("Từ ngày"), period.start.strftime("%d/%m/%Y"), _("đến ngày"), period.end.strftime("%d/%m/%Y")])
    sheet.append([_("Đơn vị"), str(period.unit) if period.unit else _("Toàn cơ quan")])
    r = data["received"]
    header(sheet, [_("Chỉ tiêu"), _("Số lượng")])
    lines = [(_("Văn bản đến"), "total"), (_("— nhận điện tử"), "electronic"), (_("— nhận bản giấy"), "paper"),
             (_("— đã xử lý xong"), "done"), (_("— trong đó văn bản mật"), "confidential")]
    for label, key in lines:
        sheet.append([label, r[key]])
    o = data["outgoing"]
    sheet.append([_("Văn bản đi phát hành"), o["total"]])
    sheet.append([_("— trong đó văn bản mật"), o["confidential"]])
    progress(20)
    columns = [_("Tên"), _("Đến hạn trong kỳ"), _("Đúng hạn"), _("Trễ hạn"), _("Còn trong hạn"), _("Quá hạn"),
               _("Thời gian xử lý trung bình (ngày)")]
    for title, rows in [(_("Theo đơn vị"), data["units"]), (_("Theo cán bộ"), data["people"])]:
        table = workbook.create_sheet(title)
        table.column_dimensions["A"].width = 45
        header(table, columns)
        for row in rows:
            table.append([row["name"], row["due"], row["on_time"], row["late"], row["open"], row["overdue"],
                          _days(row["avg_time"])])
        progress(60 if title == _("Theo đơn vị") else 80)
    ict = workbook.create_sheet(_("Chỉ số ICT"))
    ict.column_dimensions["A"].width = 50
    ict.column_dimensions["B"].width = 70
    header(ict, [_("Chỉ số"), _("Công thức"), _("Tử số"), _("Mẫu số"), _("Giá trị (%)")])
    for row in data["ict"]:
        ict.append([str(row["name"]), str(row["formula"]), row["numerator"], row["denominator"],
                    row["value"] if row["value"] is not None else _("chưa có dữ liệu")])
    ict.append([render_to_string("reports/_scope.html", {"data": data}).strip()])
    buffer = io.BytesIO()
    workbook.save(buffer)
    progress(100)
    return buffer.getvalue()


def pdf(data: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("reports/pdf.html", {"data": data})
    return HTML(string=html).write_pdf()
