"""Records management in a real browser: the clerk drafts the year's file plan, the Director approves
it, the officer opens a record from it, adds a file, closes it through the checklist and submits it to
the agency archive, where the archivist accepts it into a handover."""

import pytest

from qlvb.organization.demo import DEMO_PASSWORD
from tests.factories import pdf_bytes

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _switch(page, username):
    page.context.clear_cookies()
    sign_in(page, username, DEMO_PASSWORD)
    page.wait_for_selector("[data-testid=home-title]")


def test_plan_approved_record_opened_from_it_closed_and_submitted(page, demo, tmp_path):
    photo = tmp_path / "bien-ban-kiem-tra.pdf"
    photo.write_bytes(pdf_bytes(2))

    _switch(page, "vanthu")
    page.goto("/archive/plans/")
    page.click("[data-testid=new-plan]")
    page.wait_for_selector("[data-testid=plan-title]")
    page.fill("#heading-title", "Quản lý vận tải")
    page.fill("#heading-abbreviation", "QLVT")
    page.click("[data-testid=add-heading]")
    page.wait_for_selector(".alert-success")
    page.fill("#item-title", "Hồ sơ kiểm tra xe khách dịp Tết")
    page.fill("#item-retention", "10 năm")
    page.select_option("#item-responsible", str(demo["cv.qlvt.long"].pk))
    page.click("[data-testid=add-item]")
    page.wait_for_selector(".alert-success")
    assert "01.QLVT" in page.inner_text("[data-testid=plan-table]")
    plan_url = page.url

    _switch(page, "giamdoc")
    page.goto(plan_url)
    page.click("[data-testid=approve-plan]")
    page.wait_for_selector(".alert-success")
    assert "Đã phê duyệt, ban hành" in page.inner_text("[data-testid=plan-state]")

    _switch(page, "cv.qlvt.long")
    page.goto(plan_url)
    page.click("[data-testid=open-from-plan]")
    page.wait_for_selector("[data-testid=from-plan]")
    page.click("[data-testid=record-submit]")
    page.wait_for_selector("[data-testid=record-title]")
    assert page.inner_text("[data-testid=record-code]") == "01.QLVT"
    assert "10 năm" in page.inner_text("[data-testid=record-retention]")
    page.fill("textarea[name=text]", "Biên bản kiểm tra bến xe")
    page.set_input_files("input[name=file]", str(photo))
    page.click("button:has-text('Thêm')")
    page.wait_for_selector(".alert-success")
    assert "Biên bản kiểm tra bến xe" in page.inner_text("[data-testid=record-index]")

    page.click("[data-testid=close-record]")
    page.wait_for_selector("[data-testid=checklist]")
    page.click("[data-testid=close-submit]")
    page.wait_for_selector(".alert-success")
    assert page.inner_text("[data-testid=record-status]") == "Đã đóng"
    assert "SHA-256" in page.inner_text("[data-testid=record-index]")
    assert page.inner_text("[data-testid=record-page-total]") == "2"
    assert not page.is_visible("[data-testid=close-record]")

    # Nộp lưu: 10 years' retention, so the record goes to the agency archive.
    record_url = page.url
    assert page.is_visible("[data-testid=submission-due]")
    page.click("[data-testid=submission-panel] button:has-text('Nộp lưu')")
    page.wait_for_selector(".alert-success:has-text('chờ lưu trữ cơ quan tiếp nhận')")
    assert "chờ lưu trữ tiếp nhận" in page.inner_text("[data-testid=submission-panel]")

    _switch(page, "cv.vp.hai")
    page.click("nav a:has-text('Hồ sơ nộp lưu')")
    page.wait_for_selector("[data-testid=submissions]")
    assert "Hồ sơ kiểm tra xe khách dịp Tết" in page.inner_text("[data-testid=submissions]")
    page.check("[data-testid=submissions] input[name=submission]")
    page.click("button[value=accept]")
    page.wait_for_selector(".alert-success:has-text('Đã tiếp nhận 1 hồ sơ')")
    assert "01.QLVT" in page.content()

    _switch(page, "cv.qlvt.long")
    page.goto(record_url)
    assert page.inner_text("[data-testid=record-status]") == "Đã nộp lưu"
    assert "chỉ xem, không thay đổi được" in page.inner_text("[data-testid=submission-panel]")
    assert not page.is_visible("[data-testid=submission-panel] button:has-text('Nộp lưu')")
