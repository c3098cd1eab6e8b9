"""The officer's inbox page against a bare authenticated page that runs the same SQL (issue 16 item 9:
"the officer's inbox within 2× of a bare authenticated page that runs the same SQL").

    .venv/bin/python bench/inbox_overhead_bench.py [--runs 200] [--url "/incoming/?tab=todo"]

Uses the database that DATABASE_URL (or the default SQLite under QLVB_VAR_DIR) points to, filled by
bench/generate.py; the officer is the one at the median of the to-do counts (as bench/run.py).
Both pages go through the whole middleware stack (session, user, two-factor check, CSRF, audit
context, security headers) with Django's test client, in one process, interleaved run by run so that
other work on the machine weighs on both alike. The bare page is a view that executes, on the same
connection, the statements the inbox view itself ran (captured once, less those the middleware runs
for any page: the session, the person, their roles), fetches every row and answers two lines. What
the inbox costs beyond the bare page is therefore not SQL: building the rows, Python logic, the
template. Also timed: the bare page without the replayed SQL (the fixed cost of a signed-in request)
and the replayed SQL alone.
"""

import argparse
import platform
import re
import statistics
import sys
import time
from collections import Counter

import setup_django  # noqa: F401
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import include, path

from qlvb.assignments.models import Assignment

settings.ALLOWED_HOSTS = ["*"]
REPLAY: list[str] = []


def run_replay():
    with connection.cursor() as cursor:
        for sql in REPLAY:
            cursor.execute(sql)
            cursor.fetchall()


@login_required
def bare(request):
    run_replay()
    return HttpResponse(f"{request.user.pk}\n{len(REPLAY)}\n", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), path("", include("qlvb.urls"))]


def shape(sql: str) -> str:
    """A statement without its literal values (the session's expiry changes on every request)."""
    return re.sub(r"'[^']*'", "?", sql)


def captured(client, url) -> list[str]:
    client.get(url)  # warm: the first page of a session writes it
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def percentiles(samples):
    samples = sorted(samples)
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


def main():
    from run import typical

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--url", default="/incoming/?tab=todo")
    args = parser.parse_args()
    officer, todo = typical(Assignment.objects.filter(box="todo", receiver__position__role="officer"), "receiver")
    client = Client()
    client.force_login(officer)
    with override_settings(ROOT_URLCONF="__main__"):
        middleware = Counter(shape(sql) for sql in captured(client, "/bench/bare/"))
        page = captured(client, args.url)
        for sql in page:
            if middleware[shape(sql)]:
                middleware[shape(sql)] -= 1
            else:
                REPLAY.append(sql)
        assert client.get("/bench/bare/").content.decode().split()[1] == str(len(REPLAY))
        samples = {"inbox page": [], "bare page + same SQL": [], "bare page, no SQL": [], "the SQL alone": []}
        replay = list(REPLAY)
        for _ in range(20):  # warm-up
            client.get(args.url), client.get("/bench/bare/")
        for _ in range(args.runs):
            for name, work in (("inbox page", lambda: client.get(args.url)),
                               ("bare page + same SQL", lambda: client.get("/bench/bare/")),
                               ("the SQL alone", run_replay)):
                started = time.perf_counter()
                work()
                samples[name].append((time.perf_counter() - started) * 1000)
            REPLAY.clear()
            started = time.perf_counter()
            client.get("/bench/bare/")
            samples["bare page, no SQL"].append((time.perf_counter() - started) * 1000)
            REPLAY.extend(replay)
    print(f"{connection.vendor}, {platform.processor() or platform.machine()}, Python {sys.version.split()[0]}; "
          f"{officer.username} with {todo} to do; {len(page)} statements on the page, {len(REPLAY)} of them "
          f"the view's; {args.runs} runs")
    print("| measurement | p50 ms | p95 ms |\n|---|---|---|")
    for name, values in samples.items():
        p50, p95 = percentiles(values)
        print(f"| {name} | {p50:.1f} | {p95:.1f} |")
    inbox, same = percentiles(samples["inbox page"]), percentiles(samples["bare page + same SQL"])
    print(f"| inbox ÷ bare page with the same SQL | {inbox[0] / same[0]:.2f}× | {inbox[1] / same[1]:.2f}× |")


if __name__ == "__main__":
    main()
