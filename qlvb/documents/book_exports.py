"""Register books as files: PDF (A4 landscape, like the paper book) and Excel, same columns.

The rows come from `selectors.book_rows`, so a file never holds a line its viewer may not open.
"""

import io
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Alignment

from qlvb.reports.exports import header

from .books import Book, Period
from .models import Register


@dataclass
class Printed:
    """Everything one printing of a book shows."""

    book: Book
    register: Register
    period: Period
    rows: list
    printed_at: object = None

    def __post_init__(self):
        self.printed_at = self.printed_at or timezone.localtime()

    @property
    def agency(self):
        return self.register.agency


def file_name(printed: Printed, ext: str) -> str:
    """"Sổ đăng ký văn bản đến – Sổ văn bản đến 2026 – Tháng 03 năm 2026.pdf": Vietnamese, as the clerk
    files it (the download header carries it encoded, RFC 6266)."""
    name = f"{printed.book.title} – {printed.register.name} {printed.register.year} – {printed.period.label}"
    return f"{name.replace('/', '-')}.{ext}"


def ascii_name(printed: Printed, ext: str) -> str:
    return f"{slugify(file_name(printed, ext).rsplit('.', 1)[0]) or 'so'}.{ext}"


def pdf(printed: Printed) -> bytes:
    from weasyprint import HTML

    html = render_to_string("documents/book_pdf.html", {"p": printed, "widths": printed.book.widths})
    return HTML(string=html).write_pdf()


def xlsx(printed: Printed) -> bytes:
    """One sheet: the heading lines, then the columns of Annex IV with a bold, frozen header row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(printed.book.title)[:31])
    for index, column in enumerate(printed.book.columns):
        sheet.column_dimensions[_letter(index)].width = column.width
    heading = [printed.agency.name.upper(), str(printed.book.title).upper(),
               f"{printed.register.name} {printed.register.year}", printed.period.label]
    # Below the column titles (after a blank line); a write-only sheet takes it before its first row.
    sheet.freeze_panes = f"A{len(heading) + 3}"
    for line in [*heading, ""]:
        sheet.append([line])
    header(sheet, [str(c.title) for c in printed.book.columns])
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in printed.rows:
        sheet.append([_cell(sheet, value, wrap) for value in row.cells])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(sheet, value, alignment):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value=value)
    cell.alignment = alignment
    return cell


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
