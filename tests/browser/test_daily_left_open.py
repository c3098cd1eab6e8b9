"""Issue 11.3: items left open on a finished document. Completing the document offers to close them;
a head sees and closes their unit's, a leader the agency's, each with its holder and a reason; the
holders are told."""

import pytest

from qlvb.monitoring.models import Notification
from qlvb.organization.models import Unit
from tests.factories import register_doc

from .daily import Target, forward, root_of, signed_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_items_left_open_are_seen_and_closed_with_a_reason(new_page, demo):
    summary = "V/v tổng kết công tác đảm bảo trật tự an toàn giao thông năm 2026"
    document = register_doc(demo.vanthu, summary=summary)
    qlvt, khtc = Unit.objects.get(abbreviation="QLVT"), Unit.objects.get(abbreviation="KHTC")
    forward(demo.giamdoc, root_of(document), Target("main", person=demo["pgd.mai"]),
            Target("info", unit=qlvt), Target("co", unit=khtc))

    deputy = signed_in(new_page, "pgd.mai")
    deputy.goto(f"/incoming/{document.pk}/")
    deputy.fill("[data-testid=process-form] textarea", "Đã báo cáo UBND tỉnh")
    deputy.click("[data-testid=complete]")
    deputy.wait_for_selector(".alert-success")
    offer = deputy.inner_text("[data-testid=left-open]")  # the completion offers to close the rest
    assert "Ngô Thị Hương" in offer and "Phan Văn Đức" in offer

    head = signed_in(new_page, "tp.qlvt")
    head.goto("/monitoring/")
    mine = head.inner_text("[data-testid=left-open]")
    assert summary in mine and "Phan Văn Đức" in mine and "Ngô Thị Hương" not in mine
    head.fill("[data-testid=left-open] textarea[name=reason]", "Đã nắm nội dung")
    head.click("[data-testid=left-open-submit]")
    head.wait_for_selector(".alert-success")

    deputy.reload()
    rest = deputy.inner_text("[data-testid=left-open]")
    assert "Ngô Thị Hương" in rest and "Phan Văn Đức" not in rest
    deputy.fill("[data-testid=left-open] textarea[name=reason]", "Văn bản đã báo cáo xong")
    deputy.click("[data-testid=left-open-submit]")
    deputy.wait_for_selector(".alert-success")
    assert deputy.locator("[data-testid=left-open]").count() == 0
    assert not document.assignments.filter(state__in=["new", "seen", "in_progress", "pending"]).exists()
    told = Notification.objects.filter(recipient=demo["tp.khtc"], text__contains="Văn bản đã báo cáo xong")
    assert told.exists()
