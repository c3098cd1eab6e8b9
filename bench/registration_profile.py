"""Where one registration + first forward spends its time: statements, phases and a profile.

    .venv/bin/python bench/registration_profile.py [--count 50] [--pdf-kb 1024] [--profile 30]

Uses the database that DATABASE_URL (or the default SQLite under QLVB_VAR_DIR) points to, with the
demo agency loaded (bench/generate.py loads it). Registers `count` documents as bench/run.py does
(the clerk registers with a PDF, the Director forwards to a Deputy), in this process; prints the
statements of one registration and of one forward (CaptureQueriesContext, the after-COMMIT work
included), the time of the phases (checking and storing the file, the registration's transaction,
the forward) and the `profile` functions with most time of their own under cProfile.
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import time
from pathlib import Path

import setup_django  # noqa: F401
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from run import bench_pdf, cpu_ms

from qlvb.assignments import services
from qlvb.documents.models import DocumentType, Register
from qlvb.files import storage
from qlvb.incoming import services as incoming
from qlvb.organization.models import Person


class Phases:
    """Wall time spent in a few functions, by name."""

    def __init__(self):
        self.times: dict[str, list[float]] = {}

    def wrap(self, owner, name, label):
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.times.setdefault(label, []).append((time.perf_counter() - started) * 1000)
        setattr(owner, name, timed)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=50)
    parser.add_argument("--pdf-kb", type=int, default=1024)
    parser.add_argument("--profile", type=int, default=30, help="functions to list (0: no profile)")
    parser.add_argument("--cpu", action="store_true",
                        help="profile CPU time (time.process_time) rather than wall time: what this process "
                             "itself spends, without the waits for the database and the disk")
    args = parser.parse_args()
    settings.QLVB_FILES_DIR = Path(settings.VAR_DIR) / "bench-files"
    content = bench_pdf(args.pdf_kb)
    clerk, director = Person.objects.get(username="vanthu"), Person.objects.get(username="giamdoc")
    deputy = Person.objects.get(username="pgd.minh")
    register = Register.objects.get(kind="incoming", is_confidential=False, year=timezone.localdate().year)
    doc_type = DocumentType.objects.get(name="Công văn")
    first = int(time.time()) % 100_000 * 1000

    def one(i):
        data = incoming.IncomingData(
            register=register, issuer_name="Bộ Giao thông vận tải", notation=f"{i}/PROFILE",
            issued_on=timezone.localdate(), document_type=doc_type, summary=f"V/v kiểm tra số {i}",
            files=[SimpleUploadedFile("scan.pdf", content + str(i).encode())])
        document = incoming.register_incoming(actor=clerk, data=data)
        root = document.assignments.get(parent=None)
        services.forward(actor=director, assignment=root, targets=[services.Target("main", person=deputy)])

    one(first)  # warm-up
    with CaptureQueriesContext(connection) as registering:
        data = incoming.IncomingData(
            register=register, issuer_name="Bộ Giao thông vận tải", notation=f"{first + 1}/PROFILE",
            issued_on=timezone.localdate(), document_type=doc_type, summary="V/v đếm câu lệnh",
            files=[SimpleUploadedFile("scan.pdf", content + b"q")])
        document = incoming.register_incoming(actor=clerk, data=data)
    root = document.assignments.get(parent=None)
    with CaptureQueriesContext(connection) as forwarding:
        services.forward(actor=director, assignment=root, targets=[services.Target("main", person=deputy)])
    print(f"{connection.vendor}; PDF {len(content):,} bytes")
    for name, captured in (("registration", registering), ("forward", forwarding)):
        print(f"\n{name}: {len(captured)} statements")
        for query in captured.captured_queries:
            print(f"  {query['time']:>6} {query['sql'][:150]}")

    phases = Phases()
    phases.wrap(incoming, "stage_all", "check and stage the file")
    phases.wrap(storage.pdffiles, "check", "  of which the PDF check")
    phases.wrap(incoming, "_register", "registration transaction")
    phases.wrap(services, "forward", "forward transaction")
    totals = []
    profiler = (cProfile.Profile(time.process_time) if args.cpu else cProfile.Profile()) if args.profile else None
    own, server = cpu_ms()
    for i in range(first + 2, first + 2 + args.count):
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        one(i)
        if profiler:
            profiler.disable()
        totals.append((time.perf_counter() - started) * 1000)
    own_after, server_after = cpu_ms()
    print(f"\n{args.count} registrations + forwards, ms p50 / mean (under the profiler: {bool(profiler)})")
    print(f"  whole: {statistics.median(totals):.1f} / {statistics.mean(totals):.1f}")
    for label, values in phases.times.items():
        print(f"  {label}: {statistics.median(values):.1f} / {statistics.mean(values):.1f}")
    print(f"CPU ms a pair: this process {(own_after - own) / args.count:.1f}, "
          f"its database server process {(server_after - server) / args.count:.1f}; load {os.getloadavg()}")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(args.profile)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.profile)
        print(out.getvalue())


if __name__ == "__main__":
    main()
