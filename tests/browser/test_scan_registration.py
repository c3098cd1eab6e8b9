"""Issue 12 item 3 in the browser: the clerk picks a scan, the empty fields fill with what it says, each
marked as a suggestion with its confidence; what she typed stays; nothing is saved before she submits."""

import datetime

import pytest

from qlvb.documents.models import ExternalAgency
from qlvb.incoming.models import IncomingDocument
from tests.incoming.test_scan_registration import rendered

from .daily import signed_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_picking_the_scan_fills_the_empty_fields_and_keeps_what_the_clerk_typed(new_page, demo, tmp_path):
    ExternalAgency.objects.create(name="Sở Tài chính tỉnh Bắc Kạn")
    scan = tmp_path / "cong-van.pdf"
    scan.write_bytes(rendered("Công văn", "204/STC-NS", datetime.date(2026, 3, 9),
                              "Hướng dẫn quyết toán ngân sách năm 2025"))
    clerk = signed_in(new_page, "vanthu")
    clerk.goto("/incoming/new/")
    clerk.fill("#id_summary", "V/v quyết toán ngân sách 2025 (văn thư tự nhập)")
    clerk.set_input_files("#id_files", str(scan))
    clerk.wait_for_selector("[data-testid=suggested-notation]")
    assert clerk.input_value("#id_notation") == "204/STC-NS"
    assert clerk.input_value("#id_issued_on") == "09/03/2026"
    assert clerk.input_value("#id_issuer_name") == "Sở Tài chính tỉnh Bắc Kạn"
    assert clerk.inner_text("[data-testid=suggested-notation]").startswith("Gợi ý từ bản quét (độ tin cậy")
    assert clerk.input_value("#id_summary") == "V/v quyết toán ngân sách 2025 (văn thư tự nhập)"  # hers wins
    assert IncomingDocument.objects.count() == 0
    clerk.fill("#id_signer_name", "Nguyễn Văn Ân")
    assert clerk.locator("[data-testid=suggested-signer_name]").count() == 0  # edited: no longer a suggestion
    clerk.click("[data-testid=register-submit]")
    clerk.wait_for_selector("[data-testid=doc-summary]")
    document = IncomingDocument.objects.get()
    assert (document.notation, document.summary, document.signer_name) == (
        "204/STC-NS", "V/v quyết toán ngân sách 2025 (văn thư tự nhập)", "Nguyễn Văn Ân")
    assert document.attachments.get().name == "cong-van.pdf"
