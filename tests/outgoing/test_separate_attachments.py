# ruff: noqa: F811 (pytest fixtures imported from tests.signing.conftest)
"""Attachments in separate files (phụ lục, văn bản kèm theo; Annex I §1.6), through the pages people use:
the officer attaches two files to the draft, Deputy Director Mai signs at "Duyệt ký", the clerk issues with
the agency's PIN once; each attachment then carries the agency's signature at the top right of page 1
with "Số: <number/notation>" and the signing time, reaches the internal recipient and the edXML package."""

import io
import re
import shutil
import subprocess
import tempfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from qlvb.documents.models import ExternalAgency
from qlvb.exchange import services as exchange
from qlvb.files.storage import open_verified
from qlvb.incoming.models import IncomingDocument
from qlvb.outgoing.models import DraftAttachment, OutgoingAttachment, OutgoingDocument, Recipient
from qlvb.records import index
from qlvb.records import services as records
from qlvb.records.models import Draft
from qlvb.signing import verification
from qlvb.signing.models import Verdict
from tests.conftest import login
from tests.exchange import direct
from tests.factories import pdf_bytes, reply_path
from tests.outgoing.issuing import approve
from tests.outgoing.signed import roots, tamper
from tests.signing.conftest import PIN, admin_person, agency_credential, leader_credential, trusted  # noqa: F401

pytestmark = pytest.mark.django_db

ISO_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00")


def _attach(client, demo, draft, *files):
    login(client, demo["cv.qlvt.long"])
    return client.post(f"/outgoing/drafts/{draft.pk}/attachments/", {"attachments": list(files)}, follow=True)


def _signed_by_leader(client, demo, draft, leader_credential):
    records.submit(actor=demo["cv.qlvt.long"], draft=draft)
    records.approve(actor=demo["tp.qlvt"], draft=draft)
    login(client, demo["pgd.mai"])
    client.post(
        f"/records/drafts/{draft.pk}/do/sign/", {"comment": "Ký", "pin": PIN, "credential": leader_credential.pk}
    )
    draft.refresh_from_db()
    assert draft.state == Draft.State.APPROVED and draft.signed_blob_id
    return draft


