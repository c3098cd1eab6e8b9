"""Issue 14, "Done when": a draft approved and signed by the Deputy Director, issued by the clerk, comes out
as one PDF with `Số: NN/…` and the date line in their boxes, the leader's and the agency's signatures
intact and trusted, the last covering the whole file; one changed byte is reported modified. For the
three sources: a structured draft, an uploaded PDF, a Word draft (real LibreOffice)."""

import datetime
import io
import shutil

import pytest
from django.utils import timezone
from PIL import Image

from qlvb.files.storage import open_verified
from qlvb.outgoing import official, rendering, services
from qlvb.outgoing.rendering import demo as demo_templates
from qlvb.signing import verification
from qlvb.signing.models import Verdict
from tests.signing.conftest import PIN, admin_person, agency_credential, leader_credential, trusted  # noqa: F401

from . import signed
from .signed import box_tuple, drawn_texts, field_rects, leader_signs, roots, tamper

pytestmark = pytest.mark.django_db


def _inside(rect, box, slack=1.0):
    page, (x1, y1, x2, y2) = rect
    return page == box.page and box.x1 - slack <= x1 and x2 <= box.x2 + slack and box.y1 - slack <= y1 \
        and y2 <= box.y2 + slack


def _check_official(document, draft, boxes, tmp_path=None):
    """The checks every source must pass."""
    pdf = open_verified(document.blob)
    assert document.file_name.endswith(".pdf") and document.blob.content_type == "application/pdf"
    assert pdf.startswith(open_verified(draft.signed_blob))  # incremental: the leader-signed bytes untouched
    today = timezone.localdate()
    texts = drawn_texts(pdf)
    assert texts == {"QLVB_Text_0": document.notation,
                     "QLVB_Text_1": rendering.date_line("Bắc Kạn", today)}
    assert f"ngày {today.day:02d} tháng" in texts["QLVB_Text_1"]
    rects = field_rects(pdf)
    assert _inside(rects["QLVB_Text_0"], boxes["number"]) and _inside(rects["QLVB_Text_1"], boxes["date"])
    # §1.6: the seal at real size over the left third of the leader's signature image, same page
    seal_page, (sx1, sy1, sx2, sy2) = rects[official.AGENCY_FIELD]
    signer = boxes["signer"]
    assert seal_page == signer.page and sx1 < signer.x1 + signer.width / 2 and sx2 > signer.x1
    assert sx2 - sx1 == pytest.approx(36 * rendering.MM, abs=0.5)
    result = verification.verify_pdf(pdf, roots=roots())
    assert result.verdict == Verdict.VALID
    assert [s.field for s in result.signatures] == [signed.LEADER_FIELD, official.AGENCY_FIELD]
    assert all(s.intact and s.trusted for s in result.signatures)
    assert result.signatures[-1].coverage == "entire_file"
    assert verification.verify_pdf(tamper(pdf), roots=roots()).verdict == Verdict.MODIFIED
    return pdf


def _issue(demo, draft, **kwargs):
    return services.issue(actor=demo.vanthu, draft=draft, pin=PIN, **kwargs)


def test_structured_draft(demo, leader_credential, agency_credential, tmp_path):  # noqa: F811
    draft = leader_signs(demo, signed.structured(demo), leader_credential)
    document = _issue(demo, draft)
    assert document.notation == "01/QĐ-SGTVT"
    pdf = _check_official(document, draft, rendering.boxes.from_json(draft.signed_boxes))
    # Extracted as a reader does (poppler draws the fields' appearances): "Số: 01/QĐ-SGTVT" and the date line.
    shown = " ".join(_appearance_text(pdf).split())
    assert signed.NUMBER.search(shown).group(0) == "Số: 01/" and "Số: 01/QĐ-SGTVT" in shown
    assert rendering.date_line("Bắc Kạn", timezone.localdate()) in shown
    # Rendered by poppler as a reader would: the red seal and the blue signature are on the page.
    image = Image.open(io.BytesIO(signed.png_of(pdf, tmp_path))).convert("RGB")
    colours = image.getcolors(maxcolors=1 << 20)
    reds = sum(n for n, (r, g, b) in colours if r > 150 and g < 100 and b < 100)
    blues = sum(n for n, (r, g, b) in colours if b > 120 and r < 90)
    assert reds > 50 and blues > 20


