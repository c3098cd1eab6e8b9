"""A structured draft (typed in the product) rendered in the Annex I layout of Decree 30/2020 (§1.7),
with the number and date line left empty until the leader has signed, and the preview with them."""

import io
import subprocess

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from qlvb.documents.models import DocumentTemplate
from qlvb.outgoing import rendering
from qlvb.outgoing.rendering import MM
from qlvb.records import services as records
from tests.factories import reply_path

from .helpers import DATE_LINE, MOTTO, NATIONAL_TITLE, overlaps, text_of, where

A4 = (595.28, 841.89)


@pytest.fixture
def letter(demo):
    """A công văn of the QLVT officer, signed KT. by the Deputy Director."""
    return reply_path(demo)[2]


def test_preview_shows_the_annex_i_heading_number_and_date(letter):
    """Annex I: national title and motto, parent agency and agency, "Số: …", the place/date line (II.4),
    "V/v" under the number for a công văn, KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC (II.7), "Nơi nhận" ending with
    "- Lưu: VT, QLVT, 02." (II.9); Vietnamese letters extracted exactly as given."""
    result = rendering.preview(letter, "15/SGTVT-QLVT", DATE_LINE)
    text = text_of(result.pdf)
    for expected in (NATIONAL_TITLE, MOTTO, "UBND TỈNH BẮC KẠN", "SỞ GIAO THÔNG VẬN TẢI", "Số: 15/SGTVT-QLVT",
                     "Bắc Kạn, ngày 05 tháng 01 năm 2026", "V/v báo cáo bảo trì", "Sở Giao thông vận tải báo "
                     "cáo như sau", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", letter.signer.full_name, "Nơi nhận:",
                     "Tài chính;", "- UBND tỉnh Bắc Kạn;", "- Lưu: VT, QLVT, 02."):
        assert expected in text, expected
    assert "CÔNG VĂN" not in text  # a công văn has no type name (Annex III 1.5)


def test_render_leaves_number_and_date_empty_and_is_pdf_a(letter):
    """The number and date are given after signing (Art 15.3): the rendered original has "Số:" and
    an empty place where they go, and is an archival PDF/A-3b in A4 portrait."""
    result = rendering.render(letter)
    text = text_of(result.pdf)
    assert "Số:" in text and "ngày" not in text and "15/" not in text
    reader = PdfReader(io.BytesIO(result.pdf))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2)) == A4
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3" pdfaid:conformance="B"' in metadata and result.page_count == len(reader.pages) == 1
    fonts = {str(f.get_object()["/BaseFont"]) for f in page["/Resources"]["/Font"].values()}
    assert any("Liberation-Serif" in name for name in fonts), fonts  # the font is embedded


def test_boxes_are_where_the_layout_puts_them(letter):
    """Number in the top-left quarter right after "Số:"; date under the motto; the signature (ô 7c)
    between the position and the name; the seal (ô 8) overlapping the signature's left third."""
    preview = rendering.preview(letter, "15/SGTVT-QLVT", DATE_LINE)
    boxes = preview.boxes
    width, height = A4
    number, date, signer, seal = boxes["number"], boxes["date"], boxes["signer"], boxes["seal"]
    assert number.x2 < width / 2 + 20 and number.y1 > height * 3 / 4
    assert overlaps(number, where(preview.pdf, "15/SGTVT-QLVT"))
    assert where(preview.pdf, "Số:").x1 < number.x1
    assert date.x1 >= width / 2 - 40 and date.y2 < where(preview.pdf, MOTTO).y1
    assert overlaps(date, where(preview.pdf, "ngày 05 tháng 01"))
    name, position = where(preview.pdf, letter.signer.full_name), where(preview.pdf, "PHÓ GIÁM ĐỐC")
    assert name.y2 <= signer.y1 and signer.y2 <= position.y1
    assert signer.x1 < (name.x1 + name.x2) / 2 < signer.x2
    assert seal.x1 < signer.x1 < seal.x2 == pytest.approx(signer.x1 + signer.width / 3)
    assert seal.y1 < signer.y2 and signer.y1 < seal.y2
    assert seal.width == pytest.approx(36 * MM)  # real size of the seal (QLVB_SEAL_DIAMETER_MM)


