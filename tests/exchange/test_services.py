"""The exchange by files, through its services: import, register once, refuse with status 02, hostile files
refused with nothing stored, export of an issued document, status notices received."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError

from qlvb.exchange import services
from qlvb.exchange.edxml import model, reader
from qlvb.exchange.models import Package, StatusMessage
from qlvb.files.models import Blob
from qlvb.files.storage import open_checked, open_verified
from qlvb.incoming.models import IncomingDocument
from tests.exchange import samples
from tests.exchange.helpers import PROVINCE, issued_with_external, sample_upload, upload

pytestmark = pytest.mark.django_db


def _read_stored(blob_id, tmp_path):
    with open_checked(Blob.objects.get(pk=blob_id)) as source:  # the local disk or S3
        return reader.read(source, work_dir=tmp_path, max_bytes=10**8, max_attachment_bytes=10**8)


def test_import_shows_metadata_and_writes_status_01(demo):
    result = services.import_file(actor=demo.vanthu, upload=sample_upload())
    package = result.package
    assert result.created and package.state == "received" and package.direction == "in"
    assert (package.code, package.sender_organ_id, package.document_id) == (
        "7816/VPCP-TTĐT", "000.00.00.G22", "000.00.00.G22,2015/09/30,7816/VPCP-TTĐT")
    assert package.subject == "V/v triển khai Cổng thông tin điện tử" and package.sender_name == "Văn phòng Chính phủ"
    assert package.header["signer"]["full_name"] == "Nguyễn Văn A"
    assert [a.name for a in package.attachments.all()] == ["7816-VPCP.pdf"]
    assert list(package.statuses.values_list("direction", "code")) == [("out", "01")]


def test_same_package_imported_twice_registers_once(demo):
    first = services.import_file(actor=demo.vanthu, upload=sample_upload()).package
    again = services.import_file(actor=demo.vanthu, upload=sample_upload())
    assert not again.created and again.package.pk == first.pk and Package.objects.count() == 1
    document = services.register_received(actor=demo.vanthu, package=first)
    assert services.register_received(actor=demo.vanthu, package=first) == document
    assert IncomingDocument.objects.filter(document_identifier=first.document_id).count() == 1
    assert (document.code_number, document.code_notation, document.issuer_code) == ("7816", "VPCP-TTĐT",
                                                                                     "000.00.00.G22")
    assert document.signer_name == "Nguyễn Văn A" and document.urgency == "urgent"  # Priority 1 = khẩn
    assert document.attachments.get().name == "7816-VPCP.pdf"
    first.refresh_from_db()
    assert first.state == "registered" and first.incoming == document
    assert list(first.statuses.values_list("code", flat=True)) == ["01", "03"]
    # Imported once more after registration: still the one package, nothing registered again.
    assert services.import_file(actor=demo.vanthu, upload=sample_upload()).package.incoming == document


def test_refusal_produces_status_02_file_to_send_back(demo, tmp_path):
    package = services.import_file(actor=demo.vanthu, upload=sample_upload()).package
    with pytest.raises(ValidationError) as caught:
        services.refuse_received(actor=demo.vanthu, package=package, reason="  ")
    assert "Lý do từ chối" in str(caught.value)
    status = services.refuse_received(actor=demo.vanthu, package=package, reason="Gửi nhầm cơ quan")
    notice = _read_stored(status.blob_id, tmp_path)
    assert isinstance(notice, model.Status) and notice.code == "02" and notice.description == "Gửi nhầm cơ quan"
    assert notice.response_for.document_id == package.document_id and notice.sender.organ_id == "000.00.15.H03"
    assert notice.staff.staff == demo.vanthu.full_name
    with pytest.raises(ValidationError, match="đã bị từ chối"):
        services.register_received(actor=demo.vanthu, package=package)
    assert not IncomingDocument.objects.filter(document_identifier=package.document_id).exists()


HOSTILE = {
    "xxe": (samples.XXE, "XXE"),
    "billion-laughs": (samples.BILLION_LAUGHS, "thực thể bị cấm"),
    "malformed": (samples.MALFORMED, "không đúng cú pháp XML"),
    "wrong-namespace": (samples.wrong_namespace(), "không gian tên"),
    "declared-2GB": (samples.declared_huge(), "“#1” (2,0\xa0GB) vượt quá dung lượng cho phép"),
    "not-for-us": (samples.sample(to="000.00.00.H49"), "không gửi cho cơ quan mình"),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_files_refused_in_vietnamese_and_nothing_stored(demo, name):
    data, words = HOSTILE[name]
    with pytest.raises(ValidationError) as caught:
        services.import_file(actor=demo.vanthu, upload=upload(data))
    assert words in " ".join(caught.value.messages)
    assert not Package.objects.exists() and not Blob.objects.exists() and not StatusMessage.objects.exists()
    root = Path(settings.QLVB_FILES_DIR)
    assert not root.exists() or list(root.iterdir()) == []


def test_package_over_the_limit_refused_before_reading(demo, settings):
    settings.QLVB_EXCHANGE_MAX_PACKAGE_BYTES = 1000
    with pytest.raises(ValidationError, match="vượt quá dung lượng"):
        services.import_file(actor=demo.vanthu, upload=sample_upload())


def test_only_clerks_import(demo):
    with pytest.raises(PermissionDenied):
        services.import_file(actor=demo["cv.qlvt.long"], upload=sample_upload())


def test_export_marks_sent_and_the_file_reads_back(demo, tmp_path):
    document, recipient = issued_with_external(demo)
    package = services.export_package(actor=demo.vanthu, recipient=recipient)
    recipient.refresh_from_db()
    assert recipient.status == "sent" and package.direction == "out" and package.recipient == recipient
    doc = _read_stored(package.blob_id, tmp_path)
    number, notation = document.notation.split("/", 1)
    assert doc.document_id == f"000.00.15.H03,{document.issued_on:%Y/%m/%d},{document.notation}"
    assert (doc.code_number, doc.code_notation, doc.subject) == (number, notation, document.summary)
    assert [r.organ_id for r in doc.receivers] == [PROVINCE] and doc.sender.name == document.agency_name
    assert doc.signer.full_name == document.signer_name and doc.type_name == "Công văn"
    assert services.export_package(actor=demo.vanthu, recipient=recipient) == package


def test_export_refused_without_identifier_or_by_officer(demo):
    _document, recipient = issued_with_external(demo, identifier="")
    with pytest.raises(ValidationError, match="chưa có mã định danh"):
        services.export_package(actor=demo.vanthu, recipient=recipient)
    with pytest.raises(PermissionDenied):
        services.export_package(actor=demo["cv.qlvt.long"], recipient=recipient)
    assert not Package.objects.exists()


def test_status_notice_joins_the_recipients_history_once(demo):
    document, recipient = issued_with_external(demo)
    package = services.export_package(actor=demo.vanthu, recipient=recipient)
    notice = samples.STATUS.format(sender=PROVINCE, origin="000.00.15.H03", code=document.notation,
                                   date=f"{document.issued_on:%Y/%m/%d}", document_id=package.document_id).encode()
    result = services.import_file(actor=demo.vanthu, upload=upload(notice))
    assert result.status.code == "03" and result.status.staff == "Lê Thị Văn Thư" and result.package == package
    assert not services.import_file(actor=demo.vanthu, upload=upload(notice)).created
    assert list(package.statuses.values_list("direction", "code")) == [("in", "03")]
    stray = notice.replace(package.document_id.encode(), b"000.00.15.H03,2020/01/01,1/X")
    with pytest.raises(ValidationError, match="không có gói tin nào đã gửi khớp"):
        services.import_file(actor=demo.vanthu, upload=upload(stray))


def test_the_stored_package_is_the_file_received(demo):
    """The .edxml kept is byte for byte what was read (content-addressed)."""
    package = services.import_file(actor=demo.vanthu, upload=sample_upload()).package
    assert open_verified(package.blob) == sample_upload().read()


def test_confidential_document_is_not_exported(demo):
    from qlvb.outgoing.models import OutgoingDocument

    document, recipient = issued_with_external(demo)
    # As if issued from the confidential register (the path through the chain is the outgoing tests').
    OutgoingDocument.objects.filter(pk=document.pk).update(confidentiality="confidential")
    recipient.refresh_from_db()
    with pytest.raises(ValidationError, match="Văn bản mật không được gửi"):
        services.export_package(actor=demo.vanthu, recipient=recipient)
    assert not Package.objects.exists()
