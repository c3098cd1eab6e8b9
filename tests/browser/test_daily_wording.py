"""Issue 11.10: "Để biết" wherever the role appears, no deadline on a for-information item, no
"---------" empty choice, labels in sentence case."""

import re

import pytest

from qlvb.organization.models import Unit
from tests.factories import register_doc

from .daily import Target, forward, root_of, signed_in

pytestmark = pytest.mark.django_db(transaction=True)


def _labels(page):
    return [t.strip() for t in page.locator("label:visible, th:visible").all_inner_texts() if t.strip()]


def test_for_information_wording(new_page, demo):
    from datetime import timedelta

    from django.utils import timezone

    document = register_doc(demo.vanthu, summary="V/v thông báo lịch tiếp công dân tháng 12",
                            deadline=timezone.localdate() + timedelta(days=7))
    forward(demo.giamdoc, root_of(document), Target("info", unit=Unit.objects.get(abbreviation="QLVT")))

    head = signed_in(new_page, "tp.qlvt")
    head.goto("/incoming/")
    tabs = head.inner_text("ul.nav-tabs")
    assert "Để biết" in tabs and "Nhận để biết" not in tabs
    head.click("[data-testid=tab-info]")
    row = head.inner_text("[data-testid=inbox-table] tbody")
    assert "Để biết" in row and "Nhận để biết" not in row
    assert document.deadline.strftime("%d/%m/%Y") not in row  # no "Hạn" on a for-information item
    head.goto(f"/incoming/{document.pk}/")
    card = head.inner_text("[data-testid=actions]")
    assert "Để biết" in card and "hạn" not in card.lower()
    node = head.locator("[data-testid=tree-node][data-role=info]").first.inner_text()
    assert "Hạn" not in node.split("\n")[0]

    clerk = signed_in(new_page, "vanthu")
    for url in ("/incoming/new/", f"/incoming/{document.pk}/edit/", "/search/"):
        clerk.goto(url)
        options = clerk.locator("option").all_inner_texts()
        assert not any(re.fullmatch(r"-{3,}", o.strip()) for o in options), url
        for label in _labels(clerk):
            first = next((c for c in label if c.isalpha()), "")
            assert not first or first.isupper(), (url, label)
