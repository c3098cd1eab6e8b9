"""Issue 11.4: counts that add up. The head's per-person table counts each piece of work once, with
the person who holds it; the numbers agree with the head's own tabs; each number opens its rows."""

import pytest

from .daily import Target, forward, overdue_document, root_of, signed_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_heads_table_counts_each_overdue_item_once_and_links_to_it(new_page, demo):
    passed_on = overdue_document(demo, "V/v kiểm tra phù hiệu xe tuyến cố định")
    kept = overdue_document(demo, "V/v thống kê phương tiện thủy nội địa")
    for document in (passed_on, kept):
        forward(demo.giamdoc, root_of(document), Target("main", person=demo["tp.qlvt"]))
    head_item = passed_on.assignments.get(receiver=demo["tp.qlvt"])
    forward(demo["tp.qlvt"], head_item, Target("main", person=demo["cv.qlvt.long"]))

    head = signed_in(new_page, "tp.qlvt")
    head.goto("/monitoring/")
    head_row = head.locator(f"[data-testid=people] tr[data-person='{demo['tp.qlvt'].pk}']")
    officer_row = head.locator(f"[data-testid=people] tr[data-person='{demo['cv.qlvt.long'].pk}']")
    assert head_row.locator("[data-testid=count-overdue]").inner_text() == "1"
    assert officer_row.locator("[data-testid=count-overdue]").inner_text() == "1"

    officer_row.locator("[data-testid=count-overdue] a").click()
    head.wait_for_selector("[data-testid=inbox-table]")
    rows = head.inner_text("[data-testid=inbox-table]")
    assert "phù hiệu xe tuyến cố định" in rows and "phương tiện thủy nội địa" not in rows

    head.goto("/incoming/")  # his own tabs: only what he holds himself is overdue for him
    assert head.inner_text("[data-testid=tab-overdue] .badge") == "1"
    assert head.inner_text("[data-testid=tab-unit_overdue] .badge") == "2"
