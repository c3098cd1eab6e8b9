"""Annex VI metadata of incoming documents (Decree 30/2020 PL VI part II, regulations-detail §1.10):
number and notation as two fields (CodeNumber String 11, CodeNotation String 30), the signer's position and
name as two fields (SignerInfo), the issuing agency's identifier code (OrganId) in one of the two formats
of QCVN 102:2016 / QĐ 20/2020 (§3.1), and the Priority code of the edXML list (§3.4)."""

import pytest
from django.core.exceptions import ValidationError

from qlvb.documents.codes import Priority, priority
from qlvb.documents.identifiers import organ_id_format
from qlvb.incoming import services
from qlvb.incoming.metadata import split_signer
from qlvb.incoming.models import IncomingDocument
from qlvb.incoming.search import matching
from tests.factories import register_doc
from tests.incoming.test_deadlines import _api_data

pytestmark = pytest.mark.django_db


def test_number_and_notation_are_two_fields_shown_and_searched_together(demo):
    """PL VI II rows 4–5 (CodeNumber, CodeNotation): the printed `12/QĐ-UBND` is split on input, the two
    parts stored, the printed form still shown and found by the quick search."""
    printed = register_doc(demo.vanthu, notation="12 / QĐ-UBND")
    assert (printed.code_number, printed.code_notation, printed.notation) == ("12", "QĐ-UBND", "12/QĐ-UBND")
    parts = register_doc(demo.vanthu, notation="", code_number="05", code_notation="BNV-VP")
    assert parts.notation == "05/BNV-VP"
    decree = register_doc(demo.vanthu, notation="30/2020/NĐ-CP")
    assert (decree.code_number, decree.code_notation) == ("30", "2020/NĐ-CP")
    assert list(matching(IncomingDocument.objects.all(), "12/qd-ubnd")) == [printed]


def test_a_notation_that_does_not_split_is_refused_naming_the_field(demo, client):
    """PL VI II rows 4–5: what is not `<number>/<notation>` is refused with a Vietnamese message naming the
    field, on the service, the API and the page; nothing is registered."""
    with pytest.raises(ValidationError) as refused:
        register_doc(demo.vanthu, notation="V/v 12")
    assert refused.value.message_dict["notation"][0].startswith("Số, ký hiệu")
    with pytest.raises(ValidationError) as refused:
        register_doc(demo.vanthu, notation="", code_number="12", code_notation="QĐ UBND")
    assert refused.value.message_dict["code_notation"][0].startswith("Ký hiệu")

    client.force_login(demo.vanthu)
    response = client.post("/api/incoming/", _api_data(demo, notation="Công văn số 12"))
    assert response.status_code == 400 and response.json()["detail"][0]["msg"].split(": ", 1)[-1].startswith("Số, ký hiệu")
    assert response.json()["detail"][0]["field"] == "notation"
    page = client.post("/incoming/new/", _page_data(demo, notation="12-QĐ-UBND"))
    assert page.status_code == 400 and "không tách được" in page.context["form"].errors["notation"][0]
    assert IncomingDocument.objects.count() == 0


def _page_data(demo, **extra):
    from qlvb.documents.models import DocumentType
    from tests.factories import incoming_register

    return _api_data(demo, register=incoming_register(demo.vanthu).pk, urgency="normal",
                     confidentiality="normal", medium="electronic",
                     document_type=DocumentType.objects.get(name="Công văn").pk, **extra)


def test_api_takes_the_parts_and_shows_annex_vi_fields(demo, client):
    """PL VI II rows 4, 5, 14, 15 through the API: number and notation sent apart, the signer as position
    and name (or as one text from older clients), the Priority code derived from the urgency."""
    client.force_login(demo.vanthu)
    response = client.post("/api/incoming/", _api_data(
        demo, notation="", code_number="7816", code_notation="VPCP-TTĐT", urgency="very_urgent",
        signer="KT. BỘ TRƯỞNG THỨ TRƯỞNG Nguyễn Văn Sơn", issuer_code="000.00.00.g22"))
    assert response.status_code == 201, response.content
    detail = client.get(f"/api/incoming/{response.json()['id']}").json()
    assert (detail["code_number"], detail["code_notation"], detail["notation"]) == ("7816", "VPCP-TTĐT",
                                                                                     "7816/VPCP-TTĐT")
    assert (detail["signer_position"], detail["signer_name"]) == ("KT. BỘ TRƯỞNG THỨ TRƯỞNG", "Nguyễn Văn Sơn")
    assert detail["priority"] == 2 and detail["issuer_code"] == "000.00.00.G22"
    assert detail["code_needs_fix"] is False


