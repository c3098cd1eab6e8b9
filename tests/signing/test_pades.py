"""PAdES signing and verification through the services the approve/issue flow will call
(Decree 30/2020 Art 5: the electronic original is signed by the competent person and by the agency;
Art 13.7 and 17.2, Annex I: the appearance of each signature; §1.6 of regulations-detail)."""

from io import BytesIO

from pyhanko.pdf_utils.reader import PdfFileReader

from qlvb.signing import keystore, pades, services, verification
from qlvb.signing.models import Verdict
from qlvb.signing.selectors import trusted_roots
from qlvb.signing.signers import Pkcs12Signer
from tests.signing.conftest import DATE_BOX, LEADER_BOX, NUMBER_BOX, PIN, document_pdf, stranger_root_and_leaf


def leader_signs(demo, credential):
    return services.sign_document(actor=demo["pgd.mai"], credential=credential, pdf_bytes=document_pdf(),
                                  field_name="LanhDao", box=LEADER_BOX, pin=PIN)


def issue(demo, leader_credential, agency_credential):
    """Leader signs; the clerk writes number and date; the clerk applies the agency's seal signature."""
    signed = leader_signs(demo, leader_credential)
    numbered = pades.place_text(signed, [(NUMBER_BOX, "15", 13), (DATE_BOX, "Bắc Kạn, ngày 05 tháng 01 năm 2026", 13)])
    seal = services.seal_box(LEADER_BOX, size_mm=services.seal_mm(agency_credential))
    return services.sign_document(actor=demo["vanthu"], credential=agency_credential, pdf_bytes=numbered,
                                  field_name="CoQuan", box=seal, pin=PIN)


def test_leader_signature_is_intact_and_trusted(demo, leader_credential):
    result = verification.verify_pdf(leader_signs(demo, leader_credential), roots=trusted_roots())

    assert result.verdict == Verdict.VALID
    [sig] = result.signatures
    assert (sig.intact, sig.trusted, sig.coverage) == (True, True, "entire_file")
    assert sig.signer == "Trần Thị Mai (DEMO)"
    assert sig.signing_time.endswith("+07:00")


def test_number_and_date_then_agency_signature_keep_the_leaders_signature_valid(
        demo, leader_credential, agency_credential):
    """Art 15: the clerk numbers and dates the document after the leader signed; Art 32.2.d: the agency
    signs a document already signed by the competent person. Both signatures stay intact and trusted."""
    final = issue(demo, leader_credential, agency_credential)

    result = verification.verify_pdf(final, roots=trusted_roots())
    leader, agency = result.signatures
    assert result.verdict == Verdict.VALID
    assert (leader.field, leader.intact, leader.trusted) == ("LanhDao", True, True)
    assert leader.modification == "FORM_FILLING"  # the number, date and seal: accepted changes
    assert (agency.field, agency.intact, agency.trusted, agency.coverage) == ("CoQuan", True, True, "entire_file")
    assert final.startswith(document_pdf())  # incremental updates only: the rendered bytes are untouched


def test_text_placed_reads_back_in_vietnamese(demo, leader_credential, agency_credential):
    final = issue(demo, leader_credential, agency_credential)

    from pypdf import PdfReader

    page = PdfReader(BytesIO(final)).pages[0]
    shown = [a.get_object()["/TU"] for a in page["/Annots"] if "/TU" in a.get_object()]
    assert shown == ["15", "Bắc Kạn, ngày 05 tháng 01 năm 2026"]


def test_one_changed_byte_is_reported_modified(demo, leader_credential, agency_credential):
    final = bytearray(issue(demo, leader_credential, agency_credential))
    content = final.index(b"stream", 200) + 40  # inside the first page's compressed content
    final[content] ^= 0x01

    result = verification.verify_pdf(bytes(final), roots=trusted_roots())

    assert result.verdict == Verdict.MODIFIED
    assert not result.signatures[0].intact


def test_a_signature_from_an_unknown_root_is_not_trusted(db, trusted):
    other_root, stranger = stranger_root_and_leaf()
    signer = Pkcs12Signer(certificate=stranger.cert, chain=[other_root.cert], display_name="Người lạ",
                          encrypted_key=keystore.wrap_key(stranger.key, "x"))
    signed = pades.sign_pdf(document_pdf(), signer, field_name="X", box=LEADER_BOX, pin="x")

    result = verification.verify_pdf(signed, roots=trusted_roots())

    assert result.verdict == Verdict.UNTRUSTED
    assert result.signatures[0].intact and not result.signatures[0].trusted


