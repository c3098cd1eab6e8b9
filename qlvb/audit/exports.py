"""The access history as an Excel file (F-6.l), written with openpyxl's write-only mode like the reports."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from qlvb.reports.exports import header  # the reports' bold, shaded header row

COLUMNS = [("at", 18), ("person", 28), ("username", 16), ("action", 14), ("object_type", 22), ("object_id", 10),
           ("object", 50), ("file", 30), ("ip", 16), ("user_agent", 40)]


def access_log_xlsx(rows) -> bytes:
    """One sheet, one line per entry, in the order given."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Lịch sử truy cập"))
    for i, (_key, width) in enumerate(COLUMNS):
        sheet.column_dimensions[chr(ord("A") + i)].width = width
    header(sheet, [_("Thời điểm"), _("Người truy cập"), _("Tài khoản"), _("Thao tác"), _("Loại đối tượng"),
                   _("Mã đối tượng"), _("Đối tượng"), _("Tệp"), _("Địa chỉ IP"), _("Trình duyệt")])
    for e in rows.iterator(chunk_size=2000):
        sheet.append([timezone.localtime(e.at).strftime("%d/%m/%Y %H:%M:%S"), e.person.full_name,
                      e.person.username, e.get_action_display(), e.object_type, e.object_id, e.object_repr,
                      e.file_name, e.ip or "", e.user_agent])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