@pytest.mark.parametrize("code", ["000.00.00.H49", "000.00.15.H03", "H01.151", "H01.151.01", "G22"])
def test_both_identifier_formats_are_accepted(demo, code):
    """§3.1: QCVN 102:2016 `000.00.00.H49` and QĐ 20/2020/QĐ-TTg `H01.151.01` (≤ 35 characters)."""
    assert register_doc(demo.vanthu, issuer_code=code).issuer_code == code


@pytest.mark.parametrize("code", ["000.00.00.H4", "H01..151", "H01 151", "UBND-BK", "H01." + "1" * 32])
def test_a_malformed_identifier_is_refused_on_service_and_api(demo, client, code):
    """§3.1: an OrganId in neither format is refused, the message naming "Mã định danh"; nothing saved."""
    with pytest.raises(ValidationError) as refused:
        register_doc(demo.vanthu, issuer_code=code)
    assert refused.value.message_dict["issuer_code"][0].startswith("Mã định danh")
    client.force_login(demo.vanthu)
    response = client.post("/api/incoming/", _api_data(demo, issuer_code=code))
    assert response.status_code == 400 and response.json()["detail"][0]["msg"].split(": ", 1)[-1].startswith("Mã định danh")
    assert response.json()["detail"][0]["field"] == "issuer_code"
    assert IncomingDocument.objects.count() == 0


def test_organ_id_formats_are_told_apart():
    assert organ_id_format("000.00.00.H49") == "QCVN 102"
    assert organ_id_format("H01.151") == "QĐ 20/2020"
    assert organ_id_format("h01.151") is None


def test_priority_code_follows_the_edxml_list():
    """§3.4 OtherInfo/Priority: 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc. The list has no values for
    confidentiality, so a confidential document keeps its urgency's code."""
    assert [priority(u) for u in ("normal", "urgent", "very_urgent", "flash")] == [0, 1, 2, 3]
    assert priority("urgent", "secret") == Priority.URGENT


@pytest.mark.parametrize(("text", "split"), [
    ("Nguyễn Văn A", ("", "Nguyễn Văn A")),
    ("Phó Giám đốc Trần Văn B", ("Phó Giám đốc", "Trần Văn B")),
    ("KT. CHỦ TỊCH PHÓ CHỦ TỊCH Lê Thị Hoa", ("KT. CHỦ TỊCH PHÓ CHỦ TỊCH", "Lê Thị Hoa")),
    ("Trưởng phòng Trương Văn An", ("Trưởng phòng", "Trương Văn An")),
    ("Chủ tịch, Hoàng Minh Tuấn", ("Chủ tịch", "Hoàng Minh Tuấn")),
    ("Giám đốc", ("Giám đốc", "")),
    ("", ("", "")),
])
def test_old_one_line_signer_splits_into_position_and_name(text, split):
    """PL VI II row 14 (SignerInfo: Position, FullName)."""
    assert split_signer(text) == split


def test_correcting_number_and_notation_and_signer(demo, client):
    """PL VI II rows 4–5, 14: the clerk corrects the parts (page and API); the audit keeps the old ones."""
    document = register_doc(demo.vanthu, notation="12/QĐ-UBND")
    services.update_incoming(actor=demo.vanthu, document=document,
                             changes={"notation": "13/QĐ-UBND", "signer_name": "Lê Văn C"})
    document.refresh_from_db()
    assert (document.code_number, document.notation, document.signer_name) == ("13", "13/QĐ-UBND", "Lê Văn C")
    client.force_login(demo.vanthu)
    response = client.patch(f"/api/incoming/{document.pk}", {"code_notation": "KH-UBND"},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["notation"] == "13/KH-UBND"
    response = client.patch(f"/api/incoming/{document.pk}", {"code_number": "x1"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"][0]["msg"].split(": ", 1)[-1].startswith("Số:")
    assert response.json()["detail"][0]["field"] == "code_number"
