"""Issue 11 item 7 / issue 14 in a real browser: the clerk sees the number and date the draft will take and
the final PDF before confirming, enters the agency certificate's PIN, and the issued document's file
carries valid signatures."""

import pytest

from qlvb.documents.models import Register
from qlvb.organization.demo import DEMO_PASSWORD
from tests.outgoing import signed
from tests.signing.conftest import PIN, admin_person, agency_credential, leader_credential, trusted  # noqa: F401

from .conftest import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _off_the_loop(work):
    """Run `work` in a thread of its own: pyHanko signs through asyncio.run, which refuses to run in the
    thread where Playwright's event loop is running."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def run():
        try:
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def test_clerk_previews_the_number_and_pdf_then_issues_with_the_pin(page, demo, leader_credential,  # noqa: F811
                                                                     agency_credential):  # noqa: F811
    draft = _off_the_loop(lambda: signed.leader_signs(demo, signed.structured(demo), leader_credential))
    sign_in(page, "vanthu", DEMO_PASSWORD)
    page.wait_for_selector("[data-testid=home-title]")
    page.goto(f"/outgoing/issue/{draft.pk}/")
    assert page.inner_text("[data-testid=upcoming-number]") == "Số: 01/QĐ-SGTVT"
    preview = page.request.get(page.get_attribute("[data-testid=issue-preview]", "src"))
    assert preview.headers["content-type"] == "application/pdf"
    assert signed.drawn_texts(preview.body())["QLVB_Text_0"] == "01/QĐ-SGTVT"
    assert Register.objects.get(kind="outgoing", is_confidential=False, year=draft.created_at.year).last_number == 0
    page.fill("#pin", PIN)
    page.click("[data-testid=issue-submit]")
    page.wait_for_selector("[data-testid=notation]")
    assert page.inner_text("[data-testid=notation]") == "01/QĐ-SGTVT"
    assert page.get_attribute("[data-testid=signature-badge]", "data-verdict") == "valid"
