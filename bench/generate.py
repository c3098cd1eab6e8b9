"""Synthetic data for the benchmarks: N incoming documents with realistic Vietnamese metadata and
their processing trees, over the demo agency plus generated officers.

    .venv/bin/python bench/generate.py --documents 1000000 [--officers-per-unit 40] [--per-year 20000]

Rows are bulk-inserted (not through the services) with the same invariants the services keep:
consecutive arrival numbers per register, `box` in step with state and role, folded search text.
Running it again adds documents up to the requested total.
"""

import argparse
import random
import time
from datetime import timedelta

import setup_django  # noqa: F401
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from qlvb.assignments.models import Assignment
from qlvb.assignments.workflow import box_for
from qlvb.core.text import fold
from qlvb.documents import demo as demo_documents
from qlvb.documents.identifiers import code_key
from qlvb.documents.models import DocumentType, Register
from qlvb.incoming.models import IncomingDocument
from qlvb.organization import demo as demo_org
from qlvb.organization.models import Person, Position, Role, Unit

ISSUERS = ["UBND tỉnh Bắc Kạn", "Bộ Giao thông vận tải", "Cục Đường bộ Việt Nam", "Sở Tài chính",
           "Sở Kế hoạch và Đầu tư", "Công an tỉnh", "Ban An toàn giao thông tỉnh", "Sở Xây dựng",
           "UBND huyện Chợ Đồn", "UBND thành phố Bắc Kạn", "Cục Đăng kiểm Việt Nam", "Sở Nội vụ"]
ISSUER_CODES = ["UBND-GTCNXD", "BGTVT-KCHT", "CĐBVN-QLBTĐB", "STC-QLNS", "SKHĐT-TH", "CAT-PC08", "BATGT",
                "SXD-QLHT", "UBND-KT", "UBND-VP", "CĐKVN-TTKT", "SNV-TCBC"]
VERBS = ["V/v triển khai", "V/v báo cáo", "V/v đề nghị", "V/v hướng dẫn", "V/v phối hợp", "V/v đôn đốc",
         "V/v góp ý dự thảo", "V/v kiểm tra", "V/v tăng cường", "V/v đăng ký"]
TOPICS = ["kế hoạch bảo trì đường bộ", "an toàn giao thông dịp Tết", "đăng kiểm xe cơ giới", "dự toán ngân sách",
          "đầu tư công trung hạn", "cải tạo quốc lộ 3B", "xe quá khổ quá tải", "đào tạo sát hạch lái xe",
          "quy hoạch bến xe khách", "phòng chống thiên tai", "chuyển đổi số", "cầu yếu trên tuyến ĐT 254"]
TAILS = ["năm 2026", "quý IV", "trên địa bàn tỉnh", "giai đoạn 2026-2030", "tháng 12", "đợt 2"]


def ensure_people(officers_per_unit: int):
    agency = demo_org.load()
    demo_documents.load(agency)
    officer = Position.objects.get(name="Chuyên viên")
    password = make_password("BenchOnly@2026")
    units = list(Unit.objects.filter(kind__in=["office", "division", "inspectorate", "subordinate"]))
    new = []
    for unit in units:
        have = Person.objects.filter(unit=unit, position__role=Role.OFFICER).count()
        for i in range(have, officers_per_unit):
            username = f"bench.{unit.pk}.{i}"
            new.append(Person(username=username, full_name=f"Cán bộ {unit.abbreviation} {i}", unit=unit,
                              position=officer, password=password))
    Person.objects.bulk_create(new, batch_size=1000)
    return agency, units


DOCS_PER_YEAR = 20_000  # a provincial department receives some 10-30 thousand documents a year
RECENT_DAYS = 45        # work still open is recent: older documents are almost all done


