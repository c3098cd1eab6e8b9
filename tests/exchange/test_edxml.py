"""The edXML library: writer → reader round trip field by field, a package written by hand from the
standard's structure, hostile and malformed input refused, identifiers and DocumentId."""

import io
from datetime import date, datetime

import pytest

from qlvb.exchange.edxml import codes, errors, model, reader, writer
from qlvb.exchange.edxml.errors import EdxmlError
from tests.exchange import samples

LIMITS = {"max_bytes": 10_000_000, "max_attachment_bytes": 1_000_000}


def _read(data: bytes, tmp_path, **limits):
    return reader.read(io.BytesIO(data), work_dir=tmp_path, **(LIMITS | limits))


def _document(tmp_path) -> model.Document:
    pdf = tmp_path / "src.pdf"
    pdf.write_bytes(samples.PDF * 5000)  # ~200 KB: several base64 chunks
    return model.Document(
        sender=model.Organization("000.00.15.H03", "Sở GTVT <Bắc Kạn> & co", "UBND tỉnh", "Số 1", "a@b.vn",
                                  "0209", "0210", "sgtvt.vn"),
        receivers=[model.Organization("H01.151", "UBND xã"), model.Organization("000.00.00.G22", "VPCP")],
        document_id="000.00.15.H03,2026/12/03,01/SGTVT-QLVT", code_number="01", code_notation="SGTVT-QLVT",
        place="Bắc Kạn", promulgation_date=date(2026, 12, 3), type_code="1", type_name="Công văn", type_detail="0",
        subject="V/v báo cáo \"bảo trì\" & đường", content="Nội dung", due_date=date(2026, 12, 20),
        signer=model.SignerInfo("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Thị Mai"), priority=2,
        sphere_of_promulgation="Toàn tỉnh", typer_notation="LT", promulgation_amount=5, page_amount=3,
        appendixes=["Phụ lục 1", "Phụ lục 2"], steering_type=0, to_places=["Như trên", "Lưu: VT"],
        response_for=[model.ResponseFor("H01.151", "12/UBND-VP", date(2026, 11, 1), "H01.151,2026/11/01,12/UBND-VP")],
        traces=[model.TraceHeader("000.00.15.H03", datetime(2026, 12, 3, 8, 30, 5))],
        business=model.Business(staff=model.StaffInfo("Văn phòng", "Nguyễn Văn Thư", "0912", "vt@sgtvt.vn")),
        attachments=[model.Attachment("1", "01-SGTVT.pdf", "application/pdf", "Văn bản", path=pdf)])


def test_round_trip_field_by_field(tmp_path):
    original = _document(tmp_path)
    out = io.BytesIO()
    writer.write_document(original, out)
    read = _read(out.getvalue(), tmp_path)
    for field in ("sender", "receivers", "document_id", "code_number", "code_notation", "place",
                  "promulgation_date", "type_code", "type_name", "type_detail", "subject", "content", "signer",
                  "due_date", "priority", "sphere_of_promulgation", "typer_notation", "promulgation_amount",
                  "page_amount", "appendixes", "response_for", "steering_type", "to_places", "traces", "business"):
        assert getattr(read, field) == getattr(original, field), field
    [attachment] = read.attachments
    assert (attachment.content_id, attachment.name, attachment.content_type, attachment.description) == (
        "1", "01-SGTVT.pdf", "application/pdf", "Văn bản")
    assert attachment.path.read_bytes() == (tmp_path / "src.pdf").read_bytes()
    assert attachment.size == (tmp_path / "src.pdf").stat().st_size


def test_writer_uses_the_official_namespace_and_the_samples_order(tmp_path):
    out = io.BytesIO()
    writer.write_document(_document(tmp_path), out)
    text = out.getvalue().decode()
    assert 'xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"' in text
    order = ["<edXML:From>", "<edXML:To>", "<edXML:DocumentId>", "<edXML:Code>", "<edXML:PromulgationInfo>",
             "<edXML:DocumentType>", "<edXML:Subject>", "<edXML:Content>", "<edXML:SignerInfo>", "<edXML:DueDate>",
             "<edXML:OtherInfo>", "<edXML:ResponseFor>", "<edXML:SteeringType>", "<edXML:ToPlaces>",
             "<edXML:TraceHeaderList>", "<edXML:Bussiness>", "<edXML:edXMLManifest", "<AttachmentEncoded>",
             "<edXML:ContentTransferEncoded>"]
    positions = [text.index(tag) for tag in order]
    assert positions == sorted(positions)
    assert '<edXML:Reference xlink:href="cid:1">' in text


def test_reads_a_package_shaped_like_the_official_sample(tmp_path):
    doc = _read(samples.sample(), tmp_path)
    assert doc.sender.organ_id == "000.00.00.G22" and doc.sender.name == "Văn phòng Chính phủ"
    assert [r.organ_id for r in doc.receivers] == ["000.00.15.H03"]
    assert doc.document_id == "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT" and doc.code == "7816/VPCP-TTĐT"
    assert doc.promulgation_date == date(2015, 9, 30)  # written dd/MM/yyyy
    assert (doc.type_name, doc.priority, doc.steering_type, doc.page_amount) == ("Công văn", 1, 1, 2)
    assert doc.signer.competence == "KT. BỘ TRƯỞNG, CHỦ NHIỆM" and doc.due_date == date(2015, 10, 15)
    assert doc.to_places == ["Các Bộ, cơ quan ngang Bộ", "UBND các tỉnh"] and doc.appendixes == ["Phụ lục I"]
    assert doc.traces[0].timestamp == datetime(2015, 9, 30, 10, 20, 30)
    assert doc.attachments[0].path.read_bytes() == samples.PDF


