"""The dashboard's weekly series: the figures behind the charts, by the agency's weeks and days."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from qlvb.assignments import services as flow
from qlvb.assignments.models import Assignment
from qlvb.monitoring.selectors import weekly_series
from qlvb.organization.models import Unit
from tests.factories import register_doc, root_of

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def _done(document, *, done_on, deadline):
    flow.complete(actor=root_of(document).receiver, assignment=root_of(document), result="Xong")
    Assignment.objects.filter(document=document).update(done_on=done_on, deadline=deadline)


def test_weeks_count_arrivals_and_on_time_completions(demo, django_assert_num_queries):
    clerk = demo.vanthu
    a = register_doc(clerk, notation="1/A", arrived_at=datetime(2026, 11, 17, 9, tzinfo=HCM))
    register_doc(clerk, notation="2/A", arrived_at=datetime(2026, 11, 22, 20, tzinfo=HCM))  # Sunday
    b = register_doc(clerk, notation="3/A", arrived_at=datetime(2026, 11, 23, 6, tzinfo=HCM))  # Monday, 22/11 in UTC
    register_doc(clerk, notation="4/A", arrived_at=datetime(2026, 11, 13, 9, tzinfo=HCM))  # before the period
    _done(a, done_on=date(2026, 11, 18), deadline=date(2026, 11, 20))
    _done(b, done_on=date(2026, 11, 24), deadline=date(2026, 11, 20))
    with django_assert_num_queries(5):  # two grouped queries; the viewer's roles and delegations (two rules)
        series = weekly_series(demo.giamdoc, weeks=2, today=date(2026, 11, 25))
    assert series == [
        {"week": date(2026, 11, 16), "received": 2, "on_time": 1, "late": 0},
        {"week": date(2026, 11, 23), "received": 1, "on_time": 0, "late": 1},
    ]
    board = Unit.objects.get(abbreviation=root_of(a).receiver_unit.abbreviation)
    assert [w["received"] for w in weekly_series(demo.giamdoc, weeks=2, unit=board, today=date(2026, 11, 25))] == [2, 1]
    other = Unit.objects.get(abbreviation="KHTC")
    assert weekly_series(demo.giamdoc, weeks=2, unit=other, today=date(2026, 11, 25))[0]["received"] == 0
