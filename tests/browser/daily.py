"""Shared steps of the daily-use walks (issue 11): documents in the states the walks start from."""

from datetime import timedelta

from django.utils import timezone

from qlvb.assignments import services as flow
from qlvb.assignments.services import Target
from qlvb.organization.demo import DEMO_PASSWORD
from tests.factories import register_doc, root_of

from .conftest import sign_in


def overdue_document(demo, summary, *, days_late=2):
    """A document whose own deadline passed `days_late` days ago; it arrived before that."""
    today = timezone.localdate()
    return register_doc(demo.vanthu, summary=summary, deadline=today - timedelta(days=days_late),
                        arrived_at=timezone.now() - timedelta(days=days_late + 5))


def forward(actor, item, *targets, **kwargs):
    return flow.forward(actor=actor, assignment=item, targets=list(targets), **kwargs)


def signed_in(new_page, username):
    page = new_page()
    sign_in(page, username, DEMO_PASSWORD)
    page.wait_for_selector("[data-testid=home-title]")
    return page


__all__ = ["Target", "forward", "overdue_document", "root_of", "signed_in"]
