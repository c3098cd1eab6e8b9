"""Decree 30 Annex I II.5: "V/v" heads the summary of a công văn only; a typed document's summary follows
its type name. The summary proposed for an amending or replacing document follows that rule."""

import pytest

from qlvb.outgoing import services as outgoing
from qlvb.records import services as records
from tests.outgoing.issuing import approved

pytestmark = pytest.mark.django_db


def test_correction_of_a_decision_has_no_vv(demo):
    """A Quyết định's correction: "Thay thế Quyết định …", no "V/v"."""
    original = outgoing.issue(actor=demo.vanthu, draft=approved(demo, document_type="Quyết định"))
    draft = records.start_correction(actor=demo["cv.qlvt.long"], original=original, kind="replace")
    assert draft.summary.startswith("Thay thế Quyết định 01/QĐ-SGTVT") and "V/v" not in draft.summary


def test_correction_of_an_official_letter_keeps_vv(demo):
    """A công văn's correction: "V/v sửa đổi, bổ sung Công văn …"."""
    original = outgoing.issue(actor=demo.vanthu, draft=approved(demo))
    draft = records.start_correction(actor=demo["cv.qlvt.long"], original=original, kind="amend")
    assert draft.summary.startswith("V/v sửa đổi, bổ sung Công văn 01/SGTVT-QLVT")


def test_correction_summary_over_the_api(client, demo):
    """The same rule through the API that starts a correction."""
    original = outgoing.issue(actor=demo.vanthu, draft=approved(demo, document_type="Quyết định"))
    client.force_login(demo["cv.qlvt.long"])
    response = client.post(f"/api/outgoing/{original.pk}/corrections", {"kind": "amend"},
                           content_type="application/json")
    assert response.status_code == 201
    assert response.json()["summary"].startswith("Sửa đổi, bổ sung Quyết định 01/QĐ-SGTVT")
