"""The issue page and API before and at confirming (issue 11 item 7, issue 14): the clerk sees the final PDF
with the number and date it will take, read without taking it; the number is taken only on confirm; a
wrong PIN takes none; a number taken meanwhile by another clerk gives the next one, and the page says so."""

import pytest
from django.utils import timezone

from qlvb.documents.models import Register
from qlvb.files.storage import open_verified
from qlvb.outgoing import rendering, services
from qlvb.outgoing.models import OutgoingDocument
from tests.signing.conftest import PIN, admin_person, agency_credential, leader_credential, trusted  # noqa: F401

from . import signed
from .signed import drawn_texts, leader_signs

pytestmark = pytest.mark.django_db


def _last_number():
    return Register.objects.get(kind="outgoing", is_confidential=False, year=timezone.localdate().year).last_number


@pytest.fixture
def ready(demo, leader_credential, agency_credential):  # noqa: F811
    return leader_signs(demo, signed.structured(demo), leader_credential)


def test_page_shows_the_number_and_the_final_pdf_before_confirming(client, demo, ready):
    client.force_login(demo.vanthu)
    page = client.get(f"/outgoing/issue/{ready.pk}/").content.decode()
    assert 'data-testid="upcoming-number">Số: 01/QĐ-SGTVT<' in page
    assert rendering.date_line("Bắc Kạn", timezone.localdate()) in page
    assert f'src="/outgoing/issue/{ready.pk}/preview/"' in page and 'name="pin"' in page
    preview = client.get(f"/outgoing/issue/{ready.pk}/preview/")
    assert preview["Content-Type"] == "application/pdf" and preview["Content-Security-Policy"] == "sandbox"
    assert drawn_texts(preview.content)["QLVB_Text_0"] == "01/QĐ-SGTVT"
    assert _last_number() == 0 and not OutgoingDocument.objects.exists()  # nothing taken by looking


def test_confirm_with_pin_issues_the_signed_pdf(client, demo, ready):
    client.force_login(demo.vanthu)
    response = client.post(f"/outgoing/issue/{ready.pk}/", {"sending": "electronic", "pin": PIN,
                                                            "expected": "01/QĐ-SGTVT"}, follow=True)
    document = OutgoingDocument.objects.get()
    assert document.notation == "01/QĐ-SGTVT" and ("Đã phát hành văn bản số 01/QĐ-SGTVT; 1 nơi nhận trong cơ quan "
                                                   "đã nhận vào hộp văn bản; 1 cơ quan bên ngoài chờ gửi.") \
        in response.content.decode()  # what issuing did and what is left (issue 11.6)
    assert 'data-verdict="valid"' in response.content.decode()


def test_wrong_pin_says_so_and_takes_no_number(client, demo, ready):
    client.force_login(demo.vanthu)
    page = client.post(f"/outgoing/issue/{ready.pk}/", {"sending": "electronic", "pin": "sai-pin"}).content.decode()
    assert "Mã PIN" in page and "Còn" in page
    assert _last_number() == 0 and not OutgoingDocument.objects.exists()
    ready.refresh_from_db()
    assert ready.state == "approved"
    assert services.issue(actor=demo.vanthu, draft=ready, pin=PIN).number == 1  # the number is still free


def test_a_number_taken_meanwhile_gives_the_next_and_the_page_says_so(client, demo, ready):
    client.force_login(demo.vanthu)
    assert "Số: 01/QĐ-SGTVT" in client.get(f"/outgoing/issue/{ready.pk}/").content.decode()
    other = services.issue(actor=demo["vanthu"], draft=signed.structured(demo))  # another clerk, meanwhile
    assert other.notation == "01/QĐ-SGTVT"
    page = client.post(f"/outgoing/issue/{ready.pk}/", {"sending": "electronic", "pin": PIN,
                                                        "expected": "01/QĐ-SGTVT"}, follow=True).content.decode()
    document = OutgoingDocument.objects.get(draft=ready)
    assert document.notation == "02/QĐ-SGTVT"
    assert "Số 01/QĐ-SGTVT đã được cấp cho văn bản khác" in page and "nhận số 02/QĐ-SGTVT" in page
    assert drawn_texts(open_verified(document.blob))["QLVB_Text_0"] == "02/QĐ-SGTVT"  # made again with it


