"""Property-based fuzzing of the whole OpenAPI schema as signed-in people: never a server error.

A small example count keeps it in the suite; `bench/fuzz_api.sh` runs it longer.
"""

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from qlvb.api import api
from tests.factories import register_doc

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = WSGIHandler()
EXAMPLES = int(os.environ.get("QLVB_FUZZ_EXAMPLES", "8"))
CSRF = "q" * 32


@pytest.fixture
def sessions(demo):
    """Cookies of a clerk and a leader, with a CSRF token the API accepts."""
    register_doc(demo.vanthu)
    # As Django's test client does: requests must not close the test's database connection.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    cookies = {}
    for username in ("vanthu", "giamdoc"):
        client = Client()
        client.force_login(demo[username])
        cookies[username] = {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF}
    yield cookies
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_api_never_fails_with_a_server_error(case, sessions):
    for cookies in sessions.values():
        response = case.call(cookies=cookies, headers={"X-CSRFToken": CSRF, "Referer": "http://localhost/"})
        case.validate_response(response, checks=[not_a_server_error])
