"""What the routing suggestion costs (issue 12 item 4): the forward form's "Gợi ý" box for the Director and
for a head, and the API answer, on the database bench/generate.py filled (its documents go to random
units: the time is what is measured here, not the suggestion).

    .venv/bin/python bench/generate.py --documents 200000
    .venv/bin/python bench/routing_bench.py [--runs 30]
"""

import argparse
import json
import os

import setup_django  # noqa: F401
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from run import timed  # bench/run.py, beside this file

from qlvb.assignments.models import Assignment
from qlvb.incoming.models import IncomingDocument

settings.ALLOWED_HOSTS = ["*"]
settings.QLVB_2FA_REQUIRED_ROLES = ""  # the Director is signed in by the test client, without a second factor


def open_item(**receiver):
    """The newest open item of such a receiver, on a document with a summary like the others'."""
    return (Assignment.objects.filter(box="todo", state__in=["new", "seen", "in_progress", "pending"], **receiver)
            .select_related("receiver", "document").order_by("-created_at").first())


def measure(runs):
    out = {"documents": IncomingDocument.objects.count(), "vendor": connection.vendor,
           "load": os.getloadavg()}
    for name, item in (("director", open_item(receiver__username="giamdoc", parent=None)),
                       ("head", open_item(receiver__position__role="head", parent__isnull=False))):
        client = Client()
        client.force_login(item.receiver)
        url = f"/assignments/{item.pk}/routing-suggestions/"
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        out[f"{name}_box"] = {**timed(lambda url=url, client=client: client.get(url), runs),
                              "queries": len(queries), "suggested": "routing-suggestion" in response.content.decode()}
        api = f"/api/incoming/{item.document_id}/routing-suggestions"
        out[f"{name}_api"] = timed(lambda api=api, client=client: client.get(api), runs)
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    print(json.dumps(measure(parser.parse_args().runs), indent=2))