def test_an_unsigned_pdf_is_reported_unsigned(db):
    assert verification.verify_pdf(document_pdf(), roots=[]).verdict == Verdict.UNSIGNED


def test_appearance_boxes_sit_where_the_layout_says(demo, leader_credential, agency_credential):
    """§1.6: the signer's image in ô 7c; the seal at real size overlapping the left third of the image."""
    final = issue(demo, leader_credential, agency_credential)

    rects = _widget_rects(final)
    assert rects["LanhDao"] == LEADER_BOX[1]
    seal = rects["CoQuan"]
    size = 36 * 72 / 25.4
    assert abs(seal[2] - seal[0] - size) < 0.05 and abs(seal[3] - seal[1] - size) < 0.05
    x1, y1, x2, y2 = LEADER_BOX[1]
    assert abs(seal[2] - (x1 + (x2 - x1) / 3)) < 0.05  # overlaps the left third of the image
    assert abs((seal[1] + seal[3]) / 2 - (y1 + y2) / 2) < 0.05
    assert rects["QLVB_Text_0"] == NUMBER_BOX[1] and rects["QLVB_Text_1"] == DATE_BOX[1]


def test_attachment_stamp_is_top_right_with_notation_and_time(demo, agency_credential):
    """§1.6: an attachment in a separate file carries the agency signature at the top right of page 1,
    with number and notation and the signing time in ISO 8601, Vietnam time."""
    import datetime as dt

    box = services.attachment_box((595.28, 841.89))
    lines = services.attachment_lines("15/QĐ-SGTVT", dt.datetime(2026, 1, 5, 2, 15, tzinfo=dt.UTC))
    signed = services.sign_document(actor=demo["vanthu"], credential=agency_credential, pdf_bytes=document_pdf(),
                                    field_name="CoQuan", box=box, pin=PIN, text_lines=lines)

    assert lines == ["15/QĐ-SGTVT", "2026-01-05T09:15:00+07:00"]
    x1, y1, x2, y2 = _widget_rects(signed)["CoQuan"]
    assert x2 > 595.28 - 30 and y2 > 841.89 - 30 and x1 > 595.28 / 2
    assert verification.verify_pdf(signed, roots=trusted_roots()).verdict == Verdict.VALID


def _widget_rects(pdf: bytes) -> dict:
    reader = PdfFileReader(BytesIO(pdf), strict=False)
    rects = {}
    for annot in reader.root["/Pages"]["/Kids"][0].get_object()["/Annots"]:
        annot = annot.get_object()
        rects[str(annot["/T"])] = tuple(round(float(v), 2) for v in annot["/Rect"])
    return rects


def test_rendered_page_shows_the_seal_red_and_the_signature_blue(demo, leader_credential, agency_credential, tmp_path):
    """Rendered with poppler's pdftoppm, as a reader shows it: the seal box holds red ink, the part of the
    signature box right of the seal holds blue ink (the appearances are drawn, not left blank)."""
    import subprocess

    from PIL import Image

    (tmp_path / "doc.pdf").write_bytes(issue(demo, leader_credential, agency_credential))
    subprocess.run(["pdftoppm", "-r", "72", "-png", "-singlefile", "-f", "1", "doc.pdf", "page"], cwd=tmp_path,
                   check=True, timeout=60)
    page = Image.open(tmp_path / "page.png").convert("RGB")
    rects = _widget_rects((tmp_path / "doc.pdf").read_bytes())

    def pixels(rect):
        x1, y1, x2, y2 = rect
        return list(page.crop((int(x1), int(page.height - y2), int(x2), int(page.height - y1))).get_flattened_data())

    red = sum(1 for r, g, b in pixels(rects["CoQuan"]) if r > 150 and g < 100 and b < 100)
    seal_right = rects["CoQuan"][2]
    _x1, y1, x2, y2 = rects["LanhDao"]
    blue = sum(1 for r, g, b in pixels((seal_right, y1, x2, y2)) if b > 120 and r < 100)
    assert red > 200
    assert blue > 100
