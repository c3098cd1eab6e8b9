"""The upload checks on large ordinary files and on bombs: time and peak memory of
files.officefiles.check and files.pdffiles.check (each file in a fresh process, so the peak is its own).

    .venv/bin/python bench/upload_checks.py
"""

import io
import json
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import setup_django  # noqa: F401
from pypdf import PdfWriter

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.files.builders import W, bomb_docx, docx_bytes, pdf_with, raw_pdf  # noqa: E402


def big_docx(paragraphs: int) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>Đoạn {i}: Sở Giao thông vận tải báo cáo tình hình bảo trì đường bộ quý "
                   f"{i % 4 + 1}, tuyến {i * 7919 % 10007}.</w:t></w:r></w:p>" for i in range(paragraphs))
    return docx_bytes(f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>'
                      .encode())


def big_xlsx(rows: int) -> bytes:
    cells = "".join(f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="inlineStr"><is><t>Công văn '
                    f'{r * 31 % 9973}/UBND</t></is></c></row>' for r in range(1, rows + 1))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types xmlns='urn:t'/>")
        archive.writestr("xl/workbook.xml", "<workbook xmlns='urn:x'/>")
        archive.writestr("xl/worksheets/sheet1.xml",
                         f"<worksheet xmlns='urn:x'><sheetData>{cells}</sheetData></worksheet>")
    return buffer.getvalue()


def big_pdf(pages: int, **active) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf_with(**active))) if active else PdfWriter()
    for _ in range(pages - len(writer.pages)):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def scanned_pdf(pages: int, image_bytes: int) -> bytes:
    """Like a scan: each page draws one (random, undecoded) JPEG stream."""
    import os

    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages))
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>"]
    for i in range(pages):
        image = os.urandom(image_bytes).decode("latin-1")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 "
                       f"{4 + 2 * i} 0 R >> >> >>")
        objects.append(f"<< /Type /XObject /Subtype /Image /Width 1240 /Height 1754 /ColorSpace /DeviceGray "
                       f"/BitsPerComponent 8 /Filter /DCTDecode /Length {image_bytes} >>\nstream\n{image}\nendstream")
    return raw_pdf(*objects)


def measure(kind: str, path: str) -> dict:
    from qlvb.files import officefiles, pdffiles
    from qlvb.files.errors import FileRejected

    before, start = peak_rss_mb(), time.perf_counter()
    try:
        result = pdffiles.check(Path(path)) if kind == "pdf" else officefiles.check(Path(path))
    except FileRejected as exc:
        result = f"refused: {exc.messages[0][:60]}"
    result = "kept" if result is None else result
    return {"seconds": round(time.perf_counter() - start, 2), "result": result, "peak_rss_mb": f"{before} → {peak_rss_mb()}"}


def peak_rss_mb() -> int:
    """This process's peak (VmHWM: unlike ru_maxrss it does not carry the parent's peak over exec)."""
    status = Path("/proc/self/status").read_text()
    return round(int(next(line for line in status.splitlines() if line.startswith("VmHWM")).split()[1]) / 1024)


CASES = {
    "DOCX, 200,000 paragraphs": ("office", lambda: big_docx(200_000)),
    "XLSX, 300,000 rows": ("office", lambda: big_xlsx(300_000)),
    "DOCX bomb, 1.1 GB inflated": ("office", bomb_docx),
    "PDF, 2,000 blank pages": ("pdf", lambda: big_pdf(2000)),
    "PDF, 2,000 pages + JavaScript": ("pdf", lambda: big_pdf(2000, javascript=True)),
    "PDF like a scan, 400 pages of 120 KB": ("pdf", lambda: scanned_pdf(400, 120_000)),
}


def main():
    if len(sys.argv) == 3:  # the child: one measure
        print(json.dumps(measure(sys.argv[1], sys.argv[2])))
        return
    print("| file | size | inflated | check | peak RSS, before → after the check | verdict |")
    print("|---|---|---|---|---|---|")
    for name, (kind, build) in CASES.items():
        with tempfile.NamedTemporaryFile() as handle:
            data = build()
            handle.write(data)
            handle.flush()
            out = subprocess.run([sys.executable, __file__, kind, handle.name], capture_output=True, text=True,
                                 check=True).stdout
            row = json.loads(out.strip().splitlines()[-1])
            print(f"| {name} | {len(data) / 2**20:.1f} MB | {inflated_mb(kind, data)} | {row['seconds']} s | "
                  f"{row['peak_rss_mb']} MB | {row['result']} |")


def inflated_mb(kind: str, data: bytes) -> str:
    if kind != "office":
        return "—"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return f"{sum(info.file_size for info in archive.infolist()) / 2**20:.0f} MB"


if __name__ == "__main__":
    main()