def test_uploaded_pdf(demo, leader_credential, agency_credential):  # noqa: F811
    """A PDF made elsewhere (here: a typed decision printed to PDF), its boxes given by the clerk."""
    made = rendering.render(signed.structured(demo))
    draft = signed.uploaded(demo, made.pdf)
    draft = leader_signs(demo, draft, leader_credential, positions=made.boxes)
    document = _issue(demo, draft)
    _check_official(document, draft, made.boxes)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_word_draft(demo, leader_credential, agency_credential):  # noqa: F811
    draft = leader_signs(demo, signed.word(demo, demo_templates.word_template()), leader_credential)
    document = _issue(demo, draft)
    _check_official(document, draft, rendering.boxes.from_json(draft.signed_boxes))


def test_internal_recipients_receive_the_signed_pdf_and_the_api_shows_its_check(
        client, demo, leader_credential, agency_credential):  # noqa: F811
    draft = leader_signs(demo, signed.structured(demo), leader_credential)
    document = _issue(demo, draft)
    delivered = document.recipients.exclude(incoming=None).get().incoming
    assert delivered.attachments.get().blob_id == document.blob_id
    client.force_login(demo.vanthu)
    body = client.get(f"/api/outgoing/{document.pk}").json()
    assert body["file_sha256"] == document.blob_id and body["signature_verdict"] == "valid"
    assert [s["verdict"] for s in body["signature"]["signatures"]] == ["valid", "valid"]
    page = client.get(f"/outgoing/{document.pk}/").content.decode()
    assert 'data-testid="signature-badge" data-verdict="valid"' in page


def test_without_agency_credential_the_pdf_is_still_numbered(demo, leader_credential):  # noqa: F811
    """No PIN: numbered and dated, the leader's signature still valid, no agency signature."""
    draft = leader_signs(demo, signed.structured(demo), leader_credential)
    document = services.issue(actor=demo.vanthu, draft=draft)
    pdf = open_verified(document.blob)
    assert drawn_texts(pdf)["QLVB_Text_0"] == document.notation
    result = verification.verify_pdf(pdf, roots=roots())
    assert result.verdict == Verdict.VALID and [s.field for s in result.signatures] == [signed.LEADER_FIELD]


def test_unsigned_typed_draft_is_rendered_numbered_and_dated(demo):
    """A draft approved without a digital signature: the rendered PDF with its number and date."""
    document = services.issue(actor=demo.vanthu, draft=signed.structured(demo))
    pdf = open_verified(document.blob)
    assert drawn_texts(pdf) == {"QLVB_Text_0": "01/QĐ-SGTVT",
                                "QLVB_Text_1": rendering.date_line("Bắc Kạn", timezone.localdate())}
    assert "QUYẾT ĐỊNH" in signed.text_of(pdf)


def test_date_line_is_italic_and_number_upright(demo):
    """Annex I: the place and date line is italic (as the rendered templates set it); the number is not."""
    pdf = open_verified(services.issue(actor=demo.vanthu, draft=signed.structured(demo)).blob)
    assert signed.drawn_fonts(pdf) == {"QLVB_Text_0": ["LiberationSerif-Identity-H"],
                                      "QLVB_Text_1": ["LiberationSerif-Italic-Identity-H"]}


def test_attachment_in_a_separate_file_is_signed_top_right_with_number_and_time(demo, agency_credential):  # noqa: F811
    """§1.6: no image; number and notation and the signing time (ISO 8601, +07:00) at the top right of page 1."""
    made = rendering.render(signed.structured(demo))
    at = datetime.datetime(2026, 11, 24, 2, 15, tzinfo=datetime.UTC)
    pdf = official.sign_attachment(actor=demo.vanthu, credential=agency_credential, pdf=made.pdf,
                                   notation="15/QĐ-SGTVT", pin=PIN, at=at)
    page, (x1, y1, x2, y2) = field_rects(pdf)["CoQuanPhuLuc"]
    assert page == 0 and x2 > 595.28 - 40 and y2 > 841.89 - 40
    assert verification.verify_pdf(pdf, roots=roots()).verdict == Verdict.VALID
    assert box_tuple(made.boxes["number"])[0] == 0  # the attachment's own layout untouched
    assert b"2026-11-24T09:15:00+07:00" in pdf or "2026-11-24T09:15:00+07:00" in _appearance_text(pdf)


def _appearance_text(pdf: bytes) -> str:
    """Text drawn in the attachment stamp (a glyph run): read through poppler, which draws widgets."""
    import subprocess
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
        source.write(pdf)
        source.flush()
        return subprocess.run(["pdftotext", "-l", "1", source.name, "-"], capture_output=True, text=True,
                              timeout=60, check=True).stdout
