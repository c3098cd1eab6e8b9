"""An uploaded PDF: the number and date are written as a text overlay at the position the template or
the clerk sets, validated to lie on the page."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from qlvb.documents.models import DocumentTemplate
from qlvb.outgoing import rendering
from qlvb.outgoing.rendering.content import DocumentData
from qlvb.outgoing.rendering.html import render_html
from qlvb.records import services as records
from tests.factories import reply_path

from .helpers import DATE_LINE, NATIONAL_TITLE, overlaps, text_of, where

BOXES = {"number": {"page": 0, "x1": 137, "y1": 728, "x2": 250, "y2": 746},
         "date": {"page": 0, "x1": 281, "y1": 728, "x2": 553, "y2": 748},
         "signer": {"page": 0, "x1": 346, "y1": 540, "x2": 502, "y2": 620}}


@pytest.fixture
def draft(demo):
    """A signed scan-like PDF the officer uploaded: an Annex I page with empty number and date."""
    _, record, draft = reply_path(demo)
    data = DocumentData(agency_name="Sở Giao thông vận tải", parent_agency_name="UBND tỉnh Bắc Kạn",
                        place_name="Bắc Kạn", type_name="Công văn", is_official_letter=True,
                        summary="V/v báo cáo bảo trì", body="Sở Giao thông vận tải báo cáo như sau.",
                        authority_lines=("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"), signer_name="Trần Thị Mai",
                        recipients=("- Lưu: VT, QLVT, 02.",))
    upload = SimpleUploadedFile("du-thao.pdf", render_html(data).pdf)
    records.save_draft(actor=demo["cv.qlvt.long"], record=record, draft=draft, data={}, upload=upload)
    draft.refresh_from_db()
    return draft


def test_template_positions_and_preview(draft, agency):
    DocumentTemplate.objects.create(agency=agency, document_type=draft.document_type, kind="html",
                                    name="Mẫu", boxes=BOXES)
    result = rendering.preview(draft, "15/SGTVT-QLVT", DATE_LINE)
    assert result.boxes["number"] == rendering.Box(0, 137, 728, 250, 746)
    assert result.boxes["seal"] == rendering.seal_for(result.boxes["signer"])
    text = text_of(result.pdf)
    assert NATIONAL_TITLE in text and "Số: 15/SGTVT-QLVT" in text and "Bắc Kạn, ngày 05 tháng 01 năm 2026" in text
    assert overlaps(result.boxes["date"], where(result.pdf, "ngày 05 tháng 01"))
    assert "15/SGTVT" not in text_of(rendering.render(draft).pdf)  # the upload itself is left as it was


def test_clerk_positions_override_and_are_checked(draft):
    """Without a template position the clerk gives them; one off the page is refused, naming it."""
    with pytest.raises(ValidationError, match="Chưa có vị trí cho: number, date, signer"):
        rendering.render(draft)
    positions = rendering.boxes.from_json(BOXES)
    assert rendering.render(draft, positions=positions).boxes["date"] == positions["date"]
    positions["signer"] = rendering.Box(1, 346, 540, 502, 620)
    with pytest.raises(ValidationError, match="trang 2, văn bản chỉ có 1 trang"):
        rendering.render(draft, positions=positions)
    positions["signer"] = rendering.Box(0, 346, 540, 502, 900)
    with pytest.raises(ValidationError, match="ngoài trang 1"):
        rendering.render(draft, positions=positions)


def test_clerk_positions_win_over_the_template(draft, agency):
    DocumentTemplate.objects.create(agency=agency, document_type=draft.document_type, kind="html",
                                    name="Mẫu", boxes=BOXES)
    moved = rendering.Box(0, 100, 700, 240, 716)
    assert rendering.render(draft, positions={"number": moved}).boxes["number"] == moved
