"""What the routing suggestion costs (issue 12 item 4): the forward form's "Gợi ý" box for the Director and
for a head, and the API answer, on the database bench/generate.py filled (its documents go to random
units: the time is what is measured here, not the suggestion).

    .venv/bin/python bench/generate.py --documents 200000
    .venv/bin/python bench/routing_bench.py [--runs 30] [--rounds 3] [--module OLD_ROUTING.py]

`--module`: measure another version of qlvb/assignments/routing.py as well (say `git show <commit>:…`
saved to a file), in rounds interleaved with the current one, so both see the same load. `steps` is the
mean time of each step of a suggestion (the history read, the similarity, the chains) over the box's runs.
"""

import argparse
import importlib.util
import json
import os
import time
from collections import defaultdict

import setup_django  # noqa: F401
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from run import timed  # bench/run.py, beside this file
from search_bench import verify_second_factor

from qlvb.assignments import routing
from qlvb.assignments.models import Assignment
from qlvb.incoming.models import IncomingDocument

settings.ALLOWED_HOSTS = ["*"]
settings.QLVB_2FA_REQUIRED_ROLES = ""  # the Director is signed in by the test client, without a second factor


def open_item(**receiver):
    """The newest open item of such a receiver, on a document with a summary like the others'."""
    return (Assignment.objects.filter(box="todo", state__in=["new", "seen", "in_progress", "pending"], **receiver)
            .select_related("receiver", "document").order_by("-created_at").first())


CURRENT = dict(routing.__dict__)
STEPS = ("_history", "_similar", "_chains")


def use(path):
    """Run routing.py's functions from the file `path` (None: the current ones); the views call them
    through the module, and they call each other through the file's own globals."""
    routing.__dict__.update(CURRENT)
    if path:
        spec = importlib.util.spec_from_file_location("qlvb.assignments.routing_other", path)
        other = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(other)
        routing.__dict__.update({k: v for k, v in other.__dict__.items() if not k.startswith("__")})
    spent = defaultdict(list)
    where = routing.suggest.__globals__  # the module whose suggest() runs
    for name in STEPS:
        inner = where[name]

        def step(*args, _inner=inner, _name=name, **kwargs):
            start = time.perf_counter()
            try:
                return _inner(*args, **kwargs)
            finally:
                spent[_name].append((time.perf_counter() - start) * 1000)

        where[name] = step
    return spent


_clients = {}


def signed_in(person):
    """A client signed in as the person, once per run of the bench (an authenticator code is accepted
    once: a second sign-in in the same 30 seconds would be refused)."""
    if person.pk not in _clients:
        client = _clients[person.pk] = Client()
        client.force_login(person)
        if person.has_second_factor:  # enrolled by another bench (search_bench.py)
            verify_second_factor(client, person)
    return _clients[person.pk]


def measure(runs, path=None):
    spent = use(path)
    out = {"documents": IncomingDocument.objects.count(), "vendor": connection.vendor,
           "load": os.getloadavg(), "module": path or "current"}
    for name, item in (("director", open_item(receiver__username="giamdoc", parent=None)),
                       ("head", open_item(receiver__position__role="head", parent__isnull=False))):
        client = signed_in(item.receiver)
        url = f"/assignments/{item.pk}/routing-suggestions/"
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        spent.clear()
        out[f"{name}_box"] = {**timed(lambda url=url, client=client: client.get(url), runs),
                              "queries": len(queries), "suggested": "routing-suggestion" in response.content.decode(),
                              "reasons": routing_reasons(response.content.decode()),
                              "steps": {k: round(sum(v) / len(v), 1) for k, v in spent.items() if v}}
        api = f"/api/incoming/{item.document_id}/routing-suggestions"
        out[f"{name}_api"] = timed(lambda api=api, client=client: client.get(api), runs)
    use(None)
    return out


def routing_reasons(page):
    import lxml.html

    if not page.strip():
        return []
    return [e.text_content().strip() for e in lxml.html.fromstring(page).xpath('//*[@data-testid="routing-reason"]')]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--module", help="another routing.py to measure, interleaved with the current one")
    args = parser.parse_args()
    results = []
    for _ in range(args.rounds):
        for path in ([args.module] if args.module else []) + [None]:
            results.append(measure(args.runs, path))
            print(json.dumps(results[-1]), flush=True)
