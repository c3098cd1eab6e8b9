"""Issue 11.9: dates as Vietnamese users write them, whatever the browser's language. In an English
browser every date input shows and takes dd/mm/yyyy (times in 24 hours): registration, forwarding with a
deadline, the inbox filters; a wrong date is refused naming the field; the API keeps ISO."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from qlvb.organization.demo import DEMO_PASSWORD
from qlvb.organization.models import Unit
from tests.factories import register_doc

from .conftest import sign_in
from .daily import Target, forward, root_of

pytestmark = pytest.mark.django_db(transaction=True)

DAY = "%d/%m/%Y"


@pytest.fixture
def english_page(browser, live_server):
    """A browser whose language is American English (its own date inputs would read mm/dd/yyyy)."""
    context = browser.new_context(base_url=live_server.url, locale="en-US", timezone_id="Asia/Ho_Chi_Minh")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _signed_in(page, username):
    page.context.clear_cookies()
    sign_in(page, username, DEMO_PASSWORD)
    page.wait_for_selector("[data-testid=home-title]")


def test_dates_typed_and_shown_as_dd_mm_yyyy(english_page, demo):
    page, today = english_page, timezone.localdate()
    issued, deadline = today - timedelta(days=3), today + timedelta(days=12)
    _signed_in(page, "vanthu")
    page.goto("/incoming/new/")
    for selector in ("#id_issued_on", "#id_deadline", "#id_arrived_at"):
        field = page.locator(selector)
        assert field.get_attribute("type") == "text", selector
        assert field.get_attribute("placeholder").startswith("dd/mm/yyyy"), selector
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", page.input_value("#id_arrived_at"))  # 24 hours, no AM/PM

    page.fill("#id_issuer_name", "Cục Đường bộ Việt Nam")
    page.fill("#id_notation", "81/CĐBVN-ATGT")
    page.locator("#id_issued_on").press_sequentially(issued.strftime("%d%m%Y"))  # the slashes come by themselves
    assert page.input_value("#id_issued_on") == issued.strftime(DAY)
    page.select_option("#id_document_type", label="Công văn")
    page.fill("#id_summary", "V/v bảo đảm an toàn giao thông dịp Tết")
    assert page.locator("#id_deadline ~ [data-testid=calendar]").is_visible()  # the calendar writes dd/mm/yyyy
    page.evaluate("""() => { const n = document.querySelector('#id_deadline ~ .qlvb-native-date');
                             n.value = '2027-01-15'; n.dispatchEvent(new Event('change')); }""")
    assert page.input_value("#id_deadline") == "15/01/2027"
    page.fill("#id_deadline", "31/02/" + str(today.year + 1))  # no such day
    page.click("[data-testid=register-submit]")
    assert "Hạn xử lý: nhập ngày dạng ngày/tháng/năm" in page.inner_text("main")
    page.fill("#id_deadline", f"{deadline.day}/{deadline.month}/{deadline.year}")  # d/m/yyyy is fine too
    page.click("[data-testid=register-submit]")
    page.wait_for_selector("[data-testid=doc-summary]")
    assert deadline.strftime(DAY) in page.inner_text("[data-testid=doc-deadline]")
    assert issued.strftime(DAY) in page.inner_text("main")
    document_id = page.url.rstrip("/").split("/")[-1]
    api = page.request.get(f"/api/incoming/{document_id}").json()
    assert api["issued_on"] == issued.isoformat() and api["deadline"] == deadline.isoformat()  # the API keeps ISO

    page.goto(f"/incoming/?from={issued.isoformat()}")  # an ISO link is shown as the user writes it
    assert page.input_value("#f-from") == issued.strftime(DAY)


def test_forwarding_deadline_in_dd_mm_yyyy(english_page, demo):
    page, today = english_page, timezone.localdate()
    document = register_doc(demo.vanthu, summary="V/v kiểm tra phương tiện vận tải hành khách")
    forward(demo.giamdoc, root_of(document), Target("main", person=demo["pgd.mai"]))
    later = today + timedelta(days=9)

    _signed_in(page, "pgd.mai")
    page.goto(f"/incoming/{document.pk}/")
    qlvt = Unit.objects.get(abbreviation="QLVT")
    page.select_option(f"[data-testid=role-u-{qlvt.pk}]", "main")
    page.fill("[data-testid=instruction]", "Phòng QLVT kiểm tra")
    page.fill("[data-testid=forward-deadline]", "12/31/" + str(today.year))  # American order: refused
    page.click("[data-testid=forward-submit]")
    assert "Hạn xử lý: nhập ngày dạng ngày/tháng/năm" in page.inner_text(".alert-danger")
    assert page.input_value("[data-testid=forward-deadline]") == "12/31/" + str(today.year)  # kept as typed
    page.select_option(f"[data-testid=role-u-{qlvt.pk}]", "main")
    page.fill("[data-testid=forward-deadline]", later.strftime(DAY))
    page.click("[data-testid=forward-submit]")
    page.wait_for_selector(".alert-success")
    node = page.locator("[data-testid=tree-node][data-role=main]").last.inner_text()
    assert later.strftime(DAY) in node
