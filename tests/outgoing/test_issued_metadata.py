"""What was issued stays as issued (Decree 30 Annex VI I.7, I.12 SignerInfo; Art 13 signing authority):
later changes of people or of the agency never rewrite an issued document's page, API or list."""

import pytest

from qlvb.organization.models import Agency, Position
from qlvb.outgoing import services
from tests.outgoing.issuing import approved

pytestmark = pytest.mark.django_db


def _issue_then_reorganise(demo):
    document = services.issue(actor=demo.vanthu, draft=approved(demo))
    signer = demo["pgd.mai"]
    signer.full_name = "Trần Thị Mai Anh"
    signer.position = Position.objects.get(name="Giám đốc")  # promoted
    signer.save()
    Position.objects.filter(name="Giám đốc").update(name="Giám đốc Sở")
    Agency.objects.update(name="Sở Xây dựng tỉnh Thái Nguyên", parent_name="UBND tỉnh Thái Nguyên")  # merged
    return document


def test_signer_authority_and_agency_are_copied_at_issuing(demo):
    """Annex VI (OrganName, SignerInfo Position/FullName) and Annex I II.7: the issued document keeps the
    signer's name and position, the authority line and the agency names of the day it was issued."""
    document = _issue_then_reorganise(demo)
    document.refresh_from_db()
    assert (document.signer_name, document.signer_title) == ("Trần Thị Mai", "Phó Giám đốc")
    assert document.signing_authority == "KT. GIÁM ĐỐC"
    assert document.signature_block == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert (document.agency_name, document.parent_agency_name) == ("Sở Giao thông vận tải tỉnh Bắc Kạn",
                                                                   "UBND tỉnh Bắc Kạn")


def test_pages_and_api_show_what_was_issued(client, demo):
    """The document's page, the list and the API read the copies, not today's people and agency."""
    document = _issue_then_reorganise(demo)
    client.force_login(demo["cv.qlvt.long"])
    page = client.get(f"/outgoing/{document.pk}/").content.decode()
    assert "KT. GIÁM ĐỐC<br>PHÓ GIÁM ĐỐC<br>Trần Thị Mai<" in page
    assert "Sở Giao thông vận tải tỉnh Bắc Kạn" in page and "Thái Nguyên" not in page
    listing = client.get("/outgoing/").content.decode()
    assert "Trần Thị Mai<" in listing and "Mai Anh" not in listing
    body = client.get(f"/api/outgoing/{document.pk}").json()
    assert (body["signer_name"], body["signer_title"], body["signing_authority"]) == (
        "Trần Thị Mai", "Phó Giám đốc", "KT. GIÁM ĐỐC")
    assert (body["agency_name"], body["parent_agency_name"]) == ("Sở Giao thông vận tải tỉnh Bắc Kạn",
                                                                 "UBND tỉnh Bắc Kạn")
