"""Issue 12 item 4 in the browser: the Director opens a document, the forward form shows "Gợi ý" with its
reason; a click fills the main handler (clearing another main chosen before) and sends nothing; "Chuyển"
sends it."""

import pytest

from qlvb.assignments.models import Assignment
from qlvb.organization.models import Unit
from tests.assignments.test_routing import ISSUER, NEW, history
from tests.factories import register_doc, root_of

from .daily import signed_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_click_on_the_suggestion_fills_the_main_handler_and_only_forwarding_sends_it(new_page, demo):
    history(demo)
    document = register_doc(demo.vanthu, summary=NEW, issuer=ISSUER, files=[])
    qlvt, khtc = Unit.objects.get(abbreviation="QLVT"), Unit.objects.get(abbreviation="KHTC")
    director = signed_in(new_page, "giamdoc")
    director.goto(f"/incoming/{document.pk}/")
    suggestion = director.locator("[data-testid=routing-suggestion][data-level=unit]")
    suggestion.wait_for()
    assert "8 trong 10 văn bản gần nhất của Cục Đường bộ Việt Nam" in suggestion.inner_text()
    director.select_option(f"[data-testid=role-u-{khtc.pk}]", "main")  # chosen by hand first
    assert director.input_value(f"[data-testid=role-u-{qlvt.pk}]") == ""
    suggestion.locator("[data-testid=routing-apply]").click()
    assert director.input_value(f"[data-testid=role-u-{qlvt.pk}]") == "main"
    assert director.input_value(f"[data-testid=role-u-{khtc.pk}]") == ""  # one main handler per level
    root = root_of(document)
    assert not root.children.exists()  # filled, not sent
    director.click("[data-testid=forward-submit]")
    director.wait_for_selector(".alert-success")
    child = root.children.get()
    assert (child.receiver_unit, child.role) == (qlvt, Assignment.Role.MAIN)
