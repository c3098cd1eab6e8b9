"""Every input field of Decree 30 Annex VI II finds its document (Circular 01/2019 F-6.d: search all
input fields), through the search page and the API, folded (no accents, đ → d) where it is text; and a
confidential document with the same words never shows for a viewer who may not open it."""

import pytest

from qlvb.organization.models import Person, Unit

from .conftest import FIND

pytestmark = pytest.mark.django_db


def _ids_from_api(client, kind, params):
    response = client.get(f"/api/search/{kind}", {**params, "page_size": 100})
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["items"]}


def _page_text(client, kind, params):
    response = client.get("/search/", {"kind": kind, **params, "cols": ["notation", "summary"]})
    assert response.status_code == 200
    return response.content.decode()


def _check(client, demo, kind, cases, secret):
    """Each case (viewer, field, value, document to find, document it must leave out) through the API
    and the page; the confidential twin is never in the answer of a viewer who may not open it."""
    failures = []
    for viewer, name, value, found, left_out in cases:
        client.force_login(demo[viewer])
        ids, page = _ids_from_api(client, kind, {name: value}), _page_text(client, kind, {name: value})
        if found.pk not in ids or found.notation not in page:
            failures.append(f"{name}={value!r} does not find {found.notation} ({viewer})")
        if left_out is not None and (left_out.pk in ids or f">{left_out.notation}<" in page):
            failures.append(f"{name}={value!r} also finds {left_out.notation} ({viewer})")
        if viewer == "vanthu" and (secret.pk in ids or secret.notation in page):
            failures.append(f"{name}={value!r} shows the confidential document to {viewer}")
    assert failures == []


def test_every_incoming_field_finds_its_document(client, demo, library):
    """F-6.d over the incoming fields of Annex VI II (number, notation, issuer, signer, type, summary,
    dates, arrival number, register, urgency, confidentiality, field, status, unit, handler, deadline)."""
    doc, other, secret = library.incoming, library.other_incoming, library.secret_incoming
    assert doc.status != other.status
    qlvt = Unit.objects.get(abbreviation="QLVT")
    cases = [
        ("vanthu", "q", "phan luong dong nai", doc, other),
        ("vanthu", "notation", "0417/qd-dkvn", doc, other),
        ("vanthu", "code_number", "417", doc, other),
        ("vanthu", "code_number", "0417", doc, other),
        ("vanthu", "code_notation", "QĐ-ĐKVN", doc, other),
        ("vanthu", "issuer", "duong bo viet nam", doc, other),
        ("vanthu", "signer_name", "văn khai", doc, other),
        ("vanthu", "signer_position", "PHO CUC TRUONG", doc, other),
        ("vanthu", "document_type_id", doc.document_type_id, doc, other),
        ("vanthu", "summary", "cầu đồng nai", doc, other),
        ("vanthu", "issued_from", doc.issued_on.isoformat(), doc, None),
        ("vanthu", "issued_to", doc.issued_on.isoformat(), doc, other),
        ("vanthu", "arrived_from", doc.arrived_at.date().isoformat(), doc, None),
        ("vanthu", "arrived_to", doc.arrived_at.date().isoformat(), doc, other),
        ("vanthu", "arrival_number", doc.arrival_number, doc, other),
        ("vanthu.mat", "register_id", secret.register_id, secret, doc),
        ("vanthu", "urgency", "urgent", doc, other),
        ("vanthu.mat", "confidentiality", "confidential", secret, doc),
        ("vanthu", "field_id", doc.field_id, doc, other),
        ("vanthu", "status", doc.status, doc, other),
        ("vanthu", "unit_id", qlvt.pk, doc, other),
        ("vanthu", "handler_id", Person.objects.get(username="tp.qlvt").pk, doc, other),
        ("vanthu", "deadline_from", doc.deadline.isoformat(), doc, other),
        ("vanthu", "deadline_to", doc.deadline.isoformat(), doc, None),
    ]
    _check(client, demo, "incoming", cases, secret)


def test_every_outgoing_field_finds_its_document(client, demo, library):
    """F-6.d over the outgoing fields of Annex VI I (number, notation, organ, signer, type, summary, date,
    register, urgency, confidentiality, field, drafting unit and person, recipients)."""
    doc, other, secret = library.outgoing, library.other_outgoing, library.secret_outgoing
    code = doc.notation.split("/", 1)[1]
    cases = [
        ("vanthu", "q", "phan luong dong nai", doc, other),
        ("vanthu", "notation", doc.notation, doc, other),
        ("vanthu", "code_number", doc.number, doc, other),
        ("vanthu", "code_notation", code.lower(), doc, other),
        ("vanthu", "issuer", "so giao thong", doc, None),
        ("vanthu", "signer_name", doc.signer_name.lower(), doc, None),
        ("vanthu", "signer_position", "giam doc", doc, None),
        ("vanthu", "document_type_id", doc.document_type_id, doc, other),
        ("vanthu", "summary", "cầu đồng nai", doc, other),
        ("vanthu", "issued_from", doc.issued_on.isoformat(), doc, None),
        ("vanthu", "issued_to", doc.issued_on.isoformat(), doc, None),
        ("vanthu.mat", "register_id", secret.register_id, secret, doc),
        ("vanthu", "urgency", "urgent", doc, other),
        ("vanthu.mat", "confidentiality", "confidential", secret, doc),
        ("vanthu", "field_id", doc.draft.record.field_id, doc, other),
        ("vanthu", "status", "in_force", doc, None),
        ("vanthu", "unit_id", doc.drafting_unit_id, doc, other),
        ("vanthu", "handler_id", doc.draft.record.owner_id, doc, other),
        ("vanthu", "recipients", "my thuan", doc, other),
    ]
    _check(client, demo, "outgoing", cases, secret)


def test_the_words_of_the_library_are_what_the_tests_search(library):
    assert FIND in library.incoming.summary and FIND in library.secret_outgoing.summary
