"""Reading the text of files (qlvb/files/textract.py, issue 12): files per second per kind, OCR pages per second.

    .venv/bin/python bench/text_bench.py [--runs 20] [--ocr-runs 3]

Text PDF: a 4-page PDF rendered by WeasyPrint (12,000 characters), read by pypdf; Word: a .docx of 7,400
characters read through officefiles; OCR: one A4 page at 300 dpi rendered from Vietnamese text with
Pillow as an image-only PDF, read by ocrmypdf + Tesseract (vie) into a PDF/A. One process; no database.
"""

import argparse
import platform
import tempfile
import time
from pathlib import Path

import setup_django  # noqa: F401

from qlvb.files import textract
from tests.files.builders import document_xml, docx_bytes
from tests.files.scans import scanned_page


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--ocr-runs", type=int, default=3)
    args = parser.parse_args()
    from django.conf import settings
    from weasyprint import HTML

    settings.QLVB_OCR = True
    work = Path(tempfile.mkdtemp(prefix="qlvb-text-bench-"))
    sources = [
        ("text PDF (4 pages)", "application/pdf", args.runs,
         HTML(string="<p>" + "Báo cáo kết quả kiểm soát tải trọng xe. " * 300 + "</p>").write_pdf()),
        ("Word (.docx)", textract.DOCX, args.runs * 5, docx_bytes(document_xml("Kế hoạch duy tu cầu Nà Phặc " * 250))),
        ("scan, OCR (1 page)", "application/pdf", args.ocr_runs, scanned_page()),
    ]
    print(f"{platform.platform()}, Python {platform.python_version()}")
    for name, content_type, runs, data in sources:
        path = work / name.split()[0]
        path.write_bytes(data)
        textract.extract(path, content_type, Path(tempfile.mkdtemp(dir=work)))  # warm-up
        started = time.perf_counter()
        for _ in range(runs):
            result = textract.extract(path, content_type, Path(tempfile.mkdtemp(dir=work)))
        elapsed = time.perf_counter() - started
        print(f"| {name} | {runs / elapsed:.2f} | {elapsed / runs * 1000:.0f} ms | {result.method} |")


if __name__ == "__main__":
    main()