def test_required_signature_is_refused_without_pin(client, demo, ready, settings):
    settings.QLVB_REQUIRE_DIGITAL_SIGNATURE = True
    client.force_login(demo.vanthu)
    page = client.post(f"/outgoing/issue/{ready.pk}/", {"sending": "electronic"}).content.decode()
    assert "Mã PIN: nhập mã PIN chứng thư số của cơ quan" in page and not OutgoingDocument.objects.exists()


def test_agency_signs_only_what_the_leader_signed(demo, agency_credential):  # noqa: F811
    """Art 32.2.d: a draft approved without the leader's digital signature gets no agency signature."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Điều 32.2.d"):
        services.issue(actor=demo.vanthu, draft=signed.structured(demo), pin=PIN)
    assert _last_number() == 0


def test_clerk_sets_positions_for_an_uploaded_pdf(client, demo):
    """An uploaded PDF with no positions in its type's template: the preview says what is missing; with
    the clerk's positions (mm from the top-left corner) it shows the number there, and issuing uses them."""
    made = rendering.render(signed.structured(demo))
    draft = signed.uploaded(demo, made.pdf)
    client.force_login(demo.vanthu)
    missing = client.get(f"/outgoing/issue/{draft.pk}/preview/")
    assert missing.status_code == 422 and "Chưa có vị trí" in missing.content.decode()
    where = {"number_page": "1", "number_x": "40", "number_y": "30", "date_page": "1", "date_x": "110",
             "date_y": "30", "signer_page": "1", "signer_x": "120", "signer_y": "200"}
    preview = client.get(f"/outgoing/issue/{draft.pk}/preview/", where)
    assert drawn_texts(preview.content)["QLVB_Text_0"] == "01/QĐ-SGTVT"
    rect = signed.field_rects(preview.content)["QLVB_Text_0"][1]
    assert rect[0] == pytest.approx(40 * rendering.MM, abs=0.1)
    assert rect[1] == pytest.approx(841.89 - 37 * rendering.MM, abs=3)  # the 7 mm box 30 mm under the top
    client.post(f"/outgoing/issue/{draft.pk}/", {"sending": "electronic", **where})
    document = OutgoingDocument.objects.get(draft=draft)
    assert drawn_texts(open_verified(document.blob))["QLVB_Text_1"].startswith("Bắc Kạn, ngày")
    bad = client.get(f"/outgoing/issue/{draft.pk}/preview/", {**where, "date_y": "abc"})
    assert bad.status_code == 422 and "Địa danh, ngày tháng" in bad.content.decode()


def test_api_preview_upcoming_and_issue_with_pin(client, demo, ready):
    client.force_login(demo.vanthu)
    coming = client.get(f"/api/outgoing/issue/{ready.pk}/upcoming").json()
    assert coming["notation"] == "01/QĐ-SGTVT" and coming["leader_signed"] is True
    preview = client.get(f"/api/outgoing/issue/{ready.pk}/preview")
    assert preview["Content-Type"] == "application/pdf" and _last_number() == 0
    wrong = client.post(f"/api/outgoing/issue/{ready.pk}", {"pin": "sai"}, content_type="application/json")
    assert wrong.status_code == 400 and "pin" in str(wrong.json()) and _last_number() == 0
    issued = client.post(f"/api/outgoing/issue/{ready.pk}", {"pin": PIN}, content_type="application/json")
    assert issued.status_code == 201
    body = issued.json()
    assert body["notation"] == "01/QĐ-SGTVT" and body["signature_verdict"] == "valid"
    assert body["signature"]["verdict"] == "valid" and len(body["signature"]["signatures"]) == 2
