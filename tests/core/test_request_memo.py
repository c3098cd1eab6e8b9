"""Delegations held are read once per request (a page asked up to five times), and a delegation given
or revoked during the request is seen by the rest of it; outside a request nothing is remembered."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from qlvb import access
from qlvb.core.request_memo import RequestMemoMiddleware
from qlvb.organization import services

pytestmark = pytest.mark.django_db


def in_one_request(work):
    """Runs `work` as a view between the middleware, returning what it returned."""
    out = {}

    def view(request):
        out["value"] = work()
        return None

    RequestMemoMiddleware(view)(RequestFactory().get("/"))
    return out["value"]


def test_a_delegation_given_or_revoked_in_a_request_is_seen_by_the_rest_of_it(demo, django_assert_num_queries):
    officer, head = demo["pgd.mai"], demo.giamdoc  # the Director hands over to his Deputy
    now = timezone.now()

    def work():
        before = access.delegations_held(officer)
        with django_assert_num_queries(0):
            access.delegations_held(officer)  # asked again: remembered
        given = services.delegate(actor=head, delegator=head, delegate_to=officer, starts_at=now - timedelta(hours=1),
                                  ends_at=now + timedelta(days=1))
        after = access.delegations_held(officer)
        services.revoke_delegation(actor=head, delegation=given)
        return before, after, access.delegations_held(officer)

    before, after, revoked = in_one_request(work)
    assert before == [] and [d.delegator for d in after] == [head] and revoked == []


def test_outside_a_request_nothing_is_remembered(demo, django_assert_num_queries):
    with django_assert_num_queries(2):  # asked twice, read twice
        access.delegations_held(demo["cv.qlvt.long"])
        access.delegations_held(demo["cv.qlvt.long"])
