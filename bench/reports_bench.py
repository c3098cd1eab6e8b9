"""Reports and check-ins at scale, on the database bench/generate.py filled:
the yearly report, its Excel export (time and memory), and one check-in digest run.

    .venv/bin/python bench/reports_bench.py
"""

import json
import resource
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import setup_django  # noqa: F401
from django.conf import settings
from django.db import connection
from django.utils import timezone

from qlvb.incoming.models import IncomingDocument
from qlvb.monitoring import scheduler
from qlvb.monitoring.models import Delivery, JobRun, Notification
from qlvb.reports import exports, selectors

settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # no e-mail queue here


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    today = timezone.localdate()
    year = selectors.Period(start=date(today.year, 1, 1), end=today)
    out = {"database": connection.vendor, "documents": IncomingDocument.objects.count()}
    # The first run reads the year's rows from disk; later ones from the page cache, as a server does.
    runs = []
    for _ in range(4):
        start = time.perf_counter()
        data = selectors.report(year)
        runs.append(time.perf_counter() - start)
    out["yearly_report_cold_s"], out["yearly_report_s"] = runs[0], sorted(runs[1:])[1]
    out["documents_in_year"] = data["received"]["total"]
    before = rss_mb()
    start = time.perf_counter()
    content = exports.excel(data)
    out["excel_export_s"] = time.perf_counter() - start
    out["excel_bytes"] = len(content)
    out["rss_mb_before_export"], out["rss_mb_after_export"] = before, rss_mb()
    # One check-in digest run: the next working day at 07:31, as the scheduler would run it.
    moment = datetime.combine(today + timedelta(days=1), datetime.min.time()).replace(hour=7, minute=31)
    moment = timezone.make_aware(moment)
    while not scheduler.is_working_day(moment.date()):
        moment += timedelta(days=1)
    JobRun.objects.filter(job__in=["digest", "reminders"]).delete()
    day = moment.date()
    start = time.perf_counter()
    scheduler._run("digest", f"{day} bench", scheduler._digest_people(day), scheduler._send_digest, day)
    out["digest_run_s"] = time.perf_counter() - start
    out["digests_sent"] = Delivery.objects.filter(run__job="digest").count()
    start = time.perf_counter()
    scheduler._run("reminders", f"{day} bench", scheduler._reminder_items(day), scheduler._send_reminder, day)
    out["reminders_run_s"] = time.perf_counter() - start
    out["reminders_sent"] = Delivery.objects.filter(run__job="reminders").count()
    Notification.objects.filter(kind__in=["digest", "overdue", "due_tomorrow"], created_at__gte=timezone.now()
                                - timedelta(hours=1)).delete()
    JobRun.objects.filter(job__in=["digest", "reminders"]).delete()
    target = Path(__file__).parent / "out" / f"reports-{connection.vendor}-{out['documents']}.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
