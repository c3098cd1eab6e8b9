"""Our packages read by a reader written from the standard's element tree (`standard_reader.py`, not our
reader): every field where QCVN 102 puts it, with the value the source had, in the wire's text form;
the hand-written package shaped like the official sample reads the same with both readers."""

import hashlib
import io
from datetime import date, datetime

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from qlvb.exchange import services
from qlvb.exchange.edxml import dsig, model, reader, writer
from qlvb.files.storage import open_verified
from qlvb.organization.models import Agency
from tests.exchange import samples, standard_reader
from tests.exchange.helpers import PROVINCE, issued_with_external
from tests.signing.conftest import PIN, issued, root

EMPTY_ORG = dict.fromkeys(standard_reader.ORGANIZATION, "")


def _document(tmp_path) -> model.Document:
    pdf = tmp_path / "src.pdf"
    pdf.write_bytes(samples.PDF * 3000)
    return model.Document(
        sender=model.Organization("000.00.15.H03", "Sở GTVT <Bắc Kạn> & co", "UBND tỉnh Bắc Kạn", "Số 1, Bắc Kạn",
                                  "sgtvt@backan.gov.vn", "0209 3870 000", "0209 3870 001", "sgtvt.backan.gov.vn"),
        receivers=[model.Organization("H01.151", "UBND xã Mỹ Hòa Hưng"), model.Organization("000.00.00.G22", "VPCP")],
        document_id="000.00.15.H03,2026/12/03,01/SGTVT-QLVT", code_number="01", code_notation="SGTVT-QLVT",
        place="Bắc Kạn", promulgation_date=date(2026, 12, 3), type_code="2", type_name="Công văn", type_detail="0",
        subject="V/v báo cáo \"bảo trì\" & đường <tỉnh>", content="Sở GTVT báo cáo như sau: ...",
        due_date=date(2026, 12, 20), signer=model.SignerInfo("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Trần Thị Mai"),
        priority=3, sphere_of_promulgation="Toàn tỉnh", typer_notation="LT", promulgation_amount=5, page_amount=3,
        appendixes=["Phụ lục 1", "Phụ lục 2"], steering_type=0, to_places=["Như trên", "Lưu: VT, QLVT"],
        response_for=[model.ResponseFor("H01.151", "12/UBND-VP", date(2026, 11, 1), "H01.151,2026/11/01,12/UBND-VP")],
        traces=[model.TraceHeader("000.00.15.H03", datetime(2026, 12, 3, 8, 30, 5))],
        business=model.Business(staff=model.StaffInfo("Văn phòng", "Nguyễn Văn Thư", "0912 345 678", "vt@sgtvt.vn")),
        attachments=[model.Attachment("1", "01-SGTVT.pdf", "application/pdf", "Văn bản ký số", path=pdf)])


def test_a_signed_package_we_write_is_the_standards_tree_field_by_field(tmp_path):
    signer = issued("Sở Giao thông vận tải (DEMO)")
    out = io.BytesIO()
    writer.write_document(_document(tmp_path), out, sign=lambda xml: dsig.sign(
        xml, key=signer.key, certificates=[signer.cert, root().cert]))
    read = standard_reader.read_document(out.getvalue())
    header = read["MessageHeader"]
    assert header["From"] == {"OrganId": "000.00.15.H03", "OrganizationInCharge": "UBND tỉnh Bắc Kạn",
                              "OrganName": "Sở GTVT <Bắc Kạn> & co", "OrganAdd": "Số 1, Bắc Kạn",
                              "Email": "sgtvt@backan.gov.vn", "Telephone": "0209 3870 000", "Fax": "0209 3870 001",
                              "Website": "sgtvt.backan.gov.vn"}
    assert header["To"] == [{**EMPTY_ORG, "OrganId": "H01.151", "OrganName": "UBND xã Mỹ Hòa Hưng"},
                            {**EMPTY_ORG, "OrganId": "000.00.00.G22", "OrganName": "VPCP"}]
    assert header["DocumentId"] == "000.00.15.H03,2026/12/03,01/SGTVT-QLVT"
    assert header["Code"] == {"CodeNumber": "01", "CodeNotation": "SGTVT-QLVT"}
    assert header["PromulgationInfo"] == {"Place": "Bắc Kạn", "PromulgationDate": "2026/12/03"}
    assert header["DocumentType"] == {"Type": "2", "TypeDetail": "0", "TypeName": "Công văn"}
    assert header["Subject"] == "V/v báo cáo \"bảo trì\" & đường <tỉnh>"
    assert header["Content"] == "Sở GTVT báo cáo như sau: ..."
    assert header["SignerInfo"] == {"Competence": "KT. GIÁM ĐỐC", "Position": "PHÓ GIÁM ĐỐC", "FullName": "Trần Thị Mai"}
    assert header["DueDate"] == "2026/12/20"
    assert header["OtherInfo"] == {"Priority": "3", "SphereOfPromulgation": "Toàn tỉnh", "TyperNotation": "LT",
                                   "PromulgationAmount": "5", "PageAmount": "3",
                                   "Appendixes": ["Phụ lục 1", "Phụ lục 2"]}
    assert header["ResponseFor"] == [{"OrganId": "H01.151", "Code": "12/UBND-VP", "PromulgationDate": "2026/11/01",
                                      "DocumentId": "H01.151,2026/11/01,12/UBND-VP"}]
    assert header["SteeringType"] == "0"
    assert header["ToPlaces"] == ["Như trên", "Lưu: VT, QLVT"]
    assert read["TraceHeaderList"] == {
        "TraceHeader": [{"OrganId": "000.00.15.H03", "Timestamp": "2026/12/03 08:30:05"}],
        "Bussiness": {"BussinessDocType": "0", "BussinessDocReason": "", "Paper": "0", "DocumentId": "",
                      "StaffInfo": {"Department": "Văn phòng", "Staff": "Nguyễn Văn Thư", "Mobile": "0912 345 678",
                                    "Email": "vt@sgtvt.vn"}}}
    assert read["Manifest"] == [{"href": "cid:1", "ContentId": "1", "ContentType": "application/pdf",
                                 "Description": "Văn bản ký số", "AttachmentName": "01-SGTVT.pdf"}]
    [attachment] = read["Attachments"]
    assert {k: v for k, v in attachment.items() if k != "bytes"} == {
        "ContentId": "1", "AttachmentName": "01-SGTVT.pdf", "Description": "Văn bản ký số",
        "ContentType": "application/pdf"}
    assert attachment["bytes"] == (tmp_path / "src.pdf").read_bytes()
    signature = read["Signature"]
    assert signature["References"] == ["#edXMLEnvelope"] and signature["last_in_header"]
    assert signature["SignatureMethod"] == "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
    assert signature["Certificates"] == [signer.cert.public_bytes(Encoding.DER), root().cert.public_bytes(Encoding.DER)]