def test_quyet_dinh_has_its_type_name_and_summary(demo):
    """Quyết định (Annex III 1.2): type name, then the summary, centred under it."""
    draft = reply_path(demo, document_type="Quyết định")[2]
    text = text_of(rendering.preview(draft, "15/QĐ-SGTVT", DATE_LINE).pdf)
    assert "QUYẾT ĐỊNH V/v báo cáo bảo trì" in text and "Số: 15/QĐ-SGTVT" in text


def test_pages_are_numbered_from_the_second(demo):
    """§1.7: page numbers from page 2, in the top margin; the signature goes on the last page."""
    _, record, draft = reply_path(demo)
    body = "\n".join(f"Đoạn {i}: Sở Giao thông vận tải đề nghị các đơn vị triển khai kế hoạch bảo trì đường bộ "
                     "năm 2026 đúng tiến độ, bảo đảm an toàn giao thông." for i in range(40))
    records.save_draft(actor=demo["cv.qlvt.long"], record=record, draft=draft, data={}, body=body)
    result = rendering.render(draft)
    assert result.page_count >= 2
    assert text_of(result.pdf, 1).startswith("2 ")
    assert not text_of(result.pdf, 0).startswith("1 ")
    assert result.boxes["signer"].page == result.page_count - 1 and result.boxes["number"].page == 0


def test_png_of_the_page_shows_the_number_only_in_the_preview(letter, tmp_path):
    """The pages as images (pdftoppm): the number's box is blank in the rendered original and inked in
    the preview, and nothing else on the page moved."""
    from PIL import Image, ImageChops

    rendered = rendering.render(letter)
    preview = rendering.preview(letter, "15/SGTVT-QLVT", DATE_LINE)
    images = []
    for name, pdf in (("render", rendered.pdf), ("preview", preview.pdf)):
        (tmp_path / f"{name}.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "72", "-gray", "-png", "-singlefile", tmp_path / f"{name}.pdf",
                        tmp_path / name], check=True)
        images.append(Image.open(tmp_path / f"{name}.png").convert("L"))
    box = rendered.boxes["number"]
    crop = (int(box.x1), int(images[0].height - box.y2), int(box.x2), int(images[0].height - box.y1))
    assert images[0].crop(crop).getextrema()[0] > 200  # blank
    assert images[1].crop(crop).getextrema()[0] < 100  # ink
    changed = ImageChops.difference(*images).getbbox()
    date = rendered.boxes["date"]
    assert changed[1] >= images[0].height - max(box.y2, date.y2) - 2  # only the number and date lines


def test_agency_template_replaces_the_shipped_layout(letter, agency):
    """The administrator's uploaded HTML template is used; it sees the document's fields only."""
    DocumentTemplate.objects.create(
        agency=agency, document_type=letter.document_type, kind="html", name="Mẫu riêng",
        html='{% extends "rendering/base.html" %}{% block title %}<p>MẪU RIÊNG CỦA SỞ {{ settings.SECRET_KEY }}'
             '</p>{% endblock %}')
    text = text_of(rendering.render(letter).pdf)
    assert "MẪU RIÊNG CỦA SỞ" in text and NATIONAL_TITLE in text


def test_template_without_a_signature_place_is_refused(letter, agency):
    DocumentTemplate.objects.create(agency=agency, document_type=letter.document_type, kind="html",
                                    name="Thiếu", html="<p>{{ summary }}</p>")
    with pytest.raises(Exception, match="box-number"):
        rendering.render(letter)


def test_date_line_pads_day_and_months_one_and_two():
    """Annex I II.4: day < 10 and months 1, 2 padded; months 3–12 not."""
    import datetime

    assert rendering.date_line("Bắc Kạn", datetime.date(2026, 1, 5)) == "Bắc Kạn, ngày 05 tháng 01 năm 2026"
    assert rendering.date_line("Hà Nội", datetime.date(2019, 6, 29)) == "Hà Nội, ngày 29 tháng 6 năm 2019"


def test_clerk_positions_off_the_page_are_refused():
    with pytest.raises(ValidationError, match="ngoài trang 1"):
        rendering.check_on_page({"number": rendering.Box(0, 500, 800, 700, 820)}, [A4])
