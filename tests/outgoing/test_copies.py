"""Copies (bản sao y SY, trích sao TrS, sao lục SL; Decree 30 Art 25-27): a clerk makes a copy of an issued
or a received document; it is signed and issued like any document and numbered in the copies series
(Annex I II.II.1.c)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qlvb.outgoing import services as outgoing
from qlvb.records import services as records
from tests.factories import register_doc
from tests.outgoing.issuing import approved

pytestmark = pytest.mark.django_db


def _sign_copy(demo, draft):
    records.submit(actor=demo.vanthu, draft=draft)
    records.approve(actor=demo["cvp.lan"], draft=draft)
    records.sign(actor=demo.giamdoc, draft=draft)
    return outgoing.issue(actor=demo.vanthu, draft=draft)


def test_copy_of_an_issued_document_is_numbered_in_the_copies_series(demo):
    """Annex I II.II.1.c: a sao y of an issued document takes 01 of the copies series, and names its
    original; the outgoing series goes on at 02."""
    original = outgoing.issue(actor=demo.vanthu, draft=approved(demo))
    draft = records.start_copy(actor=demo.vanthu, kind="SY", outgoing=original)
    assert draft.document_type.abbreviation == "SY" and draft.latest.body == original.body
    assert draft.summary.startswith("Bản sao y Công văn 01/SGTVT-QLVT ngày")
    copy = _sign_copy(demo, draft)
    assert copy.notation == "01/SY-SGTVT" and copy.draft.copy_of_outgoing == original
    assert outgoing.issue(actor=demo.vanthu, draft=approved(demo)).number == 2


def test_copy_of_a_received_document(demo):
    """A trích sao of an incoming document carries its main file and is numbered in the copies series."""
    incoming = register_doc(demo.vanthu)
    draft = records.start_copy(actor=demo.vanthu, kind="TrS", incoming=incoming)
    assert draft.latest.blob == incoming.attachments.get(is_main=True).blob
    assert _sign_copy(demo, draft).notation == "01/TrS-SGTVT"


def test_copy_refusals(demo):
    """Only the three copy kinds; only documents the person may see."""
    original = outgoing.issue(actor=demo.vanthu, draft=approved(demo))
    with pytest.raises(ValidationError, match="Hình thức sao"):
        records.start_copy(actor=demo.vanthu, kind="QĐ", outgoing=original)
    with pytest.raises(PermissionDenied):
        records.start_copy(actor=demo["ict.sotttt"], kind="SY", outgoing=original)


def test_copy_over_the_api_and_the_page(client, demo):
    """The same copy through the API (201, then a copy numbered in its series) and the document's page."""
    original = outgoing.issue(actor=demo.vanthu, draft=approved(demo))
    client.force_login(demo.vanthu)
    response = client.post("/api/records/copies", {"kind": "SL", "outgoing_id": original.pk},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["copy_of_outgoing_id"] == original.pk
    refused = client.post("/api/records/copies", {"kind": "XX", "outgoing_id": original.pk},
                          content_type="application/json")
    assert refused.status_code == 400 and refused.json()["detail"][0]["field"] == "kind"
    response = client.post(f"/outgoing/{original.pk}/copy/", {"copy_kind": "SY"})
    assert response.status_code == 302 and "/drafts/" in response.url
    client.force_login(demo["ict.sotttt"])
    assert client.post("/api/records/copies", {"kind": "SY", "outgoing_id": original.pk},
                       content_type="application/json").status_code == 403