def _page_text(pdf: bytes) -> str:
    """Page 1 as poppler reads it (it draws the signature widget's appearance)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as source:
        source.write(pdf)
        source.flush()
        return subprocess.run(
            ["pdftotext", "-l", "1", source.name, "-"], capture_output=True, text=True, timeout=60, check=True
        ).stdout


def _pyhanko_ok(pdf: bytes) -> bool:
    [signature] = PdfFileReader(io.BytesIO(pdf), strict=False).embedded_signatures
    return validate_pdf_signature(signature, ValidationContext(trust_roots=roots())).bottom_line


def test_issued_attachments_are_signed_delivered_packaged_and_read_by_the_api(
    client,
    demo,
    leader_credential,
    agency_credential,
    monkeypatch,
    tmp_path,
    django_capture_on_commit_callbacks,
):
    _incoming, _record, draft = reply_path(demo)
    ExternalAgency.objects.filter(name="UBND tỉnh Bắc Kạn").update(identifier=direct.PROVINCE)
    page = _attach(
        client,
        demo,
        draft,
        SimpleUploadedFile("Phu luc I.pdf", pdf_bytes(2)),
        SimpleUploadedFile("Phu luc II.pdf", pdf_bytes(1)),
    ).content.decode()
    assert "Phu luc I.pdf" in page and "Phu luc II.pdf" in page and "Đã đính kèm 2 tệp" in page
    draft = _signed_by_leader(client, demo, draft, leader_credential)

    login(client, demo.vanthu)
    page = client.get(f"/outgoing/issue/{draft.pk}/").content.decode()
    assert 'data-testid="issue-attachments"' in page and "Phu luc II.pdf" in page
    client.post(f"/outgoing/issue/{draft.pk}/", {"sending": "electronic", "pin": PIN})

    document = OutgoingDocument.objects.get(draft=draft)
    attachments = list(document.attachments.all())
    assert [a.name for a in attachments] == ["Phu luc I.pdf", "Phu luc II.pdf"]
    for attachment in attachments:
        pdf = open_verified(attachment.blob)
        result = verification.verify_pdf(pdf, roots=roots())
        assert result.verdict == Verdict.VALID and len(result.signatures) == 1
        [signature] = result.signatures
        assert signature.field == "CoQuanPhuLuc" and signature.intact and signature.trusted
        assert signature.coverage == "entire_file" and "Sở Giao thông vận tải" in signature.signer
        assert _pyhanko_ok(pdf)
        text = _page_text(pdf)
        assert f"Số: {document.notation}" in text and ISO_TIME.search(text), text
        assert verification.verify_pdf(tamper(pdf), roots=roots()).verdict == Verdict.MODIFIED

    # The record's index (mục lục, what closing and the archive take) lists them with the main file.
    [row] = [r for r in index.rows(draft.record.documents.all()) if r.entry.outgoing_id == document.pk]
    assert [blob.sha256 for _name, blob in row.files] == [document.blob_id, *[a.blob_id for a in attachments]]

    # The issued document's page: each attachment to download, with its signature badge.
    page = client.get(f"/outgoing/{document.pk}/").content.decode()
    assert 'data-testid="attachments"' in page and page.count('data-verdict="valid"') == 3
    download = client.get(f"/outgoing/{document.pk}/attachments/2/")
    assert b"".join(download.streaming_content) == open_verified(attachments[1].blob)

    # The API's read of the document.
    data = client.get(f"/api/outgoing/{document.pk}").json()
    assert [(a["name"], a["file_sha256"], a["signature"]["verdict"]) for a in data["attachments"]] == [
        (a.name, a.blob_id, "valid") for a in attachments
    ]

    # The internal recipient (head of KHTC) has them beside the main file.
    delivered = Recipient.objects.get(document=document, unit__isnull=False).incoming
    assert sorted(delivered.attachments.values_list("blob_id", flat=True)) == sorted(
        [document.blob_id, *[a.blob_id for a in attachments]]
    )
    login(client, delivered.assignments.first().receiver)
    page = client.get(f"/incoming/{delivered.pk}/").content.decode()
    assert "Phu luc I.pdf" in page and "Phu luc II.pdf" in page

    # The edXML package to another agency carries them after the main file, bytes unchanged.
    fake = direct.FakePeer(monkeypatch)
    direct.peer()
    with django_capture_on_commit_callbacks(execute=True):
        exchange.send_package(
            actor=demo.vanthu, recipient=Recipient.objects.get(document=document, agency__isnull=False), pin=PIN
        )
    received = fake.read(0, tmp_path)
    assert [a.name for a in received.attachments[1:]] == ["Phu luc I.pdf", "Phu luc II.pdf"]
    assert [a.sha256 for a in received.attachments] == [document.blob_id, *[a.blob_id for a in attachments]]


def test_wrong_pin_signs_nothing_and_takes_no_number(client, demo, leader_credential, agency_credential):
    _incoming, _record, draft = reply_path(demo)
    _attach(client, demo, draft, SimpleUploadedFile("Phu luc.pdf", pdf_bytes()))
    draft = _signed_by_leader(client, demo, draft, leader_credential)
    login(client, demo.vanthu)
    page = client.post(
        f"/outgoing/issue/{draft.pk}/", {"sending": "electronic", "pin": "000000"}, follow=True
    ).content.decode()
    assert "Mã PIN không đúng" in page
    assert not OutgoingDocument.objects.exists() and not OutgoingAttachment.objects.exists()
    assert not IncomingDocument.objects.filter(notes__startswith="Văn bản nội bộ").exists()
    client.post(f"/outgoing/issue/{draft.pk}/", {"sending": "electronic", "pin": PIN})
    document = OutgoingDocument.objects.get(draft=draft)
    assert document.number == 1 and document.attachments.count() == 1


def test_attachments_are_checked_as_every_upload_and_frozen_once_submitted(client, demo):
    _incoming, _record, draft = reply_path(demo)
    page = _attach(
        client,
        demo,
        draft,
        SimpleUploadedFile("Phu luc.pdf", pdf_bytes()),
        SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64),
    ).content.decode()
    assert "Không nhận tệp “anh.png”" in page and not DraftAttachment.objects.exists()  # all or none
    page = _attach(client, demo, draft, SimpleUploadedFile("bang-tinh.pdf", b"not a pdf at all")).content.decode()
    assert "bang-tinh.pdf" in page and not DraftAttachment.objects.exists()

    _attach(client, demo, draft, SimpleUploadedFile("Phu luc.pdf", pdf_bytes()))
    records.submit(actor=demo["cv.qlvt.long"], draft=draft)
    page = _attach(client, demo, draft, SimpleUploadedFile("Them.pdf", pdf_bytes())).content.decode()
    assert "Chỉ thêm, bớt tệp kèm theo khi dự thảo đang soạn" in page
    assert list(DraftAttachment.objects.values_list("name", flat=True)) == ["Phu luc.pdf"]


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) not installed")
def test_word_attachment_is_issued_as_pdf(client, demo):
    """A Word file attached is converted as Word drafts are; issued without the agency's PIN (the signature is
    not required here), it is that PDF, with its text."""
    import docx

    content = io.BytesIO()
    word = docx.Document()
    word.add_paragraph("BẢNG KÊ KINH PHÍ BẢO TRÌ")
    word.save(content)
    _incoming, _record, draft = reply_path(demo)
    _attach(client, demo, draft, SimpleUploadedFile("Bang ke.docx", content.getvalue()))
    login(client, demo.vanthu)
    client.post(f"/outgoing/issue/{approve(demo, draft).pk}/", {"sending": "electronic"})
    [attachment] = OutgoingDocument.objects.get(draft=draft).attachments.all()
    pdf = open_verified(attachment.blob)
    assert attachment.name == "Bang ke.pdf" and attachment.blob.content_type == "application/pdf"
    assert "BẢNG KÊ KINH PHÍ BẢO TRÌ" in _page_text(pdf)


def test_draft_page_queries_do_not_grow_with_attachments(client, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _incoming, _record, draft = reply_path(demo)
    counts = []
    for name in ("A.pdf", "B.pdf", "C.pdf"):
        _attach(client, demo, draft, SimpleUploadedFile(name, pdf_bytes()))
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/records/drafts/{draft.pk}/").content.decode()
        assert name in page
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts


def test_attachments_are_signed_again_with_the_number_taken_meanwhile(
    client, demo, leader_credential, agency_credential, monkeypatch
):
    """Another clerk takes the number while the attachments are being signed: they are signed again with the
    number the document actually takes, as its main file is made again."""
    from qlvb.outgoing import official
    from qlvb.outgoing import services as outgoing

    from . import signed

    _incoming, _record, draft = reply_path(demo)
    _attach(client, demo, draft, SimpleUploadedFile("Phu luc.pdf", pdf_bytes()))
    draft = _signed_by_leader(client, demo, draft, leader_credential)
    other = signed.structured(demo)
    real, signed_with = official.sign_attachment, []

    def racing(**kwargs):
        if not signed_with:  # meanwhile, another clerk issues another document
            outgoing.issue(actor=demo.vanthu, draft=other)
        signed_with.append(kwargs["notation"])
        return real(**kwargs)

    monkeypatch.setattr(official, "sign_attachment", racing)
    login(client, demo.vanthu)
    client.post(f"/outgoing/issue/{draft.pk}/", {"sending": "electronic", "pin": PIN})
    document = OutgoingDocument.objects.get(draft=draft)
    assert document.number == 2 and signed_with == [document.notation.replace("02/", "01/"), document.notation]
    assert f"Số: {document.notation}" in _page_text(open_verified(document.attachments.get().blob))


def test_api_attaches_lists_downloads_and_removes_draft_attachments(client, demo):
    """The same attaching as the draft page, through the API: files checked (all or none, the bad one
    named), listed, downloaded, removed; another unit's officer learns nothing (404); frozen once submitted."""
    _incoming, _record, draft = reply_path(demo)
    url = f"/api/outgoing/drafts/{draft.pk}/attachments"
    client.force_login(demo["cv.khtc.nga"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"attachments": [SimpleUploadedFile("a.pdf", pdf_bytes())]}).status_code == 404
    assert not DraftAttachment.objects.exists()

    client.force_login(demo["cv.qlvt.long"])
    refused = client.post(url, {"attachments": [SimpleUploadedFile("Phu luc.pdf", pdf_bytes()),
                                                SimpleUploadedFile("bang-tinh.pdf", b"not a pdf at all")]})
    assert refused.status_code == 400 and "bang-tinh.pdf" in refused.json()["detail"][0]["msg"]
    assert not DraftAttachment.objects.exists()

    added = client.post(url, {"attachments": [SimpleUploadedFile("Phu luc 1.pdf", pdf_bytes()),
                                              SimpleUploadedFile("Phu luc 2.pdf", pdf_bytes())]})
    assert added.status_code == 201
    first, second = added.json()
    assert [a["name"] for a in client.get(url).json()] == ["Phu luc 1.pdf", "Phu luc 2.pdf"]
    download = client.get(f"{url}/{first['id']}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == pdf_bytes()

    client.force_login(demo["cv.khtc.nga"])
    assert client.delete(f"{url}/{second['id']}").status_code == 404
    assert client.get(f"{url}/{first['id']}").status_code == 404
    client.force_login(demo["cv.qlvt.long"])
    assert client.delete(f"{url}/{second['id']}").status_code == 204
    assert list(DraftAttachment.objects.values_list("name", flat=True)) == ["Phu luc 1.pdf"]

    records.submit(actor=demo["cv.qlvt.long"], draft=draft)
    frozen = client.delete(f"{url}/{first['id']}")
    assert frozen.status_code == 400 and "Chỉ thêm, bớt tệp kèm theo" in frozen.json()["detail"][0]["msg"]
    assert DraftAttachment.objects.count() == 1


def test_api_list_of_draft_attachments_reads_no_more_with_more_files(client, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _incoming, _record, draft = reply_path(demo)
    url = f"/api/outgoing/drafts/{draft.pk}/attachments"
    client.force_login(demo["cv.qlvt.long"])
    counts = []
    for name in ("A.pdf", "B.pdf", "C.pdf"):
        assert client.post(url, {"attachments": [SimpleUploadedFile(name, pdf_bytes())]}).status_code == 201
        with CaptureQueriesContext(connection) as queries:
            listed = client.get(url).json()
        assert listed[-1]["name"] == name and listed[-1]["size"] == len(pdf_bytes())
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2], counts
