"""Issue 11.7 (the register): the clerk sees the số đến a document will take before registering it, on the
registration form and the register books; looking takes no number, and if another clerk registers first the
message says the number changed."""

from datetime import date

import pytest

from qlvb.documents.models import Register
from tests.factories import register_doc

from .daily import fill_date, signed_in

pytestmark = pytest.mark.django_db(transaction=True)


def _counter():
    return Register.objects.get(kind="incoming", is_confidential=False).last_number


def test_register_form_and_books_show_the_next_arrival_number(new_page, demo):
    register_doc(demo.vanthu, summary="V/v kế hoạch bảo trì quốc lộ 3")
    register_doc(demo.vanthu, summary="V/v kế hoạch bảo trì quốc lộ 279")

    clerk = signed_in(new_page, "vanthu")
    clerk.goto("/incoming/register-book/")
    assert "Văn bản vào sổ tiếp theo sẽ nhận số đến 3" in clerk.inner_text("[data-testid=upcoming-arrival]")
    clerk.goto("/registers/incoming/")
    assert "Văn bản vào sổ tiếp theo sẽ nhận số đến 3" in clerk.inner_text("[data-testid=upcoming-arrival]")

    clerk.goto("/incoming/new/")
    shown = clerk.inner_text("[data-testid=upcoming-arrival]")
    assert shown.startswith("Văn bản sẽ nhận số đến 3") and "văn thư khác vào sổ trước" in shown
    assert _counter() == 2  # looking takes no number

    clerk.fill("#id_issuer_name", "Cục Đường bộ Việt Nam")
    clerk.fill("#id_notation", "81/CĐBVN-QLKCHT")
    fill_date(clerk, "#id_issued_on", date(2026, 11, 20))
    clerk.select_option("#id_document_type", label="Công văn")
    clerk.fill("#id_summary", "V/v kiểm tra cầu yếu trên quốc lộ 3B")
    register_doc(demo["vanthu.mat"], summary="V/v do văn thư khác vào sổ trước")  # takes number 3 meanwhile
    clerk.click("[data-testid=register-submit]")
    clerk.wait_for_selector("[data-testid=doc-summary]")
    assert clerk.inner_text(".alert-success").startswith("Đã vào sổ văn bản đến số 4")
    assert "Số đến 3 đã được cấp cho văn bản khác" in clerk.inner_text(".alert-warning")