def test_reads_unprefixed_and_legacy_namespace(tmp_path):
    legacy = samples.sample().replace(b"http://www.mic.gov.vn/TBT/QCVN_102_2016", b"http://www.go.vn/eDoc")
    assert _read(legacy, tmp_path).code == "7816/VPCP-TTĐT"


@pytest.mark.parametrize("data, code", [
    (samples.XXE, errors.FORBIDDEN),
    (samples.BILLION_LAUGHS, errors.FORBIDDEN),
    (samples.MALFORMED, errors.MALFORMED),
    (samples.wrong_namespace(), errors.WRONG_NAMESPACE),
    (samples.declared_huge(), errors.ATTACHMENT_TOO_LARGE),
], ids=["xxe", "billion-laughs", "malformed", "wrong-namespace", "declared-2GB"])
def test_hostile_input_refused_and_no_file_left(tmp_path, data, code):
    with pytest.raises(EdxmlError) as caught:
        _read(data, tmp_path)
    assert caught.value.code == code
    assert list(tmp_path.iterdir()) == []


def test_decoded_attachment_over_the_limit_is_refused_while_decoding(tmp_path):
    with pytest.raises(EdxmlError) as caught:
        _read(samples.sample(content=samples.PDF * 100), tmp_path, max_attachment_bytes=1000)
    assert caught.value.code == errors.ATTACHMENT_TOO_LARGE
    assert list(tmp_path.iterdir()) == []


def test_package_over_the_byte_limit_is_refused(tmp_path):
    with pytest.raises(EdxmlError) as caught:
        _read(samples.sample(), tmp_path, max_bytes=1000)
    assert caught.value.code == errors.TOO_LARGE


def test_declared_size_must_match(tmp_path):
    data = samples.sample().replace(b"<Attachment>", b'<Attachment size="7">', 1)
    with pytest.raises(EdxmlError) as caught:
        _read(data, tmp_path)
    assert caught.value.code == errors.ATTACHMENT_SIZE_MISMATCH


def test_missing_mandatory_and_bad_identifier(tmp_path):
    no_subject = samples.sample().replace(
        "<edXML:Subject>V/v triển khai Cổng thông tin điện tử</edXML:Subject>".encode(), b"")
    with pytest.raises(EdxmlError) as caught:
        _read(no_subject, tmp_path)
    assert (caught.value.code, caught.value.params["field"]) == (errors.MISSING, "Subject")
    with pytest.raises(EdxmlError) as caught:
        _read(samples.sample(to="000.00.15.H3"), tmp_path)
    assert caught.value.code == errors.BAD_ORGAN_ID


def test_organ_id_formats_and_document_id():
    assert codes.organ_id_format("000.00.00.H49") == "QCVN 102"
    assert codes.organ_id_format("H01.151.01") == "QĐ 20/2020"
    assert codes.organ_id_format("000.00.00.H4") is None and codes.organ_id_format("h01.151") is None
    assert codes.organ_id_format("H01." + "1" * 40) is None
    assert codes.document_id("000.00.00.G22", date(2015, 9, 30), "7816", "VPCP-TTĐT") == \
        "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT"


def test_status_round_trip_and_hand_written_status(tmp_path):
    status = model.Status(
        response_for=model.ResponseFor("000.00.15.H03", "01/SGTVT-QLVT", date(2026, 12, 3),
                                       "000.00.15.H03,2026/12/03,01/SGTVT-QLVT"),
        sender=model.Organization("H01.151", "UBND xã"), code=codes.REFUSED, description="Gửi nhầm nơi nhận",
        timestamp=datetime(2026, 12, 3, 9, 0, 0), staff=model.StaffInfo("Văn phòng", "Lê Văn Thư", "0912", "a@b.vn"))
    out = io.BytesIO()
    writer.write_status(status, out)
    assert _read(out.getvalue(), tmp_path) == status
    hand = samples.STATUS.format(sender="H01.151", origin="000.00.15.H03", code="01/SGTVT-QLVT",
                                 date="2026/12/03", document_id="X").encode()
    read = _read(hand, tmp_path)
    assert read.code == "03" and read.staff.email == "vt@backan.gov.vn" and read.staff.department == "Văn phòng"


def test_organ_id_check_agrees_with_the_catalogue_validator():
    from qlvb.documents import identifiers

    for value in ("000.00.00.H49", "000.00.15.H03", "H01.151", "H01.151.01", "G22", "000.00.00.H4", "h01",
                  "H01..1", "000.00.00.H49 ", "A1.B2", "H01." + "9" * 32):
        assert codes.organ_id_format(value) == identifiers.organ_id_format(value), value
