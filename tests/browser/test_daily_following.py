"""Issue 11.2: a leader's "Cần xử lý" empties once they have forwarded; what waits on others is under
"Đang theo dõi", each tab with its own count."""

import pytest

from tests.factories import register_doc

from .daily import signed_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_forwarded_work_moves_from_to_do_to_following(new_page, demo):
    summary = "V/v góp ý dự thảo quy hoạch bến xe khách tỉnh"
    document = register_doc(demo.vanthu, summary=summary)
    other = register_doc(demo.vanthu, summary="V/v cử cán bộ dự tập huấn an toàn giao thông")

    director = signed_in(new_page, "giamdoc")
    director.goto(f"/incoming/{document.pk}/")
    director.select_option(f"[data-testid=role-p-{demo['pgd.mai'].pk}]", "main")
    director.click("[data-testid=forward-submit]")
    director.wait_for_selector(".alert-success")

    director.goto("/incoming/?tab=todo")
    todo = director.inner_text("[data-testid=inbox-table]")
    assert summary not in todo and other.summary in todo
    assert director.inner_text("[data-testid=tab-todo] .badge") == "1"
    assert director.inner_text("[data-testid=tab-following] .badge") == "1"
    director.click("[data-testid=tab-following]")
    following = director.inner_text("[data-testid=inbox-table]")
    assert summary in following and other.summary not in following
    assert "Trần Thị Mai" in following  # who has it now
