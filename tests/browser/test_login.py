"""The clerk signs in through the real login page and sees the home page."""

import pytest

from qlvb.organization.demo import DEMO_PASSWORD

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_clerk_logs_in_and_sees_home(page, demo):
    sign_in(page, "vanthu", DEMO_PASSWORD)
    page.wait_for_selector("[data-testid=home-title]")
    assert "Nguyễn Thị Hoa" in page.inner_text("[data-testid=home-title]")
    assert page.locator("nav").count() == 1


def test_wrong_password_shows_error(page, demo):
    sign_in(page, "vanthu", "khong-dung")
    assert "không đúng" in page.inner_text("[data-testid=login-error]")
