"""The incoming path in a real browser: register → Director → Deputy → head (+ co-handler unit) →
officer → pending → done, with the whole tree visible and the Director seeing it done."""

import pytest

from qlvb.organization.demo import DEMO_PASSWORD
from qlvb.organization.models import Unit
from tests.factories import pdf_bytes

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _open_document(page, summary):
    page.goto("/incoming/?tab=todo")
    page.click(f"text={summary}")
    page.wait_for_selector("[data-testid=doc-summary]")


def _forward(page, targets, instruction, days=None):
    if not page.is_visible("[data-testid=forward-submit]"):
        page.click("summary:has-text('Chuyển xử lý')")
    for testid, role in targets:
        page.select_option(f"[data-testid={testid}]", role)
    page.fill("[data-testid=instruction]", instruction)
    if days:
        page.fill("[data-testid=deadline-days]", str(days))
    page.click("[data-testid=forward-submit]")
    page.wait_for_selector(".alert-success")


def _switch(page, username):
    page.context.clear_cookies()
    sign_in(page, username, DEMO_PASSWORD)
    page.wait_for_selector("[data-testid=home-title]")


def test_incoming_document_travels_down_and_back(page, demo, tmp_path):
    summary = "V/v kiểm tra tải trọng cầu Pác Cáp"
    scan = tmp_path / "cong-van-den.pdf"
    scan.write_bytes(pdf_bytes(2))

    sign_in(page, "vanthu", DEMO_PASSWORD)
    page.goto("/incoming/new/")
    page.fill("#id_issuer_name", "Cục Đường bộ Việt Nam")
    page.fill("#id_notation", "77/CĐBVN-QLKCHT")
    page.fill("#id_issued_on", "2026-11-20")
    page.select_option("#id_document_type", label="Công văn")
    page.fill("#id_summary", summary)
    page.set_input_files("#id_files", str(scan))
    page.click("[data-testid=register-submit]")
    page.wait_for_selector("[data-testid=doc-summary]")
    assert "Đã vào sổ văn bản đến số 1" in page.inner_text(".alert-success")
    assert "cong-van-den.pdf" in page.inner_text("[data-testid=attachments]")

    _switch(page, "giamdoc")
    _open_document(page, summary)
    _forward(page, [(f"role-p-{demo['pgd.minh'].pk}", "main")], "Giao đồng chí Minh chỉ đạo", days=10)

    _switch(page, "pgd.minh")
    _open_document(page, summary)
    kcht, khtc = Unit.objects.get(abbreviation="QLKCHT"), Unit.objects.get(abbreviation="KHTC")
    _forward(page, [(f"role-u-{kcht.pk}", "main"), (f"role-u-{khtc.pk}", "co")], "Phòng KCHT chủ trì")

    _switch(page, "tp.kcht")
    _open_document(page, summary)
    _forward(page, [(f"role-p-{demo['cv.kcht.dat'].pk}", "main")], "Đồng chí Đạt kiểm tra hiện trường")

    _switch(page, "cv.kcht.dat")
    _open_document(page, summary)
    page.fill("[data-testid=process-form] textarea", "Chờ kết quả kiểm định của đơn vị tư vấn")
    page.click("[data-testid=pending]")
    page.wait_for_selector(".alert-success")
    page.fill("[data-testid=process-form] textarea", "Đã kiểm tra, cầu đủ tải trọng; báo cáo lãnh đạo")
    page.click("[data-testid=complete]")
    page.wait_for_selector(".alert-success")

    tree = page.inner_text("[data-testid=tree]")
    for text in ["Nguyễn Văn Hùng", "Lê Quang Minh", "Phòng Quản lý kết cấu hạ tầng giao thông",
                 "Phòng Kế hoạch – Tài chính", "Nông Tiến Đạt", "Chờ kết quả kiểm định", "Phối hợp"]:
        assert text in tree, text

    _switch(page, "giamdoc")
    page.goto("/incoming/?tab=done")
    page.click(f"text={summary}")
    assert page.inner_text("[data-testid=doc-status]") == "Đã xử lý xong"
    states = page.locator("[data-testid=tree-node]").evaluate_all("nodes => nodes.map(n => n.dataset.state)")
    assert states.count("done") == 4 and "new" in states  # the co-handler has not acted yet
