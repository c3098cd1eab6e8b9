""""Duyệt ký" with a PIN in a real browser: the Deputy Director types a wrong PIN (told so, nothing
signed), then the right one; the draft shows the signed PDF and the signature verdict badge."""

import pytest

from qlvb.organization.demo import DEMO_PASSWORD
from qlvb.organization.models import Agency
from qlvb.records import services
from qlvb.signing import demo as demo_ca
from tests.factories import reply_path

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_deputy_signs_with_the_demo_pin(page, demo, settings, tmp_path):
    settings.VAR_DIR = tmp_path  # the demo CA keeps its root there
    demo_ca.load(Agency.objects.get())  # a certificate for each leader, PIN 123456 (as seed_demo)
    _, _, draft = reply_path(demo)
    services.submit(actor=demo["cv.qlvt.long"], draft=draft)
    services.approve(actor=demo["tp.qlvt"], draft=draft)

    sign_in(page, "pgd.mai", DEMO_PASSWORD)
    page.wait_for_selector("[data-testid=home-title]")
    page.goto(f"/records/drafts/{draft.pk}/")
    pin = page.locator("[data-testid=sign-pin]")
    assert pin.get_attribute("type") == "password" and pin.get_attribute("autocomplete") == "off"
    pin.fill("000000")
    page.click("[data-testid=sign]")
    # Signing renders the draft to PDF first (fonts loaded once per process): slow on a busy CI machine.
    page.wait_for_selector(".alert-danger, .alert-error", timeout=60_000)
    assert "Mã PIN không đúng" in page.content()
    assert page.locator("[data-testid=draft-state]").inner_text() == "Trình lãnh đạo cơ quan"

    page.fill("[data-testid=decision-form] textarea", "Đồng ý ban hành")
    page.fill("[data-testid=sign-pin]", demo_ca.DEMO_PIN)
    page.click("[data-testid=sign]")
    page.wait_for_selector("[data-testid=signed-pdf]", timeout=60_000)

    assert page.locator("[data-testid=draft-state]").inner_text() == "Đã ký, chờ phát hành"
    badge = page.locator("[data-testid=signature-badge]")
    assert badge.get_attribute("data-verdict") == "valid"
    assert "Chữ ký số hợp lệ" in badge.inner_text()
    with page.expect_download() as download:
        page.click("[data-testid=signed-pdf-download]")
    assert download.value.path().read_bytes().startswith(b"%PDF-")
