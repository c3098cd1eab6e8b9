"""Issuing: the number and notation, internal delivery, the reply completing the incoming item."""

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections
from django.urls import reverse

from qlvb.assignments.models import Assignment
from qlvb.incoming.models import IncomingDocument
from qlvb.outgoing import notation, services
from qlvb.outgoing.models import OutgoingDocument, Recipient
from qlvb.records import services as records
from tests.factories import reply_path

pytestmark = pytest.mark.django_db


def _approved(demo, **kwargs):
    incoming, record, draft = reply_path(demo, **kwargs)
    records.submit(actor=demo["cv.qlvt.long"], draft=draft)
    records.approve(actor=demo["tp.qlvt"], draft=draft)
    records.sign(actor=demo["pgd.mai"], draft=draft)
    return incoming, record, draft


def test_notation_rules():
    from types import SimpleNamespace as NS

    agency, unit = NS(short_name="SGTVT"), NS(abbreviation="VP")
    assert notation.build(number=15, document_type=NS(abbreviation="QĐ"), agency=agency,
                          drafting_unit=unit) == "15/QĐ-SGTVT"
    assert notation.build(number=16, document_type=NS(abbreviation=""), agency=agency,
                          drafting_unit=unit) == "16/SGTVT-VP"
    assert notation.build(number=5, document_type=NS(abbreviation="QĐ"), agency=agency,
                          drafting_unit=unit) == "05/QĐ-SGTVT"


def test_issue_numbers_delivers_and_completes_the_reply(demo):
    incoming, record, draft = _approved(demo)
    document = services.issue(actor=demo.vanthu, draft=draft, sending="paper_electronic")
    assert document.number == 1 and document.notation == "01/SGTVT-QLVT"
    draft.refresh_from_db()
    assert draft.state == "issued"
    unit_copy = Recipient.objects.get(document=document, unit__abbreviation="KHTC")
    assert unit_copy.status == "delivered"
    delivered = unit_copy.incoming
    assert delivered.notation == "01/SGTVT-QLVT" and delivered.assignments.get().receiver == demo["tp.khtc"]
    assert Recipient.objects.get(document=document, agency__isnull=False).status == "pending"
    officer_item = Assignment.objects.get(document=incoming, receiver=demo["cv.qlvt.long"])
    assert officer_item.state == "done" and "01/SGTVT-QLVT" in officer_item.result
    incoming.refresh_from_db()
    assert incoming.status == IncomingDocument.Status.DONE
    assert list(document.replies_to.all()) == [incoming]


def test_decision_gets_its_type_abbreviation(demo):
    _, _, draft = _approved(demo, document_type="Quyết định", recipients=False)
    assert services.issue(actor=demo.vanthu, draft=draft).notation == "01/QĐ-SGTVT"


def test_only_clerks_issue_and_only_signed_drafts(demo):
    incoming, record, draft = reply_path(demo)
    with pytest.raises(ValidationError):
        services.issue(actor=demo.vanthu, draft=draft)
    records.submit(actor=demo["cv.qlvt.long"], draft=draft)
    records.approve(actor=demo["tp.qlvt"], draft=draft)
    records.sign(actor=demo["pgd.mai"], draft=draft)
    with pytest.raises(PermissionDenied):
        services.issue(actor=demo["cv.qlvt.long"], draft=draft)
    services.issue(actor=demo.vanthu, draft=draft)
    with pytest.raises(ValidationError):
        services.issue(actor=demo.vanthu, draft=draft)  # issued once only
    assert OutgoingDocument.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_never_duplicates_or_skips(demo):
    drafts = [_approved(demo, recipients=False)[2] for _ in range(8)]
    errors, barrier = [], threading.Barrier(8)

    def worker(draft):
        try:
            barrier.wait()
            services.issue(actor=demo.vanthu, draft=draft)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(d,)) for d in drafts]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(OutgoingDocument.objects.values_list("number", flat=True)) == list(range(1, 9))


def test_reporter_cannot_open_issued_documents(client, demo):
    _, _, draft = _approved(demo)
    document = services.issue(actor=demo.vanthu, draft=draft)
    client.force_login(demo["ict.sotttt"])
    # An issued, non-confidential document is open to the staff; the reporter's role is refused the
    # document area (a refusal, 403, the same for every document: nothing learnt about which exist).
    for url in (f"/outgoing/{document.pk}/", f"/outgoing/{document.pk}/file/", f"/api/outgoing/{document.pk}",
                "/outgoing/999999/", "/api/outgoing/999999"):
        assert client.get(url).status_code == 403, url
    client.force_login(demo["cv.khtc.nga"])  # staff of the agency read issued, non-confidential documents
    assert client.get(f"/outgoing/{document.pk}/").status_code == 200


def test_issued_list_search_ignores_accents_and_d(demo, client):
    _, record, draft = reply_path(demo)
    records.save_draft(actor=demo["cv.qlvt.long"], record=record, draft=draft,
                       data={"summary": "V/v đăng kiểm xe cơ giới"})
    records.submit(actor=demo["cv.qlvt.long"], draft=draft)
    records.approve(actor=demo["tp.qlvt"], draft=draft)
    records.sign(actor=demo["pgd.mai"], draft=draft)
    services.issue(actor=demo.vanthu, draft=draft)
    client.force_login(demo["cv.qlvt.long"])
    for query, found in [("dang kiem", True), ("ĐĂNG KIỂM", True), ("01/sgtvt", True), ("dang kiem xe tai", False)]:
        page = client.get(reverse("outgoing:list"), {"q": query}).content.decode()
        assert ("01/SGTVT-QLVT" in page) is found, query