def generate(total: int, officers_per_unit: int, per_year: int = DOCS_PER_YEAR, seed: int = 2026):
    rng = random.Random(seed + IncomingDocument.objects.count())
    agency, units = ensure_people(officers_per_unit)
    people = list(Person.objects.select_related("position", "unit"))
    clerk = next(p for p in people if p.username == "vanthu")
    director = next(p for p in people if p.username == "giamdoc")
    deputies = [p for p in people if p.username in ("pgd.mai", "pgd.minh", "pgd.dung")]
    heads = {u.pk: [p for p in people if p.unit_id == u.pk and p.position.role == Role.HEAD] for u in units}
    officers = {u.pk: [p for p in people if p.unit_id == u.pk and p.position.role == Role.OFFICER] for u in units}
    units = [u for u in units if heads[u.pk] and officers[u.pk]]
    types = list(DocumentType.objects.all())
    register = Register.objects.get(kind="incoming", is_confidential=False, year=timezone.localdate().year)
    done = IncomingDocument.objects.count()
    started, batch = time.monotonic(), 5000
    while done < total:
        n = min(batch, total - done)
        with transaction.atomic():
            locked = Register.objects.select_for_update().get(pk=register.pk)
            first = locked.last_number + 1
            locked.last_number += n
            locked.save(update_fields=["last_number"])
            _batch(rng, n, first, register, clerk, director, deputies, heads, officers, units, types,
                   span_days=max(60, total * 365 // per_year))
        done += n
        print(f"\r{done:,} documents ({time.monotonic() - started:.0f} s)", end="", flush=True)
    print()
    fill_code_keys()
    # Planner statistics, as autovacuum (PostgreSQL) or a periodic ANALYZE (SQLite) keep them in
    # production; without them PostgreSQL misplans small lookups right after a bulk load.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _derived(doc):
    """What `IncomingDocument.save` derives, which bulk_create skips: number and notation split, and the
    duplicate check's key (left empty, every row shares one key: the planner then scans the table)."""
    doc._join_code()
    doc.code_key = code_key(doc.notation)


def fill_code_keys():
    """Rows written by this script before it set the duplicate check's key get it now."""
    missing = (IncomingDocument.objects.filter(code_key="").exclude(notation="").order_by("pk")
               .only("pk", "notation", "code_key", "code_number", "code_notation"))
    last = 0
    while batch := list(missing.filter(pk__gt=last)[:5000]):
        last = batch[-1].pk
        for doc in batch:
            _derived(doc)
        with transaction.atomic():
            IncomingDocument.objects.bulk_update(batch, ["code_key", "code_number", "code_notation", "notation"],
                                                 batch_size=1000)
        print(f"\rduplicate keys filled for {batch[-1].pk}", end="", flush=True)


def _batch(rng, n, first, register, clerk, director, deputies, heads, officers, units, types, span_days):
    """Documents arrive evenly over `span_days`; the recent ones are still being processed, older ones
    are done but for a few stuck items, so a person's open work does not grow with the archive."""
    now = timezone.now()
    docs, plans = [], []
    for i in range(n):
        arrived = now - timedelta(days=rng.random() * span_days, minutes=rng.randrange(600))
        deadline = timezone.localdate(arrived) + timedelta(days=rng.choice([5, 7, 10, 15, 30]))
        code = rng.randrange(len(ISSUERS))
        summary = f"{rng.choice(VERBS)} {rng.choice(TOPICS)} {rng.choice(TAILS)}"
        recent = (now - arrived).days < RECENT_DAYS
        # fate < .7: done; < .9: at the officer; else higher up the tree
        fate = rng.random() if recent else (rng.random() * 0.7 if rng.random() > 0.002 else rng.random())
        doc = IncomingDocument(
            register=register, arrival_number=first + i, arrived_at=arrived, issuer_name=ISSUERS[code],
            notation=f"{rng.randrange(1, 3000)}/{ISSUER_CODES[code]}", issued_on=timezone.localdate(arrived)
            - timedelta(days=rng.randrange(1, 6)), document_type=rng.choice(types), summary=summary,
            urgency=rng.choices(["normal", "urgent", "very_urgent"], [90, 8, 2])[0], deadline=deadline,
            status="done" if fate < .7 else "in_progress", registered_by=clerk,
            completed_at=arrived + timedelta(days=rng.randrange(1, 20)) if fate < .7 else None,
        )
        doc.completed_on = timezone.localdate(doc.completed_at) if doc.completed_at else None
        _derived(doc)
        doc.search_text = fold(f"{doc.arrival_number} {doc.notation} {summary} {doc.issuer_name}")
        docs.append(doc)
        unit = rng.choice(units)
        plans.append((fate, arrived, deadline, unit, rng.choice(deputies), rng.choice(heads[unit.pk]),
                      rng.choice(officers[unit.pk]), rng.choice(units) if rng.random() < .3 else None))
    IncomingDocument.objects.bulk_create(docs, batch_size=2000)
    # One level at a time, so that each level's parents have their ids.
    levels = [[] for _ in range(5)]
    for doc, (fate, arrived, deadline, unit, deputy, head, officer, co_unit) in zip(docs, plans, strict=True):
        depth = 4 if fate < .9 else (2 if fate < .95 else 3)
        chain = [(clerk, director, None), (director, deputy, None), (deputy, head, unit), (head, officer, unit)]
        for level, (sender, receiver, r_unit) in enumerate(chain[:depth]):
            is_leaf = level == depth - 1
            state = "done" if fate < .7 else ("in_progress" if not is_leaf else
                                               rng.choice(["new", "seen", "in_progress", "pending"]))
            levels[level].append((doc, level, Assignment(
                document=doc, sender=sender, receiver=receiver, receiver_unit=r_unit or receiver.unit,
                to_unit=r_unit is not None and level == 2, role="main", state=state, box=box_for(state, "main"),
                deadline=deadline, created_at=arrived + timedelta(hours=level * 3),
                done_at=arrived + timedelta(days=2) if state == "done" else None,
                done_on=timezone.localdate(arrived + timedelta(days=2)) if state == "done" else None)))
        if co_unit is not None and depth >= 3 and co_unit.pk != unit.pk:
            state = "done" if fate < .7 else "new"
            levels[4].append((doc, 2, Assignment(
                document=doc, sender=deputy, receiver=heads[co_unit.pk][0], receiver_unit=co_unit, to_unit=True,
                role="co", state=state, box=box_for(state, "co"), deadline=deadline,
                created_at=arrived + timedelta(hours=6))))
    parents: dict[tuple[int, int], Assignment] = {}
    created_at = Assignment._meta.get_field("created_at")
    created_at.auto_now_add = False  # keep the times set above (bulk_create would stamp every item "now")
    try:
        _insert_levels(levels, parents)
    finally:
        created_at.auto_now_add = True


def _insert_levels(levels, parents):
    for rows in levels:
        for doc, level, assignment in rows:
            assignment.parent = parents.get((doc.pk, level - 1))
        Assignment.objects.bulk_create([a for _, _, a in rows], batch_size=2000)
        for doc, level, assignment in rows:
            if assignment.role == "main":
                parents[(doc.pk, level)] = assignment


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, required=True)
    parser.add_argument("--officers-per-unit", type=int, default=40)
    parser.add_argument("--per-year", type=int, default=DOCS_PER_YEAR,
                        help="arrival rate; a high one gives many people open work (the check-in bench)")
    args = parser.parse_args()
    generate(args.documents, args.officers_per_unit, args.per_year)
