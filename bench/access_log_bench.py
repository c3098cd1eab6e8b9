"""What the access history (F-5.a, F-6.l) costs a page view: `log_access` alone (a new entry: the
coalescing probe + one INSERT; a repeat: the probe only), and the incoming document page and an
attachment download with the history written and with it switched off, over an AccessLog already
holding --rows entries (a year of a busy agency).

    QLVB_VAR_DIR=var/bench-access .venv/bin/python bench/access_log_bench.py [--rows 200000] [--runs 200]
    DATABASE_URL=postgres://…/qlvb_bench_access  (same, on PostgreSQL)

Makes its own database (migrate, the demo agency, one registered document) in QLVB_VAR_DIR or DATABASE_URL.
"""

import argparse
import json
import os
import random
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qlvb.settings")
os.environ.setdefault("QLVB_VAR_DIR", str(ROOT / "var" / "bench-access"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from run import timed  # noqa: E402  (bench/run.py, beside this file)

from qlvb.audit import services as audit  # noqa: E402
from qlvb.audit.models import AccessLog  # noqa: E402
from qlvb.documents import demo as demo_registers  # noqa: E402
from qlvb.incoming import views as incoming_views  # noqa: E402
from qlvb.incoming.models import IncomingDocument  # noqa: E402
from qlvb.organization import demo as demo_org  # noqa: E402
from qlvb.organization.models import Agency, Person  # noqa: E402
from tests.factories import register_doc  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def prepare(rows: int):
    call_command("migrate", verbosity=0)
    if not Agency.objects.exists():
        demo_registers.load(demo_org.load())
    clerk = Person.objects.get(username="vanthu")
    document = IncomingDocument.objects.first() or register_doc(clerk)
    missing = rows - AccessLog.objects.count()
    people = list(Person.objects.values_list("pk", flat=True))
    now, rng = timezone.now(), random.Random(1)
    while missing > 0:
        batch = [AccessLog(person_id=rng.choice(people), action="view", object_type="incoming.incomingdocument",
                           object_id=rng.randrange(1, 20000), object_repr="x",
                           at=now - timedelta(seconds=rng.randrange(365 * 86400)))
                 for _ in range(min(missing, 5000))]
        AccessLog.objects.bulk_create(batch)
        missing -= len(batch)
    return clerk, document


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    clerk, document = prepare(args.rows)
    attachment = document.attachments.first()
    results = {"database": connection.vendor, "rows": AccessLog.objects.count(), "runs": args.runs}

    settings.QLVB_ACCESS_COALESCE_MINUTES = 0
    results["log_access new entry (ms)"] = timed(
        lambda: audit.log_access(person=clerk, action="view", obj=document), args.runs)
    settings.QLVB_ACCESS_COALESCE_MINUTES = 5
    results["log_access coalesced repeat (ms)"] = timed(
        lambda: audit.log_access(person=clerk, action="view", obj=document), args.runs)

    client = Client()
    client.force_login(clerk)
    page, file = f"/incoming/{document.pk}/", f"/incoming/{document.pk}/files/{attachment.pk}/?download=1"

    def get(url):
        def run():
            response = client.get(url)
            b"".join(response.streaming_content if response.streaming else [response.content])
            response.close()
        return run

    real_page_log, real_file_log = incoming_views.log_access, audit.log_access
    for label, minutes in (("written every time", 0), ("repeat coalesced", 5)):
        settings.QLVB_ACCESS_COALESCE_MINUTES = minutes
        results[f"incoming page, {label} (ms)"] = timed(get(page), args.runs)
        results[f"attachment download, {label} (ms)"] = timed(get(file), args.runs)
    incoming_views.log_access = lambda **kwargs: None
    audit.log_access = lambda **kwargs: None
    try:
        results["incoming page, history off (ms)"] = timed(get(page), args.runs)
        results["attachment download, history off (ms)"] = timed(get(file), args.runs)
    finally:
        incoming_views.log_access, audit.log_access = real_page_log, real_file_log
    results["rows after"] = AccessLog.objects.count()
    print(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
