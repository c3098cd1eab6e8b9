"""What starting every list from the viewer's visible set costs: the pages it touches (officer's inbox,
head's unit and unit-overdue tabs, head's and leader's dashboards), their list queries, and the check-in
digest's recipients, on the database bench/generate.py filled.

    QLVB_CODE=/path/to/other/checkout .venv/bin/python bench/visibility_bench.py [--runs 50]

QLVB_CODE (default: this checkout) names the code measured, so that the same script times an older
commit against the same data; it copes with `unit_items(unit)` (before) and `unit_items(person, unit)`.
"""

import argparse
import inspect
import json
import os
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

CODE = Path(os.environ.get("QLVB_CODE", Path(__file__).resolve().parent.parent)).resolve()
sys.path.insert(0, str(CODE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qlvb.settings")
os.environ.setdefault("QLVB_VAR_DIR", str(CODE / "var" / "bench"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from run import timed  # noqa: E402  (bench/run.py, beside this file)

from qlvb.assignments import selectors  # noqa: E402
from qlvb.assignments.models import Assignment  # noqa: E402
from qlvb.incoming.models import IncomingDocument  # noqa: E402
from qlvb.monitoring import scheduler  # noqa: E402
from qlvb.monitoring.models import Delivery, JobRun, Notification  # noqa: E402
from qlvb.organization.models import Person  # noqa: E402

settings.ALLOWED_HOSTS = ["*"]
settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # no e-mail queue here
NEW_SIGNATURE = "person" in inspect.signature(selectors.unit_items).parameters


def unit_items(person, **kwargs):
    if NEW_SIGNATURE:
        return selectors.unit_items(person, person.unit, **kwargs)
    return selectors.unit_items(person.unit, **kwargs)


def people():
    """The officer at the median of open items, the head of the unit with the most overdue items, the
    Director (as bench/run.py chooses them)."""
    rows = list(Assignment.objects.filter(box="todo", receiver__position__role="officer")
                .values("receiver").annotate(n=Count("id")).order_by("n", "receiver"))
    officer = Person.objects.get(pk=rows[len(rows) // 2]["receiver"])
    overdue = Assignment.objects.filter(box="todo", deadline__lt=timezone.localdate(),
                                        receiver_unit__isnull=False).exclude(receiver_unit__kind="leadership")
    unit = overdue.values("receiver_unit").annotate(n=Count("id")).order_by("-n", "receiver_unit").first()
    head = Person.objects.filter(unit_id=unit["receiver_unit"], position__role="head").order_by("pk").first()
    return officer, head, Person.objects.get(username="giamdoc")


def pages(runs):
    officer, head, leader = people()
    client = Client()
    out = {"officer": officer.username, "head": head.username, "leader": leader.username}
    client.force_login(officer)
    out["officer_inbox_page"] = timed(lambda: client.get("/incoming/?tab=todo"), runs)
    out["officer_inbox_orm"] = timed(lambda: list(selectors.inbox(officer, "todo")[:25]), runs)
    out["officer_counts_orm"] = timed(lambda: selectors.counts(officer), runs)
    client.force_login(head)
    for tab in ("todo", "unit", "unit_overdue"):
        response = client.get(f"/incoming/?tab={tab}")
        assert response.status_code == 200, (tab, response.status_code)
        out[f"head_{tab}_page"] = timed(lambda tab=tab: client.get(f"/incoming/?tab={tab}"), runs)
    out["head_unit_orm"] = timed(lambda: list(unit_items(head)[:25]), runs)
    out["head_unit_count_orm"] = timed(lambda: unit_items(head).count(), runs)
    out["head_unit_overdue_orm"] = timed(lambda: list(unit_items(head, overdue_only=True)[:25]), runs)
    out["head_unit_overdue_count_orm"] = timed(lambda: unit_items(head, overdue_only=True).count(), runs)
    out["head_dashboard_page"] = timed(lambda: client.get("/monitoring/"), runs)
    client.force_login(leader)
    out["leader_dashboard_page"] = timed(lambda: client.get("/monitoring/"), runs)
    return out


def digest(runs):
    """The digest's recipients and counts (what changed), then one whole run as bench/reports_bench.py."""
    moment = timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=1),
                                                  datetime.min.time()).replace(hour=7, minute=31))
    while not scheduler.is_working_day(moment.date()):
        moment += timedelta(days=1)
    day = moment.date()
    recipients = list(scheduler._digest_people(day))
    out = {"digest_people": len(recipients),
           "digest_heads_unit_overdue": sorted(r["unit_overdue"] for _p, _k, r in recipients if "unit_overdue" in r),
           "digest_people_ms": timed(lambda: list(scheduler._digest_people(day)), max(runs // 5, 3))}
    JobRun.objects.filter(job="digest").delete()
    start = time.perf_counter()
    scheduler._run("digest", f"{day} bench", scheduler._digest_people(day), scheduler._send_digest, day)
    out["digest_run_s"] = round(time.perf_counter() - start, 3)
    out["digests_sent"] = Delivery.objects.filter(run__job="digest").count()
    Notification.objects.filter(kind="digest", created_at__gte=timezone.now() - timedelta(hours=1)).delete()
    JobRun.objects.filter(job="digest").delete()
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    load = os.getloadavg()
    out = {"code": str(CODE), "database": connection.vendor, "documents": IncomingDocument.objects.count(),
           "load_before": [round(x, 2) for x in load]}
    out.update(pages(args.runs))
    out.update(digest(args.runs))
    out["load_after"] = [round(x, 2) for x in os.getloadavg()]
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
