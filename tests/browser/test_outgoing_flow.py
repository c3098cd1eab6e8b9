"""Reply to an incoming document in a real browser: record → draft → opinion → submit → returned →
revised → approved → signed → issued with the next number → delivered inside → incoming done."""

import pytest

from qlvb.assignments import services as flow
from qlvb.assignments.services import Target
from qlvb.organization.demo import DEMO_PASSWORD
from tests.factories import register_doc, root_of

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
SUMMARY = "V/v báo cáo kết quả kiểm tra tải trọng xe năm 2026"


def _as(page, username):
    page.context.clear_cookies()
    sign_in(page, username, DEMO_PASSWORD)
    page.wait_for_selector("[data-testid=home-title]")


def _decide(page, button, comment=""):
    if comment:
        page.fill("[data-testid=decision-form] textarea", comment)
    page.click(f"[data-testid={button}]")
    page.wait_for_selector(".alert-success")


def test_reply_travels_up_the_chain_and_is_issued(page, demo):
    incoming = register_doc(demo.vanthu, summary="V/v đề nghị báo cáo kiểm tra tải trọng xe")
    head = flow.forward(actor=demo.giamdoc, assignment=root_of(incoming),
                        targets=[Target("main", person=demo["tp.qlvt"])])[0]
    flow.forward(actor=demo["tp.qlvt"], assignment=head, targets=[Target("main", person=demo["cv.qlvt.long"])])

    _as(page, "cv.qlvt.long")
    page.goto(f"/incoming/{incoming.pk}/")
    page.click("[data-testid=open-record]")
    page.click("[data-testid=record-submit]")
    page.wait_for_selector("[data-testid=record-title]")
    page.click("[data-testid=new-draft]")
    page.select_option("#id_document_type", label="Công văn")
    page.fill("#id_summary", SUMMARY)
    page.select_option("#id_signer", label="Trần Thị Mai")
    page.select_option("#id_signing_form", value="KT.")
    page.select_option("#id_recipient_units", label="Phòng Kế hoạch – Tài chính")
    page.fill("#id_body", "Sở Giao thông vận tải báo cáo kết quả kiểm tra như sau.")
    page.click("[data-testid=draft-save]")
    page.wait_for_selector("[data-testid=draft-state]")
    draft_url = page.url
    page.select_option("[data-testid=ask-people]", label=f"Cao Thu Trang – {demo['cv.qlvt.trang'].title}")
    page.fill("[data-testid=ask-form] input[name=question]", "Góp ý số liệu")
    page.click("[data-testid=ask-form] button")
    page.wait_for_selector(".alert-success")

    _as(page, "cv.qlvt.trang")
    page.goto("/records/")
    page.click(f"text={SUMMARY}")
    page.fill("[data-testid=answer-form] textarea", "Số liệu quý III cần cập nhật")
    page.click("[data-testid=answer-form] button")
    page.wait_for_selector(".alert-success")
    assert "Số liệu quý III cần cập nhật" in page.inner_text("[data-testid=opinions]")

    _as(page, "cv.qlvt.long")
    page.goto(draft_url)
    _decide(page, "submit")
    _as(page, "tp.qlvt")
    page.goto(draft_url)
    _decide(page, "return", "Cập nhật số liệu quý III theo ý kiến đồng chí Trang")

    _as(page, "cv.qlvt.long")
    page.goto(draft_url)
    assert "Bị trả lại" in page.inner_text("[data-testid=draft-state]")
    page.click("[data-testid=draft-edit]")
    page.fill("#id_body", "Sở Giao thông vận tải báo cáo kết quả kiểm tra như sau (đã cập nhật quý III).")
    page.click("[data-testid=draft-save]")
    page.wait_for_selector("[data-testid=compare]")
    _decide(page, "submit")

    _as(page, "tp.qlvt")
    page.goto(draft_url)
    _decide(page, "approve", "Trình đồng chí Phó Giám đốc")
    _as(page, "pgd.mai")
    page.goto(draft_url)
    _decide(page, "sign")

    _as(page, "vanthu")
    page.goto("/outgoing/")
    page.click(f"[data-testid=to-issue] >> text={SUMMARY}")
    page.select_option("#sending", value="electronic")
    page.click("[data-testid=issue-submit]")
    page.wait_for_selector("[data-testid=notation]")
    assert page.inner_text("[data-testid=notation]") == "01/SGTVT-QLVT"
    assert "Phòng Kế hoạch – Tài chính" in page.inner_text("[data-testid=recipients]")

    _as(page, "tp.khtc")
    page.goto("/incoming/?tab=todo")
    assert SUMMARY in page.inner_text("[data-testid=inbox-table]")

    _as(page, "cv.qlvt.long")
    page.goto(f"/incoming/{incoming.pk}/")
    assert page.inner_text("[data-testid=doc-status]") == "Đã xử lý xong"
    assert "01/SGTVT-QLVT" in page.inner_text("[data-testid=replies]")

    # An issued document never changes: the officer starts its replacement from its page.
    page.goto("/outgoing/")
    page.click("[data-testid=issued] >> text=" + SUMMARY[:30])
    page.click("button[name=kind][value=replace]")
    page.wait_for_selector("#id_body")
    assert "V/v thay thế" in page.input_value("#id_summary")
    assert "đã cập nhật quý III" in page.input_value("#id_body")
