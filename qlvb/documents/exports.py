"""Files of search results (Circular 01/2019 F-6.h: export to .doc/.docx/.pdf; XLSX as the reports
give): a title, what was searched, then one row per document in the chosen columns and order.
The rows come from `documents.search.rows` over the viewer's results, so a file holds only what
its viewer may open."""

import io
from dataclasses import dataclass

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Table:
    title: str
    criteria: list[tuple[str, str]]  # (label, value) of each criterion used
    headings: list[str]
    rows: list[list[str]]


FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def xlsx(table: Table) -> bytes:
    from openpyxl import Workbook

    from qlvb.reports.exports import header

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(table.title[:31])
    sheet.append([table.title])
    for label, value in table.criteria:
        sheet.append([label, value])
    header(sheet, table.headings)
    for row in table.rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def docx(table: Table) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT

    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    document.add_heading(table.title, level=1)
    for label, value in table.criteria:
        document.add_paragraph(f"{label}: {value}")
    grid = document.add_table(rows=1, cols=len(table.headings))
    grid.style = "Table Grid"
    for cell, heading in zip(grid.rows[0].cells, table.headings, strict=True):
        cell.text = heading
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in table.rows:
        for cell, value in zip(grid.add_row().cells, row, strict=True):
            cell.text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf(table: Table) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_to_string("documents/search_pdf.html", {"table": table})).write_pdf()


BUILDERS = {"xlsx": xlsx, "docx": docx, "pdf": pdf}
