"""edXML packages (issue 15): time and peak memory to write and to read a package with one attachment
of 1, 10 and 40 MB (each size in a fresh process, so the peak is its own). The library only: no
database, no file store checks.

    .venv/bin/python bench/edxml_bench.py
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _one(megabytes: int) -> dict:
    from qlvb.exchange.edxml import model, reader, writer

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        source = work / "src.pdf"
        with open(source, "wb") as out:  # in chunks: the bench must not hold the file itself
            out.write(b"%PDF-1.4\n")
            for _ in range(megabytes):
                out.write(os.urandom(1024 * 1024))
        doc = model.Document(
            sender=model.Organization("000.00.15.H03", "Sở GTVT"), receivers=[model.Organization("H01.151")],
            document_id="000.00.15.H03,2026/12/03,01/SGTVT-VP", code_number="01", code_notation="SGTVT-VP",
            place="Bắc Kạn", promulgation_date=date(2026, 12, 3), subject="V/v thử",
            traces=[model.TraceHeader("000.00.15.H03", datetime(2026, 12, 3, 8, 0, 0))],
            attachments=[model.Attachment("1", "a.pdf", path=source)])
        package = work / "p.edxml"
        started = time.perf_counter()
        with open(package, "wb") as out:
            writer.write_document(doc, out)
        wrote = time.perf_counter() - started
        started = time.perf_counter()
        with open(package, "rb") as handle:
            read = reader.read(handle, work_dir=work, max_bytes=10**9, max_attachment_bytes=10**9)
        took = time.perf_counter() - started
        assert read.attachments[0].size == source.stat().st_size
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return {"attachment_mb": megabytes, "package_mb": round(package_size(megabytes), 1),
            "write_s": round(wrote, 3), "read_s": round(took, 3), "peak_rss_mb": peak}


def package_size(megabytes: int) -> float:
    return megabytes * 4 / 3


def main():
    if len(sys.argv) > 1:
        print(json.dumps(_one(int(sys.argv[1]))))
        return
    baseline = subprocess.run([sys.executable, "-c", "import resource, defusedxml.ElementTree; "
                               "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)"],
                              capture_output=True, text=True, check=True).stdout.strip()
    print(f"interpreter + defusedxml alone: {baseline} MB peak RSS")
    print("| attachment | package | write | read (parse + decode) | peak RSS |")
    print("|---|---|---|---|---|")
    for size in (1, 10, 40):
        row = json.loads(subprocess.run([sys.executable, __file__, str(size)], capture_output=True, text=True,
                                        check=True, cwd=ROOT).stdout)
        print(f"| {row['attachment_mb']} MB | ~{row['package_mb']} MB | {row['write_s']} s | {row['read_s']} s "
              f"| {row['peak_rss_mb']} MB |")


if __name__ == "__main__":
    main()
