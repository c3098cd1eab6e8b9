"""Measure the list pages, the raw SQL behind them, registration throughput and memory.

    .venv/bin/python bench/run.py [--runs 50] [--registrations 200] [--clerks 4] [--pdf-kb 1024] [--no-pages]

Uses the database that DATABASE_URL (or the default SQLite under QLVB_VAR_DIR) points to, filled by
bench/generate.py. Prints one Markdown table row per measurement and writes bench/out/*.json.
"""

import argparse
import io
import json
import multiprocessing
import os
import resource
import statistics
import time
from pathlib import Path

import setup_django  # noqa: F401
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.db.models import Count
from django.test import Client
from django.utils import timezone
from pypdf import PdfWriter

from qlvb.assignments import selectors, services
from qlvb.assignments.models import Assignment
from qlvb.documents.models import DocumentType, Register
from qlvb.incoming import services as incoming
from qlvb.incoming.models import IncomingDocument
from qlvb.organization.models import Person

settings.ALLOWED_HOSTS = ["*"]


def timed(fn, runs):
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return {"p50": statistics.median(samples), "p95": samples[int(len(samples) * 0.95) - 1]}


def raw(qs):
    sql, params = qs.query.sql_with_params()

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()
    return run


def typical(queryset, field):
    """The person at the median of the counts: a realistic, not an extreme, inbox."""
    rows = list(queryset.values(field).annotate(n=Count("id")).order_by("n"))
    row = rows[len(rows) // 2]
    return Person.objects.get(pk=row[field]), row["n"]


def page_bench(runs):
    client = Client()
    officer, officer_todo = typical(Assignment.objects.filter(box="todo", receiver__position__role="officer"),
                                    "receiver")
    head_overdue = Assignment.objects.filter(box="todo", deadline__lt=timezone.localdate(),
                                             receiver_unit__isnull=False).exclude(receiver_unit__kind="leadership")
    unit_row = head_overdue.values("receiver_unit").annotate(n=Count("id")).order_by("-n").first()
    head = Person.objects.filter(unit_id=unit_row["receiver_unit"], position__role="head").first()
    results = {"officer": officer.username, "officer_todo": officer_todo, "head": head.username,
               "unit_overdue": unit_row["n"]}
    client.force_login(officer)
    results["officer_inbox_page"] = timed(lambda: client.get("/incoming/?tab=todo"), runs)
    results["officer_search_page"] = timed(lambda: client.get("/incoming/?tab=todo&q=ke+hoach+duong"), runs)
    results["officer_inbox_orm"] = timed(lambda: list(selectors.inbox(officer, "todo")[:25]), runs)
    results["officer_inbox_sql"] = timed(raw(selectors.inbox(officer, "todo")[:25]), runs)
    client.force_login(head)
    results["head_overdue_page"] = timed(lambda: client.get("/incoming/?tab=unit_overdue"), runs)
    results["head_overdue_orm"] = timed(lambda: list(selectors.unit_items(head, head.unit, overdue_only=True)[:25]), runs)
    results["head_overdue_sql"] = timed(raw(selectors.unit_items(head, head.unit, overdue_only=True)[:25]), runs)
    return results


def pdf_100kb() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Padding": "x" * 100_000})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def scanned_pdf(kb: int, pages: int = 2) -> bytes:
    """A scan as a clerk uploads it: `pages` pages, each one JPEG image (noise, so it does not compress),
    about `kb` KB in all. The file checks read its objects, never the image data."""
    import random

    from PIL import Image

    def build(side):
        rng = random.Random(kb)
        images = [Image.frombytes("L", (side, side), rng.randbytes(side * side)) for _ in range(pages)]
        buffer = io.BytesIO()
        images[0].save(buffer, "PDF", resolution=150, save_all=True, append_images=images[1:], quality=75)
        return buffer.getvalue()

    side = int((kb * 1024 / pages) ** 0.5)
    for _ in range(3):  # the JPEG's size per pixel is only known once written
        content = build(side)
        side = int(side * (kb * 1024 / len(content)) ** 0.5)
    return content


def bench_pdf(kb: int) -> bytes:
    """The registration bench's file: the historical 100 KB PDF (padding in its metadata), or a scan."""
    return pdf_100kb() if kb == 100 else scanned_pdf(kb)


def cpu_ms() -> tuple[float, float]:
    """CPU time (user + system, ms) used so far by this process and by its PostgreSQL server process (same
    machine; 0 on SQLite, whose work is this process's). Less noisy than wall time on a shared machine."""
    own = time.process_time() * 1000
    if connection.vendor != "postgresql":
        return own, 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return own, (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def _register_some(first, count, content, report=None):
    """One clerk registers `count` documents with the PDF `content` (each time with different bytes at its
    end); the Director forwards each to a Deputy. `report` (a queue) receives the CPU ms this process and
    its server process spent on them."""
    clerk, director = Person.objects.get(username="vanthu"), Person.objects.get(username="giamdoc")
    deputy = Person.objects.get(username="pgd.minh")
    register = Register.objects.get(kind="incoming", is_confidential=False, year=timezone.localdate().year)
    doc_type = DocumentType.objects.get(name="Công văn")
    own, server = cpu_ms()
    for i in range(first, first + count):
        data = incoming.IncomingData(
            register=register, issuer_name="Bộ Giao thông vận tải", notation=f"{i}/BENCH",
            issued_on=timezone.localdate(), document_type=doc_type, summary=f"V/v kiểm tra số {i}",
            files=[SimpleUploadedFile("scan.pdf", content + str(i).encode())])
        document = incoming.register_incoming(actor=clerk, data=data)
        root = document.assignments.get(parent=None)
        services.forward(actor=director, assignment=root, targets=[services.Target("main", person=deputy)])
    if report is not None:
        own_after, server_after = cpu_ms()
        report.put((own_after - own, server_after - server))


def close_connections():
    """Close this process's connections and, on PostgreSQL with the pool, the pool itself: a forked child
    would otherwise take the parent's pooled connection (one socket used by several processes at once,
    `StopIteration` in `from_db`); each child opens its own pool on its first query."""
    for conn in connections.all(initialized_only=True):
        conn.close()
        if hasattr(conn, "close_pool"):
            conn.close_pool()


def registration_bench(count, clerks=1, pdf_kb=100):
    """Registrations + first forwards per second, by one clerk, or by `clerks` processes at once (the
    web server's workers serving several clerks); each PDF differs, so every file is really stored."""
    content = bench_pdf(pdf_kb)
    first = int(time.time()) % 100_000 * 1000
    close_connections()  # not shared with forked processes
    context = multiprocessing.get_context("fork")
    per_clerk = count // clerks
    report = context.Queue()
    workers = [context.Process(target=_register_some, args=(first + k * per_clerk, per_clerk, content, report))
               for k in range(clerks)]
    start = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
        assert worker.exitcode == 0, "a registration process failed"
    elapsed = time.perf_counter() - start
    spent = [report.get() for _worker in workers]
    done = per_clerk * clerks
    return {"registrations": done, "clerks": clerks, "per_second": done / elapsed, "pdf_bytes": len(content),
            "cpu_ms_per_pair": {"clerk": sum(s[0] for s in spent) / done, "server": sum(s[1] for s in spent) / done},
            "load_average": os.getloadavg()}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--registrations", type=int, default=200)
    parser.add_argument("--clerks", type=int, default=4, help="concurrent processes for the second run")
    parser.add_argument("--pdf-kb", type=int, default=100,
                        help="size of the registered PDF: 100 is the historical file, other sizes a scan")
    parser.add_argument("--pages", action=argparse.BooleanOptionalAction, default=True)
    args = parser.parse_args()
    settings.QLVB_FILES_DIR = Path(settings.VAR_DIR) / "bench-files"
    results = {"database": connection.vendor, "documents": IncomingDocument.objects.count(),
               "assignments": Assignment.objects.count()}
    if args.pages:
        results.update(page_bench(args.runs))
        results["rss_mb_after_pages"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.update(registration_bench(args.registrations, pdf_kb=args.pdf_kb))
    results["concurrent"] = registration_bench(args.registrations, clerks=args.clerks, pdf_kb=args.pdf_kb)
    out = Path(__file__).parent / "out"
    out.mkdir(exist_ok=True)
    (out / f"{results['database']}-{results['documents']}.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
