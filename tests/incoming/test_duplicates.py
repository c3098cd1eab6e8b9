"""The duplicate-registration warning (Decree 30/2020 PL VI I.III.1.h, F-1.h; regulations-detail §1.3): the
clerk is warned when the document has the same identifier (DocumentId) as one already registered, or the
same number, notation and issuing agency whatever the dates — on the page and in the API (409 with the
matches), until they confirm. Notation compared folded: case, spaces, Vietnamese accents, đ."""

import json
from datetime import date

import pytest

from qlvb.audit.models import AuditEntry
from qlvb.incoming import services
from qlvb.incoming.duplicates import DuplicateSuspected
from qlvb.incoming.models import IncomingDocument
from tests.factories import register_doc
from tests.incoming.test_annex_vi import _page_data
from tests.incoming.test_deadlines import _api_data

pytestmark = pytest.mark.django_db


def test_same_number_notation_and_agency_on_another_date_is_stopped_until_confirmed(demo):
    """PL VI I.III.1.h: same (number, notation, issuing agency) whatever the date; notation folded
    (case, spaces, accents, đ), number without leading zeros, agency name folded."""
    original = register_doc(demo.vanthu, notation="5/QĐ-UBND", issuer="UBND tỉnh Bắc Kạn",
                            issued_on=date(2026, 11, 20))
    with pytest.raises(DuplicateSuspected) as stopped:
        register_doc(demo.vanthu, notation="05 / qd - ubnd", issuer="ubnd tinh bac kan", issued_on=date(2026, 11, 27))
    assert stopped.value.duplicates.visible == [original]
    assert f"số đến {original.arrival_number}" in stopped.value.messages[0]
    assert IncomingDocument.objects.count() == 1

    again = _register_confirmed(demo.vanthu, notation="05/QĐ-UBND", issuer_name="UBND tỉnh Bắc Kạn")
    assert again.arrival_number == 2
    entry = AuditEntry.objects.get(action="incoming.register", object_id=str(again.pk))
    assert entry.changes["confirmed_duplicate_of"] == [original.pk]


def _register_confirmed(clerk, **fields):
    from qlvb.documents.models import DocumentType
    from tests.factories import incoming_register

    data = services.IncomingData(register=incoming_register(clerk), issued_on=date(2026, 11, 20),
                                 document_type=DocumentType.objects.get(name="Công văn"), summary="V/v bảo trì",
                                 **fields)
    return services.register_incoming(actor=clerk, data=data, confirm_duplicate=True)


def test_same_document_identifier_is_stopped(demo):
    """PL VI I.III.1.h: the same mã định danh văn bản (edXML DocumentId) is a duplicate, even when the
    clerk typed the agency's name differently."""
    identifier = "000.00.00.G22,2026/11/20,7816/VPCP-TTĐT"
    register_doc(demo.vanthu, notation="7816/VPCP-TTĐT", issuer="Văn phòng Chính phủ",
                 document_identifier=identifier)
    with pytest.raises(DuplicateSuspected):
        register_doc(demo.vanthu, notation="7816/VPCP-TTĐT", issuer="VPCP", document_identifier=identifier)


def test_other_agency_or_cancelled_registration_is_not_a_duplicate(demo):
    """PL VI I.III.1.h: the three together make a duplicate; a cancelled registration does not count."""
    first = register_doc(demo.vanthu, notation="12/UBND-VP", issuer="UBND tỉnh Bắc Kạn")
    register_doc(demo.vanthu, notation="12/UBND-VP", issuer="UBND tỉnh Cao Bằng")
    services.cancel_registration(actor=demo.vanthu, document=first, reason="Vào sổ nhầm")
    assert register_doc(demo.vanthu, notation="12/UBND-VP", issuer="UBND tỉnh Bắc Kạn").arrival_number == 3


def test_api_answers_409_with_the_matches_unless_confirmed(client, demo):
    """PL VI I.III.1.h through the API: 409 listing each match (id, arrival number, register, arrival
    date, link); the same request with confirm_duplicate=true registers it."""
    client.force_login(demo.vanthu)
    first = client.post("/api/incoming/", _api_data(demo, issued_on="2026-11-20")).json()
    response = client.post("/api/incoming/", _api_data(demo, notation="12/bgtvt-kcht", issued_on="2026-11-02"))
    assert response.status_code == 409, response.content
    body = response.json()
    match = body["duplicates"][0]
    assert (match["id"], match["arrival_number"], match["register_id"]) == (first["id"], 1, first["register_id"])
    assert match["url"] == f"/incoming/{first['id']}/" and match["arrived_at"] and body["hidden_count"] == 0
    assert "có thể đã được vào sổ" in body["detail"][0]
    assert client.get("/api/incoming/").json()["count"] == 1

    response = client.post("/api/incoming/", _api_data(demo, notation="12/bgtvt-kcht", confirm_duplicate="true"))
    assert response.status_code == 201 and response.json()["arrival_number"] == 2


def test_a_match_the_clerk_may_not_see_is_counted_not_shown(client, demo):
    """PL VI I.III.1.h and F-3.b (access per document): a match in the confidential register the clerk
    does not keep is reported as existing, without its arrival number, summary or link."""
    register_doc(demo["vanthu.mat"], notation="3/BCA-A03", issuer="Công an tỉnh", confidential=True,
                 summary="Nội dung mật về an ninh")
    client.force_login(demo.vanthu)
    response = client.post("/api/incoming/", _api_data(demo, notation="3/BCA-A03", issuer_name="Công an tỉnh"))
    assert response.status_code == 409
    body = response.json()
    assert body["duplicates"] == [] and body["hidden_count"] == 1
    assert "Nội dung mật" not in json.dumps(body, ensure_ascii=False) and "số đến" not in body["detail"][0]
    assert "1 văn bản trong sổ bạn không được xem" in body["detail"][0]


def test_register_page_warns_and_registers_on_confirmation(client, demo):
    """PL VI I.III.1.h on the page: the warning lists the match, nothing is registered until the clerk
    ticks the confirmation."""
    original = register_doc(demo.vanthu, notation="77/CĐBVN-QLKCHT", issuer="Cục Đường bộ Việt Nam")
    client.force_login(demo.vanthu)
    data = _page_data(demo, notation="77/CDBVN-QLKCHT", issuer_name="Cục đường bộ Việt Nam",
                      issued_on="2026-10-01")
    response = client.post("/incoming/new/", data)
    assert response.status_code == 400
    assert b'data-testid="duplicate-warning"' in response.content
    assert f"/incoming/{original.pk}/".encode() in response.content
    assert IncomingDocument.objects.count() == 1
    hint = client.get("/incoming/new/check-duplicate/", {"notation": "77/cdbvn-qlkcht",
                                                        "issuer_name": "Cục Đường bộ Việt Nam"})
    assert b'data-testid="duplicate-hint"' in hint.content
    response = client.post("/incoming/new/", _page_data(demo, notation="77/CDBVN-QLKCHT",
                                                        issuer_name="Cục đường bộ Việt Nam",
                                                        confirm_duplicate="on"))
    assert response.status_code == 302 and IncomingDocument.objects.count() == 2
