"""Correcting an issued document: it never changes; a new document amends or replaces it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from qlvb.outgoing import services
from qlvb.records import services as records
from qlvb.records.models import WorkRecord
from tests.factories import reply_path

pytestmark = pytest.mark.django_db


def _issued(demo):
    _, _, draft = reply_path(demo, document_type="Quyết định")
    _approve(demo, draft)
    return services.issue(actor=demo.vanthu, draft=draft)


def _approve(demo, draft):
    records.submit(actor=demo["cv.qlvt.long"], draft=draft)
    records.approve(actor=demo["tp.qlvt"], draft=draft)
    records.sign(actor=demo["pgd.mai"], draft=draft)


def test_replacement_is_prefilled_issued_and_flags_the_original(demo, client):
    original = _issued(demo)
    draft = records.start_correction(actor=demo["cv.qlvt.long"], original=original, kind="replace")
    assert draft.record == original.draft.record  # the same work record, still open
    assert (draft.document_type, draft.signer, draft.signing_form) == (original.document_type, demo["pgd.mai"], "KT.")
    assert draft.summary.startswith("Thay thế Quyết định 01/QĐ-SGTVT")  # no "V/v": not a công văn
    assert draft.latest.body == original.body
    assert {u.abbreviation for u in draft.recipient_units.all()} == {"KHTC"}
    assert draft.recipient_agencies.count() == 1
    _approve(demo, draft)
    replacement = services.issue(actor=demo.vanthu, draft=draft)
    assert (replacement.number, replacement.replaces, replacement.correction) == (2, original, "replace")
    original.refresh_from_db()
    assert original.summary == "V/v báo cáo bảo trì"  # untouched

    client.force_login(demo["cv.qlvt.long"])
    page = client.get(reverse("outgoing:detail", args=[original.pk])).content.decode()
    assert "đã bị thay thế bởi" in page and "02/QĐ-SGTVT" in page
    assert 'name="kind"' not in page  # no further correction of a replaced document
    page = client.get(reverse("outgoing:detail", args=[replacement.pk])).content.decode()
    assert "Thay thế văn bản" in page and "01/QĐ-SGTVT" in page
    listing = client.get(reverse("outgoing:list")).content.decode()
    assert listing.count("Đã bị thay thế") == 1


def test_a_replaced_document_cannot_be_replaced_again(demo):
    original = _issued(demo)
    first = records.start_correction(actor=demo["cv.qlvt.long"], original=original, kind="replace")
    second = records.start_correction(actor=demo["cv.qlvt.long"], original=original, kind="amend")
    _approve(demo, first)
    services.issue(actor=demo.vanthu, draft=first)
    _approve(demo, second)
    with pytest.raises(ValidationError, match="đã bị thay thế"):
        services.issue(actor=demo.vanthu, draft=second)  # approved before, refused at issuing
    with pytest.raises(ValidationError, match="đã bị thay thế"):
        records.start_correction(actor=demo["cv.qlvt.long"], original=original, kind="amend")


def test_amendment_by_someone_outside_the_record_opens_their_own(demo, client):
    original = _issued(demo)
    client.force_login(demo["cv.khtc.nga"])
    response = client.post(reverse("outgoing:correct", args=[original.pk]), {"kind": "amend"})
    record = WorkRecord.objects.get(owner=demo["cv.khtc.nga"])
    draft = record.drafts.get()
    assert response.status_code == 302 and response.url == reverse("records:draft_edit", args=[record.pk, draft.pk])
    assert (draft.corrects, draft.correction) == (original, "amend")
    assert record.title.startswith("Sửa đổi, bổ sung Quyết định 01/QĐ-SGTVT")


def test_confidential_original_stays_out_of_reach(demo, client):
    original = _issued(demo)
    type(original).objects.filter(pk=original.pk).update(confidentiality="secret")
    original.refresh_from_db()
    with pytest.raises(PermissionDenied):
        records.start_correction(actor=demo["cv.khtc.nga"], original=original, kind="amend")
    client.force_login(demo["cv.khtc.nga"])
    assert client.post(reverse("outgoing:correct", args=[original.pk]), {"kind": "amend"}).status_code == 404
    response = client.post(f"/api/outgoing/{original.pk}/corrections", {"kind": "amend"},
                           content_type="application/json")
    assert response.status_code == 404
    assert not WorkRecord.objects.filter(owner=demo["cv.khtc.nga"]).exists()


def test_api_starts_a_correction(demo, client):
    original = _issued(demo)
    client.force_login(demo["cv.qlvt.long"])
    response = client.post(f"/api/outgoing/{original.pk}/corrections", {"kind": "amend"},
                           content_type="application/json")
    assert response.status_code == 201
    assert (response.json()["corrects_id"], response.json()["correction"]) == (original.pk, "amend")
    bad = client.post(f"/api/outgoing/{original.pk}/corrections", {"kind": "delete"},
                      content_type="application/json")
    assert bad.status_code == 400
    assert bad.json()["detail"][0]["field"] == "kind"
