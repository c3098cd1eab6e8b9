"""Reading exported files back, as a person opening them would."""

import io

from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader


def xlsx_rows(content: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    return [[str(v) if v is not None else "" for v in row] for row in sheet.iter_rows(values_only=True)]


def docx_rows(content: bytes) -> list[list[str]]:
    table = Document(io.BytesIO(content)).tables[0]
    return [[cell.text for cell in row.cells] for row in table.rows]


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
