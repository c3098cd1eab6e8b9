"""Issue 11.5: the menu shows each role's figures — to do and overdue, waiting for approval, waiting
for a number — the same numbers as the pages they open."""

import pytest

from qlvb.records import services as records
from tests.factories import reply_path

from .daily import Target, forward, overdue_document, root_of, signed_in

pytestmark = pytest.mark.django_db(transaction=True)


def _figures(page, name):
    page.wait_for_selector(f"[data-testid=menu-count-{name}] .badge")
    return page.locator(f"[data-testid=menu-count-{name}] .badge").all_inner_texts()


def test_menu_counts_match_the_pages(new_page, demo):
    late = overdue_document(demo, "V/v báo cáo số liệu tai nạn giao thông quý IV")
    forward(demo.giamdoc, root_of(late), Target("main", person=demo["tp.qlvt"]))
    _incoming, _record, draft = reply_path(demo)  # one more item the head forwarded to his officer
    records.submit(actor=demo["cv.qlvt.long"], draft=draft)

    head = signed_in(new_page, "tp.qlvt")
    head.goto("/incoming/")
    figures = _figures(head, "incominginbox")
    assert [f.split()[0] for f in figures] == [head.inner_text("[data-testid=tab-todo] .badge"),
                                               head.inner_text("[data-testid=tab-overdue] .badge")] == ["1", "1"]
    assert [f.split()[0] for f in _figures(head, "recordslist")] == ["1"]  # the officer's draft

    records.approve(actor=demo["tp.qlvt"], draft=draft)
    records.sign(actor=demo["pgd.mai"], draft=draft)
    clerk = signed_in(new_page, "vanthu")
    assert [f.split()[0] for f in _figures(clerk, "outgoinglist")] == ["1"]
