"""A head sees an overdue item on the dashboard and urges it; the officer's bell shows it without a
reload and the urge stands in the processing tree."""

from datetime import timedelta

import pytest
from django.utils import timezone

from qlvb.assignments import services as flow
from qlvb.assignments.models import Assignment
from qlvb.assignments.services import Target
from qlvb.monitoring.models import Notification
from qlvb.organization.demo import DEMO_PASSWORD
from tests.factories import register_doc, root_of

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_head_urges_and_officer_sees_it(new_page, demo):
    document = register_doc(demo.vanthu, summary="V/v báo cáo tình hình sạt lở đường tỉnh 258")
    head = flow.forward(actor=demo.giamdoc, assignment=root_of(document),
                        targets=[Target("main", person=demo["tp.qlvt"])])[0]
    item = flow.forward(actor=demo["tp.qlvt"], assignment=head, targets=[Target("main", person=demo["cv.qlvt.long"])])[0]
    Assignment.objects.filter(pk=item.pk).update(deadline=timezone.localdate() - timedelta(days=2))
    Notification.objects.filter(recipient=demo["cv.qlvt.long"]).update(read_at=timezone.now())

    officer = new_page()
    sign_in(officer, "cv.qlvt.long", DEMO_PASSWORD)
    officer.wait_for_selector("[data-testid=home-title]")
    assert officer.locator("[data-testid=unread]").count() == 0

    head_page = new_page()
    sign_in(head_page, "tp.qlvt", DEMO_PASSWORD)
    head_page.goto("/monitoring/")
    assert "sạt lở đường tỉnh 258" in head_page.inner_text("[data-testid=overdue]")
    head_page.check(f"[data-testid=pick-{item.pk}]")
    head_page.fill("[data-testid=urge-message]", "Đề nghị báo cáo trước 16 giờ hôm nay")
    head_page.click("[data-testid=urge-submit]")
    head_page.wait_for_selector(".alert-success")

    # The badge polls every 30 s; the qlvb:refresh event asks for the same request at once.
    officer.evaluate("document.body.dispatchEvent(new Event('qlvb:refresh'))")
    officer.wait_for_selector("[data-testid=unread]", timeout=10000)
    assert officer.inner_text("[data-testid=unread]") == "1"
    officer.click("[data-testid=bell]")
    officer.click("text=Đề nghị báo cáo trước 16 giờ hôm nay")
    tree = officer.inner_text("[data-testid=tree]")
    assert "Đôn đốc" in tree and "Đề nghị báo cáo trước 16 giờ hôm nay" in tree
