"""The one full-text search over every kind (issue 12, `qlvb/documents/fulltext.py`): p50/p95 of the search
page and of the API for a rare and a common word, over N incoming documents with file text.

    .venv/bin/python bench/search_bench.py --documents 100000 [--runs 40] [--words 150]

Uses the database that DATABASE_URL (or the default SQLite under QLVB_VAR_DIR) points to: migrates it,
fills it to N documents with `bench/generate.py` (documents and processing trees), then writes the
full-text entries of those that have none in bulk (as `fulltext.reindex` writes them: metadata, a body of
`--words` words standing for the text of the files, the facet columns), so that the index is the
database's own (SQLite FTS5 triggers, PostgreSQL's generated tsvector and GIN index). The rare word is
in one document of 10,000, the common one in half of them. Measured as the clerk (every ordinary
document), the Director and a typical officer (his own few) see them: the page (facets, first page of
hits with snippets, all of it) through the test client, and the same search through the API.
"""

import argparse
import contextlib
import importlib
import os
import platform
import random
import statistics
import time

import setup_django  # noqa: F401
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from qlvb.accounts.middleware import two_factor_required
from qlvb.accounts.services import totp_device
from qlvb.assignments.models import Assignment
from qlvb.documents import fulltext
from qlvb.documents.models import FullTextEntry
from qlvb.incoming.models import IncomingDocument
from qlvb.organization.models import Person

settings.ALLOWED_HOSTS = ["*"]
RARE, COMMON = "Khuổi Tẩu", "tuyến"  # one in 10,000 documents; one in two
_WORDS = ("kiểm tra tải trọng phương tiện quốc lộ tỉnh lộ cầu cống mặt đường nền đường bảo trì sửa chữa "
              "định kỳ thường xuyên đột xuất kinh phí dự toán quyết toán nghiệm thu bàn giao thi công giám sát "
              "an toàn giao thông biển báo vạch sơn hộ lan tôn sóng mương thoát nước sạt lở mưa lũ khắc phục "
              "hậu quả thiên tai ủy ban nhân dân huyện xã thị trấn phòng ban đơn vị phối hợp báo cáo kết quả "
              "thực hiện kế hoạch năm tháng quý đề nghị hướng dẫn chỉ đạo triển khai nội dung")
VOCABULARY = _WORDS.split()


@contextlib.contextmanager
def _index_written_after():
    """On SQLite, the entries go in without the trigger that adds each one to the FTS5 index (the caller
    rebuilds the index once at the end: the FTS5 table's content is the entries' table itself, so a
    'rebuild' reads them all); PostgreSQL's tsvector is a generated column and its GIN index follows."""
    if connection.vendor != "sqlite":
        yield
        return
    index = importlib.import_module("qlvb.documents.migrations.0008_fulltext_index")
    trigger = next(sql for sql in index.SQLITE if sql.startswith("CREATE TRIGGER fulltext_index_insert"))
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER IF EXISTS fulltext_index_insert")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(trigger.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))