def test_the_package_exported_for_a_recipient_carries_the_document_field_by_field(demo, agency_credential):
    document, recipient = issued_with_external(demo)
    package = services.export_package(actor=demo.vanthu, recipient=recipient, pin=PIN)
    read = standard_reader.read_document(open_verified(package.blob))
    agency = Agency.objects.get()
    number, notation = document.notation.split("/", 1)
    day = f"{document.issued_on:%Y/%m/%d}"
    header = read["MessageHeader"]
    assert header["From"] == {"OrganId": agency.identifier, "OrganizationInCharge": agency.parent_name,
                              "OrganName": agency.name, "OrganAdd": agency.address, "Email": agency.email,
                              "Telephone": agency.phone, "Fax": "", "Website": ""}
    assert header["To"] == [{**EMPTY_ORG, "OrganId": PROVINCE, "OrganName": "UBND tỉnh Bắc Kạn"}]
    assert header["DocumentId"] == f"{agency.identifier},{day},{document.notation}"
    assert header["Code"] == {"CodeNumber": number, "CodeNotation": notation}
    assert header["PromulgationInfo"] == {"Place": agency.place_name, "PromulgationDate": day}
    assert header["DocumentType"] == {"Type": "2", "TypeDetail": "", "TypeName": "Công văn"}
    assert (header["Subject"], header["Content"]) == (document.summary, document.body)
    assert header["SignerInfo"] == {"Competence": document.signing_authority, "Position": document.signer_title,
                                    "FullName": document.signer_name}
    assert header["DueDate"] == (f"{document.reply_due:%Y/%m/%d}" if document.reply_due else "")
    assert header["OtherInfo"]["Priority"] == "0"  # urgency "normal"
    assert header["OtherInfo"]["PageAmount"] == (str(document.page_count) if document.page_count else "")
    assert header["ToPlaces"] == [str(r) for r in document.recipients.all()]
    assert header["SteeringType"] == "0"
    [trace] = read["TraceHeaderList"]["TraceHeader"]
    assert trace["OrganId"] == agency.identifier
    business = read["TraceHeaderList"]["Bussiness"]
    assert business["BussinessDocType"] == "0" and business["StaffInfo"]["Staff"] == demo.vanthu.full_name
    [attachment] = read["Attachments"]
    pdf = open_verified(document.blob)
    assert attachment["bytes"] == pdf and attachment["ContentType"] == "application/pdf"
    assert [(m["href"], m["ContentId"], m["AttachmentName"]) for m in read["Manifest"]] == [
        ("cid:1", "1", attachment["AttachmentName"])]
    assert read["Signature"]["References"] == ["#edXMLEnvelope"]
    certificate = agency_credential.certificate_pem.encode()
    from cryptography import x509

    assert read["Signature"]["Certificates"][0] == x509.load_pem_x509_certificate(certificate).public_bytes(
        Encoding.DER)
    assert hashlib.sha256(attachment["bytes"]).hexdigest() == document.blob_id


