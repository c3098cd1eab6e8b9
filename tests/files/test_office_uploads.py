"""Hostile Office files (XML entities, zip bombs) are refused at upload with a Vietnamese message
naming the file: nothing stored, no arrival number taken."""

import io
import warnings
import zipfile

import pytest
from django.urls import reverse

from qlvb.files.models import Blob
from qlvb.files.storage import FileRejected, store
from qlvb.incoming.models import Attachment, IncomingDocument
from tests.factories import incoming_register

from .builders import BILLION_LAUGHS_DOCX, XXE_DOCX, api_form, bomb_docx, document_xml, docx_bytes, registration_form
from .stored import nothing_stored

pytestmark = pytest.mark.django_db

HOSTILE = {
    "xxe.docx": (XXE_DOCX, "thực thể XML bị cấm"),
    "billion-laughs.docx": (BILLION_LAUGHS_DOCX, "thực thể XML bị cấm"),
    "bom-1gb.docx": (bomb_docx(), "khi giải nén vượt quá 512,0\xa0MB"),
}


def _zip(parts: dict, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _nothing_stored(settings):
    assert Blob.objects.count() == 0 and Attachment.objects.count() == 0
    assert nothing_stored()


@pytest.mark.parametrize("name", HOSTILE)
def test_registration_page_refuses_hostile_docx_and_takes_no_number(client, demo, settings, name):
    data, reason = HOSTILE[name]
    register = incoming_register(demo.vanthu)
    client.force_login(demo.vanthu)
    response = client.post(reverse("incoming:register"), registration_form(register, name, data))
    assert response.status_code == 400
    page = response.content.decode()
    assert f"Không nhận tệp “{name}”" in page and reason in page
    register.refresh_from_db()
    assert register.last_number == 0 and IncomingDocument.objects.count() == 0
    _nothing_stored(settings)


@pytest.mark.parametrize("name", HOSTILE)
def test_api_refuses_hostile_docx_and_takes_no_number(client, demo, settings, name):
    data, reason = HOSTILE[name]
    register = incoming_register(demo.vanthu)
    client.force_login(demo.vanthu)
    response = client.post("/api/incoming/", api_form(registration_form(register, name, data)))
    assert response.status_code == 400
    [detail] = response.json()["detail"]
    assert f"Không nhận tệp “{name}”" in detail["msg"] and reason in detail["msg"]
    register.refresh_from_db()
    assert register.last_number == 0 and IncomingDocument.objects.count() == 0
    _nothing_stored(settings)


def test_ordinary_docx_is_registered(client, demo):
    register = incoming_register(demo.vanthu)
    client.force_login(demo.vanthu)
    response = client.post(reverse("incoming:register"), registration_form(register, "cong-van.docx", docx_bytes()))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.name == "cong-van.docx" and attachment.blob.content_type.endswith("wordprocessingml.document")


XLSX_PARTS = {"[Content_Types].xml": b"<Types xmlns='urn:x'/>",
              "xl/workbook.xml": b"<workbook xmlns='urn:x'><sheets/></workbook>"}
ODT_MANIFEST = (b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                b'<manifest:file-entry manifest:full-path="content.xml">%s</manifest:file-entry></manifest:manifest>')
ODT_PARTS = {"mimetype": b"application/vnd.oasis.opendocument.text",
             "META-INF/manifest.xml": ODT_MANIFEST % b"",
             "content.xml": b"<office:document-content xmlns:office='urn:o'/>"}
BOMB_PART = b"<a>" + b" " * (3 * 1024 * 1024) + b"</a>"  # compresses about 1,000 times


@pytest.mark.parametrize("parts, message", [
    ({**XLSX_PARTS, "xl/_rels/workbook.xml.rels": b'<!DOCTYPE r [<!ENTITY x SYSTEM "http://evil/">]><r>&x;</r>'},
     "thực thể XML bị cấm"),
    ({**ODT_PARTS, "styles.xml": b"<!DOCTYPE s [<!ENTITY a 'aaaa'>]><s>&a;</s>"}, "thực thể XML bị cấm"),
    # an XML part under another name is still XML to a reader that follows the package's relationships
    ({"word/document.xml": document_xml(), "word/body.bin": b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "/etc/x"><x/>'},
     "thực thể XML bị cấm"),
    ({"word/document.xml": document_xml(), "word/styles.xml": b"<w:styles><unclosed></w:styles>"},
     "thành phần “word/styles.xml” không đúng cú pháp"),
    ({"word/document.xml": document_xml(), "word/media/a.xml": BOMB_PART}, "hơn 100 lần"),
    ({"word/document.xml": document_xml(), **{f"word/media/{i}.png": b"" for i in range(5001)}},
     "quá nhiều thành phần"),
    ({**ODT_PARTS, "META-INF/manifest.xml": ODT_MANIFEST % b"<manifest:encryption-data/>"}, "đặt mật khẩu"),
])
def test_hostile_office_packages_are_refused(settings, parts, message):
    with pytest.raises(FileRejected, match=message):
        store(io.BytesIO(_zip(parts)), name="tep.docx")
    _nothing_stored(settings)


def test_compression_office_never_writes_is_refused(settings):
    with pytest.raises(FileRejected, match="Tệp nén bị hỏng"):
        store(io.BytesIO(_zip({"word/document.xml": document_xml()}, zipfile.ZIP_BZIP2)))
    _nothing_stored(settings)


def test_two_parts_of_the_same_name_are_refused(settings):
    """Readers differ on which one they take (zipfile the last, others the first)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate, as it should
        archive.writestr("word/document.xml", document_xml("&xxe;", '<!DOCTYPE d SYSTEM "x">'))
        archive.writestr("word/document.xml", document_xml())
    with pytest.raises(FileRejected, match="Tệp nén bị hỏng"):
        store(io.BytesIO(buffer.getvalue()), name="hai-ban.docx")
    _nothing_stored(settings)


def test_zip_encryption_is_refused(settings):
    data = bytearray(_zip({"word/document.xml": document_xml()}))
    central = data.rindex(b"PK\x01\x02")
    data[central + 8] |= 0x1  # the "encrypted" flag of the directory entry
    with pytest.raises(FileRejected, match="đặt mật khẩu"):
        store(io.BytesIO(bytes(data)))
    _nothing_stored(settings)


def test_a_part_inflating_past_its_declared_size_is_refused(settings):
    """The directory may lie about sizes: inflating never goes past what it declared."""
    data = bytearray(_zip({"word/document.xml": document_xml() + b" " * 5000}))
    central = data.rindex(b"PK\x01\x02")
    data[central + 24:central + 28] = (100).to_bytes(4, "little")  # declared inflated size
    with pytest.raises(FileRejected, match="Tệp nén bị hỏng|cú pháp"):
        store(io.BytesIO(bytes(data)))
    _nothing_stored(settings)


def test_ordinary_xlsx_and_odt_are_stored(settings):
    assert store(io.BytesIO(_zip(XLSX_PARTS))).content_type.endswith("spreadsheetml.sheet")
    assert store(io.BytesIO(_zip(ODT_PARTS))).content_type == "application/vnd.oasis.opendocument.text"


def test_readers_share_one_inflation_budget(tmp_path):
    """Text extraction opens Office files through open_package: reading a part again counts again."""
    from qlvb.files import officefiles

    path = tmp_path / "a.docx"
    path.write_bytes(_zip({"word/document.xml": b"<a>" + b"x" * (2 * 1024 * 1024) + b"</a>"}))
    limits = officefiles.Limits(entries=10, inflated_bytes=3 * 1024 * 1024, ratio=100_000)
    with officefiles.open_package(path, limits) as package:
        package.parse("word/document.xml")
        with pytest.raises(FileRejected, match="khi giải nén vượt quá"):
            package.parse("word/document.xml")


def test_too_many_entries_are_refused_before_the_directory_is_loaded(settings, monkeypatch):
    data = _zip({"word/document.xml": document_xml(), **{f"word/media/{i}.png": b"" for i in range(5001)}})

    def never(*args, **kwargs):
        raise AssertionError("a directory of more entries than allowed must not be loaded")

    monkeypatch.setattr(zipfile, "ZipFile", never)
    with pytest.raises(FileRejected, match="quá nhiều thành phần"):
        store(io.BytesIO(data), name="nhieu.docx")
    _nothing_stored(settings)
