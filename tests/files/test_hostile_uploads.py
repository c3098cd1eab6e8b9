"""Hostile uploads are refused with a clear Vietnamese message, and nothing is stored."""

import hashlib
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfWriter

from qlvb.files.models import Blob
from qlvb.files.storage import FileCorrupted, FileRejected, open_verified, store
from tests.factories import pdf_bytes

from .builders import docx_bytes
from .stored import nothing_stored, read_stored, replace_stored

pytestmark = pytest.mark.django_db


def _nothing_stored(settings):
    assert Blob.objects.count() == 0
    assert nothing_stored()


class Declared2GB(io.BytesIO):
    size = 2 * 1024**3

    def read(self, *args):
        raise AssertionError("a refused upload must not be read")


@pytest.mark.parametrize("content, message", [
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "Định dạng tệp không được chấp nhận"),
    (b"MZ\x90\x00\x03" + b"\x00" * 100, "Định dạng tệp không được chấp nhận"),
    (b"<html><script>alert(1)</script></html>", "Định dạng tệp không được chấp nhận"),
    (pdf_bytes()[:-60], "cắt cụt"),
    (b"", "rỗng"),
])
def test_refused_with_message_and_nothing_stored(settings, content, message):
    with pytest.raises(FileRejected, match=message):
        store(io.BytesIO(content), name="van-ban.pdf")
    _nothing_stored(settings)


def test_declared_2gb_upload_is_refused_before_reading(settings):
    with pytest.raises(FileRejected, match="vượt quá dung lượng"):
        store(Declared2GB(b"%PDF-"))
    _nothing_stored(settings)


def test_size_limit_enforced_while_streaming(settings):
    with pytest.raises(FileRejected, match="vượt quá dung lượng"):
        store(io.BytesIO(pdf_bytes(50)), max_bytes=1000)
    _nothing_stored(settings)


def test_encrypted_pdf_is_refused(settings):
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt("matkhau")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(FileRejected, match="mật khẩu"):
        store(io.BytesIO(buffer.getvalue()))
    _nothing_stored(settings)


def test_pdf_and_docx_are_stored_once_by_content(settings):
    blob = store(io.BytesIO(pdf_bytes()))
    again = store(io.BytesIO(pdf_bytes()))
    assert blob.pk == again.pk == hashlib.sha256(pdf_bytes()).hexdigest()
    assert Blob.objects.count() == 1
    assert store(io.BytesIO(docx_bytes())).content_type.endswith("wordprocessingml.document")


def test_tampering_is_found_on_read_and_by_the_verify_command(settings):
    blob = store(io.BytesIO(pdf_bytes()))
    assert open_verified(blob) == pdf_bytes()
    call_command("verify_files")
    replace_stored(blob.sha256, b"%PDF-1.4 changed")
    assert read_stored(blob.sha256) == b"%PDF-1.4 changed"
    with pytest.raises(FileCorrupted, match="thay đổi hoặc hỏng"):
        open_verified(blob)
    with pytest.raises(CommandError):
        call_command("verify_files")
