"""Issue 11.11: on a phone (390×844) actions come first. The document page shows the action card
before the scan; the unread badge shows while the menu is closed; tabs scroll sideways instead of being
cut; the overview's tables become cards; a leader reads, forwards and approves without zooming (nothing
wider than the screen)."""

import pytest

from qlvb.organization.demo import DEMO_PASSWORD
from qlvb.organization.models import Unit
from qlvb.records import services as records
from tests.factories import register_doc, reply_path

from .conftest import sign_in
from .daily import Target, forward, overdue_document, root_of

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    contexts = []

    def open_phone(username):
        contexts.append(browser.new_context(base_url=live_server.url, locale="vi-VN", viewport=PHONE,
                                            is_mobile=True, has_touch=True, device_scale_factor=2))
        page = contexts[-1].new_page()
        page.set_default_timeout(15000)
        sign_in(page, username, DEMO_PASSWORD)
        page.wait_for_url(lambda url: "/login/" not in url)
        return page

    yield open_phone
    for context in contexts:
        context.close()


def _fits(page):
    """Nothing wider than the screen: no sideways scrolling of the page, nor of a table inside it."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url
    wide = page.evaluate("""[...document.querySelectorAll('.table-responsive')]
        .filter(e => e.offsetParent && e.scrollWidth > e.clientWidth + 1).map(e => e.innerText.slice(0, 60))""")
    assert wide == [], (page.url, wide)


def _inside(page, selector):
    box = page.locator(selector).first.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (selector, box)


def test_a_leader_works_from_the_phone(phone, demo):
    document = register_doc(demo.vanthu, summary="V/v tổ chức kiểm tra tải trọng xe trên quốc lộ 3")
    forward(demo.giamdoc, root_of(document), Target("main", person=demo["pgd.mai"]))
    late = overdue_document(demo, "V/v báo cáo tình hình khắc phục sạt lở tuyến ĐT 257")
    forward(demo.giamdoc, root_of(late), Target("main", unit=Unit.objects.get(abbreviation="QLVT")))

    deputy = phone("pgd.mai")
    assert deputy.is_visible(".navbar-toggler") and not deputy.is_visible("#mainmenu")  # the menu is closed
    deputy.wait_for_selector("[data-testid=bell] [data-testid=unread]")  # ... and the unread count shows
    assert deputy.locator("[data-testid=bell]").is_visible()

    deputy.goto(f"/incoming/{document.pk}/")
    actions = deputy.locator("[data-testid=actions]").bounding_box()
    scan = deputy.locator("iframe.qlvb-pdf").bounding_box()
    assert actions["y"] < scan["y"]  # what to do comes before the scan
    assert actions["y"] < PHONE["height"]  # on the first screen
    _fits(deputy)
    for selector in ("[data-testid=forward-form] select", "[data-testid=instruction]", "[data-testid=forward-deadline]",
                     "[data-testid=forward-submit]"):
        _inside(deputy, selector)
    qlvt = Unit.objects.get(abbreviation="QLVT")
    deputy.select_option(f"[data-testid=role-u-{qlvt.pk}]", "main")
    deputy.fill("[data-testid=instruction]", "Phòng QLVT chủ trì")
    deputy.fill("[data-testid=deadline-days]", "5")
    deputy.click("[data-testid=forward-submit]")
    deputy.wait_for_selector(".alert-success")

    head = phone("tp.qlvt")
    head.goto("/incoming/")
    tabs = head.locator("ul.nav-tabs")
    tops = {round(b["y"]) for b in (t.bounding_box() for t in tabs.locator(".nav-link").all())}
    assert len(tops) == 1  # one line of tabs
    info = head.locator("[data-testid=tab-info]")
    info.scroll_into_view_if_needed()
    box = info.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1  # reachable, whole, by scrolling
    assert info.inner_text().strip().startswith("Để biết")
    _fits(head)


def test_overview_tables_become_cards_and_approval_fits(phone, demo):
    late = overdue_document(demo, "V/v rà soát hành lang an toàn đường bộ quốc lộ 279")
    forward(demo.giamdoc, root_of(late), Target("main", unit=Unit.objects.get(abbreviation="QLVT")))
    _incoming, _record, draft = reply_path(demo)
    records.submit(actor=demo["cv.qlvt.long"], draft=draft)

    director = phone("giamdoc")
    director.goto("/monitoring/")
    assert not director.locator("[data-testid=units] thead").is_visible()
    row = director.locator("[data-testid=units] tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") != "table-row"  # a card, not a squeezed row
    label = row.locator("[data-testid=count-overdue]").evaluate("td => getComputedStyle(td, '::before').content")
    assert "Quá hạn" in label  # each figure says what it counts
    _fits(director)

    head = phone("tp.qlvt")
    head.goto("/records/approvals/")
    assert head.locator("[data-testid=approvals] tbody tr").first.evaluate(
        "r => getComputedStyle(r).display") != "table-row"
    _fits(head)
    head.goto(f"/records/drafts/{draft.pk}/")
    _fits(head)
    _inside(head, "[data-testid=approve]")
    head.click("[data-testid=approve]")
    head.wait_for_selector(".alert-success")
