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


def pick(page, select, typed):
    """Choose in a searchable picker (Tom Select over `select`) with the keyboard only: type part of the
    name, without accents if one likes, and press Enter on the first match."""
    field = page.locator(f"{select} + .ts-wrapper .ts-control input")
    field.focus()
    field.press_sequentially(typed)
    # The list refreshes a moment after typing: wait until the highlighted option is a match.
    page.wait_for_function("""([select, typed]) => {
        const fold = (t) => t.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
        const active = document.querySelector(select + " + .ts-wrapper .ts-dropdown .option.active");
        return active && fold(active.textContent).includes(fold(typed));
    }""", arg=[select, typed])
    field.press("Enter")


def fill_date(page, selector, day):
    """A date field, whichever way the page asks for it (a browser date input, or dd/mm/yyyy text)."""
    kind = page.get_attribute(selector, "type")
    page.fill(selector, day.isoformat() if kind == "date" else day.strftime("%d/%m/%Y"))


def forward(actor, item, *targets, **kwargs):
    return flow.forward(actor=actor, assignment=item, targets=list(targets), **kwargs)


def signed_in(new_page, username):
    page = new_page()
    sign_in(page, username, DEMO_PASSWORD)
    page.wait_for_selector("[data-testid=home-title]")
    return page


__all__ = ["Target", "fill_date", "forward", "overdue_document", "pick", "root_of", "signed_in"]