def fill_text(words_per_document: int, seed: int = 12) -> int:
    """Write the entries of the incoming documents that have none: metadata, a body, the facet columns."""
    rng = random.Random(seed)
    have = set(FullTextEntry.objects.filter(kind="incoming").values_list("object_id", flat=True))
    ids = [pk for pk in IncomingDocument.objects.order_by("pk").values_list("pk", flat=True) if pk not in have]
    started, written = time.monotonic(), 0
    for at in range(0, len(ids), 2000):
        batch = list(IncomingDocument.objects.filter(pk__in=ids[at:at + 2000]).select_related("document_type"))
        units = dict(Assignment.objects.filter(document_id__in=[d.pk for d in batch], role="main")
                     .order_by("created_at").values_list("document_id", "receiver_unit_id"))
        entries = []
        for d in batch:
            body = [rng.choice(VOCABULARY) for _ in range(words_per_document)]
            if rng.random() < 0.5:
                body[rng.randrange(len(body))] = COMMON
            if rng.random() < 0.0001:
                body[rng.randrange(len(body))] = RARE
            content = "\n".join([f"{d.document_type.name} {d.notation}", d.summary, d.issuer_name,
                                 f"Số đến {d.arrival_number}", " ".join(body)])
            entries.append(FullTextEntry(
                kind="incoming", object_id=d.pk, title=f"{d.notation} – {d.summary}", content=content,
                folded=fulltext.indexed_words(content), document_type_id=d.document_type_id, dated=d.issued_on,
                issuer=d.issuer_name, unit_id=units.get(d.pk), status=d.status, register_id=d.register_id))
        with transaction.atomic(), _index_written_after():
            FullTextEntry.objects.bulk_create(entries, batch_size=500)
        written += len(entries)
        print(f"\r{written:,} entries ({time.monotonic() - started:.0f} s)", end="", flush=True)
    print()
    if connection.vendor == "sqlite" and written:  # the FTS5 index of every entry, built in one pass
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO fulltext_index(fulltext_index) VALUES ('rebuild')")
        print(f"FTS5 index rebuilt ({time.monotonic() - started:.0f} s)")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return written


def timed(fn, runs):
    fn()  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def verify_second_factor(client, person):
    """Enter the person's authenticator code, as the tests do (enrolling one first if none is confirmed:
    a leader's account asks for it)."""
    device = totp_device(person)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"
    client.post(reverse("accounts:verify" if device.confirmed else "accounts:setup"), {"token": code})


def typical_officer():
    rows = list(Assignment.objects.filter(receiver__position__role="officer").values("receiver")
                .annotate(n=Count("id")).order_by("n"))
    return Person.objects.get(pk=rows[len(rows) // 2]["receiver"])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, required=True)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--words", type=int, default=150, help="words of file text per document")
    parser.add_argument("--fill-only", action="store_true", help="generate and index, measure nothing")
    parser.add_argument("--measure-only", action="store_true", help="measure the data already there")
    parser.add_argument("--officer", help="the officer measured (default: the one with the median number of items)")
    args = parser.parse_args()
    if not args.measure_only:
        call_command("migrate", verbosity=0)
        from generate import generate

        started = time.monotonic()
        generate(args.documents, 40)
        print(f"documents: {time.monotonic() - started:.0f} s")
        started = time.monotonic()
        written = fill_text(args.words)
        spent = time.monotonic() - started
        print(f"entries written: {written:,} in {spent:.0f} s ({written / spent if spent else 0:,.0f} / s)")
    if args.fill_only:
        return

    print(f"{platform.platform()}, Python {platform.python_version()}, {connection.vendor}, "
          f"load average {os.getloadavg()[0]:.1f}, {IncomingDocument.objects.count():,} documents, "
          f"{FullTextEntry.objects.count():,} entries")
    officer = Person.objects.get(username=args.officer) if args.officer else typical_officer()
    people = [Person.objects.get(username="vanthu"), Person.objects.get(username="giamdoc"), officer]
    print("| who | word | matches counted | page p50 | page p95 | API p50 | API p95 |")
    print("|---|---|---|---|---|---|---|")
    for person in people:
        client = Client()
        client.force_login(person)
        if person.has_second_factor or two_factor_required(person):
            verify_second_factor(client, person)
        status = client.get("/search/", {"kind": "all", "q": RARE}).status_code
        if status != 200:  # a leader whose account asks for a second factor first
            print(f"| {person.username} | skipped: the page answers {status} |")
            continue
        for word in (RARE, COMMON):
            counted = fulltext.facets(person, word)
            page = timed(lambda c=client, w=word: c.get("/search/", {"kind": "all", "q": w}), args.runs)
            api = timed(lambda c=client, w=word: c.get("/api/search/all", {"q": w}), args.runs)
            shown = f"{counted.total - 1:,}+" if counted.capped else f"{counted.total:,}"
            print(f"| {person.username} | {word} | {shown} | {page[0]:.0f} ms | {page[1]:.0f} ms | "
                  f"{api[0]:.0f} ms | {api[1]:.0f} ms |", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