def test_a_status_we_write_is_the_standards_tree():
    status = model.Status(
        response_for=model.ResponseFor("000.00.15.H03", "01/SGTVT-QLVT", date(2026, 12, 3),
                                       "000.00.15.H03,2026/12/03,01/SGTVT-QLVT"),
        sender=model.Organization("H01.151", "UBND xã"), code="02", description="Gửi nhầm nơi nhận",
        timestamp=datetime(2026, 12, 3, 9, 0, 0), staff=model.StaffInfo("Văn phòng", "Lê Văn Thư", "0912", "a@b.vn"))
    out = io.BytesIO()
    writer.write_status(status, out)
    assert standard_reader.read_status(out.getvalue()) == {
        "ResponseFor": {"OrganId": "000.00.15.H03", "Code": "01/SGTVT-QLVT", "PromulgationDate": "2026/12/03",
                        "DocumentId": "000.00.15.H03,2026/12/03,01/SGTVT-QLVT"},
        "From": {**EMPTY_ORG, "OrganId": "H01.151", "OrganName": "UBND xã"}, "StatusCode": "02",
        "Description": "Gửi nhầm nơi nhận", "Timestamp": "2026/12/03 09:00:00",
        "StaffInfo": {"Department": "Văn phòng", "Staff": "Lê Văn Thư", "Mobile": "0912", "Email": "a@b.vn"}}


def test_the_hand_written_official_sample_reads_the_same_with_both_readers(tmp_path):
    data = samples.sample()
    standard = standard_reader.read_document(data)
    ours = reader.read(io.BytesIO(data), work_dir=tmp_path, max_bytes=10**7, max_attachment_bytes=10**7)
    header = standard["MessageHeader"]
    assert header["From"] == {"OrganId": ours.sender.organ_id, "OrganizationInCharge": ours.sender.organization_in_charge,
                              "OrganName": ours.sender.name, "OrganAdd": ours.sender.address,
                              "Email": ours.sender.email, "Telephone": ours.sender.telephone, "Fax": ours.sender.fax,
                              "Website": ours.sender.website}
    assert [t["OrganId"] for t in header["To"]] == [r.organ_id for r in ours.receivers] == ["000.00.15.H03"]
    assert header["DocumentId"] == ours.document_id
    assert (header["Code"]["CodeNumber"], header["Code"]["CodeNotation"]) == (ours.code_number, ours.code_notation)
    assert header["PromulgationInfo"] == {"Place": ours.place, "PromulgationDate": "30/09/2015"}
    assert ours.promulgation_date == date(2015, 9, 30)
    assert header["DocumentType"] == {"Type": ours.type_code, "TypeDetail": ours.type_detail,
                                      "TypeName": ours.type_name}
    assert (header["Subject"], header["Content"]) == (ours.subject, ours.content)
    assert header["SignerInfo"] == {"Competence": ours.signer.competence, "Position": ours.signer.position,
                                    "FullName": ours.signer.full_name}
    assert header["DueDate"] == f"{ours.due_date:%Y/%m/%d}"
    other = header["OtherInfo"]
    assert (other["Priority"], other["SphereOfPromulgation"], other["TyperNotation"]) == (
        str(ours.priority), ours.sphere_of_promulgation, ours.typer_notation)
    assert (other["PromulgationAmount"], other["PageAmount"], other["Appendixes"]) == (
        str(ours.promulgation_amount), str(ours.page_amount), ours.appendixes)
    assert header["SteeringType"] == str(ours.steering_type) and header["ToPlaces"] == ours.to_places
    trace = standard["TraceHeaderList"]
    assert trace["TraceHeader"] == [{"OrganId": t.organ_id, "Timestamp": f"{t.timestamp:%Y/%m/%d %H:%M:%S}"}
                                    for t in ours.traces]
    assert trace["Bussiness"]["BussinessDocType"] == str(ours.business.doc_type)
    [attachment] = standard["Attachments"]
    assert attachment["bytes"] == ours.attachments[0].path.read_bytes() == samples.PDF
    assert standard["Signature"]["References"] == []  # the sample's signature is a stub: no reference


@pytest.mark.parametrize("broken, where", [
    (lambda d: d.replace(b"<edXML:Subject>", b"<edXML:Title>").replace(b"</edXML:Subject>", b"</edXML:Title>"),
     "Title"),
    (lambda d: d.replace(b'xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"',
                         b'xmlns:edXML="http://www.go.vn/eDoc"'), "edXMLEnvelope"),
], ids=["renamed-element", "other-namespace"])
def test_the_standard_reader_is_strict(broken, where):
    """It would catch a writer that misnames an element or its namespace (which our tolerant reader accepts)."""
    with pytest.raises(standard_reader.NotStandard, match=where):
        standard_reader.read_document(broken(samples.sample()))
