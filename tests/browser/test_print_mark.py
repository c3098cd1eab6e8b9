"""The print view of a long document, printed by Chromium: the mark is at the foot of every page
(Decree 30/2020 PL VI I.III.6.k, mark printed items), and the print is written down (F-6.l)."""

import io

import pytest
from pypdf import PdfReader

from qlvb.audit.models import AccessLog
from qlvb.organization.demo import DEMO_PASSWORD
from qlvb.outgoing import services as outgoing
from qlvb.records import services as records
from tests.factories import reply_path
from tests.outgoing.issuing import approve

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_printed_page_carries_the_mark(page, demo):
    _, record, draft = reply_path(demo)
    body = "\n".join(f"Mục {i}. Kết quả kiểm tra tải trọng xe tại trạm số {i} trong quý IV năm 2026."
                     for i in range(1, 121))
    records.save_draft(actor=demo["cv.qlvt.long"], record=record, draft=draft, body=body, data={})
    approve(demo, draft)
    document = outgoing.issue(actor=demo.vanthu, draft=draft)

    sign_in(page, "vanthu", DEMO_PASSWORD)
    page.wait_for_selector("[data-testid=home-title]")
    # The view opens the print dialog itself (print.js); headless Chromium has no dialog to close.
    page.add_init_script("window.print = () => { document.body.dataset.printed = '1'; };")
    page.goto(f"/outgoing/{document.pk}/print/")
    page.wait_for_selector("body[data-printed]")
    page.wait_for_selector("[data-testid=print-mark]")
    page.emulate_media(media="print")
    pages = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True))).pages
    assert len(pages) >= 3
    for number, printed in enumerate(pages, 1):
        text = " ".join(printed.extract_text().split())
        assert "Bản in từ hệ thống QLVB — in bởi Nguyễn Thị Hoa" in text, f"page {number} has no mark"
    assert AccessLog.objects.filter(person=demo.vanthu, action=AccessLog.Kind.PRINT,
                                    object_id=document.pk).count() == 1
