"""Rendering an outgoing document to PDF (qlvb/outgoing/rendering): documents per second per source.

    .venv/bin/python bench/render_bench.py [--runs 50] [--word-runs 5]

HTML: a structured one-page Quyết định rendered by WeasyPrint (PDF/A-3b, boxes read from the layout);
HTML + preview: the same with the number and date written in (the clerk's preview); PDF overlay: an
uploaded one-page PDF with its boxes checked and the number and date written in; Word: the demo Word
template filled and converted by LibreOffice headless (a new soffice process per document, as the worker
does), markers located and removed. One process, after one warm-up run of each; no database.
"""

import argparse
import datetime
import json
import platform
import time

import setup_django  # noqa: F401

from qlvb.outgoing.rendering import boxes, date_line, write_text
from qlvb.outgoing.rendering.content import DocumentData
from qlvb.outgoing.rendering.demo import word_template
from qlvb.outgoing.rendering.docx import render_docx
from qlvb.outgoing.rendering.html import render_html
from qlvb.outgoing.rendering.pdfsource import render_pdf

DATA = DocumentData(
    agency_name="Sở Giao thông vận tải", parent_agency_name="UBND tỉnh Bắc Kạn", place_name="Bắc Kạn",
    type_name="Quyết định", summary="Về việc phê duyệt kế hoạch bảo trì đường bộ năm 2026",
    body="Căn cứ Luật Giao thông đường bộ ngày 13 tháng 11 năm 2008;\nQUYẾT ĐỊNH:\n"
         "Điều 1. Phê duyệt kế hoạch bảo trì đường bộ năm 2026 kèm theo Quyết định này.\n"
         "Điều 2. Quyết định có hiệu lực kể từ ngày ký.",
    authority_lines=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), signer_name="Trần Thị Mai",
    recipients=("- Như Điều 2;", "- UBND tỉnh Bắc Kạn;", "- Lưu: VT, QLVT, 02."))
TEXTS = {"number": "15/QĐ-SGTVT", "date": date_line("Bắc Kạn", datetime.date(2026, 1, 5))}


def per_second(work, runs: int) -> float:
    work()  # warm-up: fonts, templates, imports
    started = time.perf_counter()
    for _ in range(runs):
        work()
    return runs / (time.perf_counter() - started)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--word-runs", type=int, default=5)
    args = parser.parse_args()
    uploaded = render_html(DATA).pdf
    positions = boxes.from_json({"number": {"page": 0, "x1": 137, "y1": 728, "x2": 250, "y2": 746},
                                 "date": {"page": 0, "x1": 281, "y1": 728, "x2": 553, "y2": 748},
                                 "signer": {"page": 0, "x1": 346, "y1": 540, "x2": 502, "y2": 620}})
    word = word_template()

    def html_preview():
        rendered = render_html(DATA)
        write_text(rendered.pdf, rendered.boxes, TEXTS)

    def pdf_overlay():
        rendered = render_pdf(uploaded, positions)
        write_text(rendered.pdf, rendered.boxes, TEXTS)

    results = {
        "html": per_second(lambda: render_html(DATA), args.runs),
        "html_preview": per_second(html_preview, args.runs),
        "pdf_overlay": per_second(pdf_overlay, args.runs),
        "word": per_second(lambda: render_docx(word, DATA), args.word_runs),
    }
    print(json.dumps({"machine": f"{platform.machine()} {platform.processor() or ''} {platform.python_version()}",
                      "runs": args.runs, "word_runs": args.word_runs,
                      "per_second": {k: round(v, 2) for k, v in results.items()}}, indent=2))


if __name__ == "__main__":
    main()
