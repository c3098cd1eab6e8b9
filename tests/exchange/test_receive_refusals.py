"""Malformed, hostile and wrongly signed packages posted by a peer to the real receiving endpoint
(`POST /api/exchange/receive`): refused with status 02 and a Vietnamese sentence saying why, and
nothing kept — no package, no file in the store, no status notice, nothing queued back to the peer."""

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings

from qlvb.exchange.models import OutboxItem, Package, StatusMessage
from qlvb.files.models import Blob
from tests.exchange import direct, samples
from tests.signing.conftest import issued, root

pytestmark = pytest.mark.django_db


def _from_province(data: bytes) -> bytes:
    """The hand-written sample as the province (the peer) sends it."""
    return data.replace(b"000.00.00.G22", direct.PROVINCE.encode())


def _signed(tmp_path) -> bytes:
    return direct.province_package(tmp_path, signer=(issued("UBND tỉnh Bắc Kạn (DEMO)"), [root().cert]))


def _signed_by_another_key(tmp_path) -> bytes:
    """Signed with one key, the certificate of another in KeyInfo (a forged or mixed-up signature)."""
    from qlvb.exchange.edxml import dsig

    real, other = issued("UBND tỉnh Bắc Kạn (DEMO)"), issued("Kẻ mạo danh (DEMO)")
    original = dsig.sign
    try:
        dsig.sign = lambda xml, key, certificates: original(xml, key=other.key, certificates=[real.cert])
        return direct.province_package(tmp_path, signer=(real, [root().cert]))
    finally:
        dsig.sign = original


def _signed_by_another_certificate(tmp_path) -> bytes:
    """Intact and under a trusted root, but not by the certificate the province registered with us."""
    return direct.province_package(tmp_path, signer=(issued("Kẻ mạo danh (DEMO)"), [root().cert]))


CASES = {
    "xxe": (lambda tmp: samples.XXE, 422, "nguy cơ tấn công XXE"),
    "billion-laughs": (lambda tmp: samples.BILLION_LAUGHS, 422, "thực thể bị cấm"),
    "malformed": (lambda tmp: samples.MALFORMED, 422, "không đúng cú pháp XML"),
    "not-edxml": (lambda tmp: b"<html><body>xin chao</body></html>", 422, "không phải gói tin edXML"),
    "wrong-namespace": (lambda tmp: _from_province(samples.wrong_namespace()), 422, "không gian tên"),
    "declared-2GB-attribute": (lambda tmp: _from_province(samples.declared_huge()), 422,
                               "“#1” (2,0\xa0GB) vượt quá dung lượng cho phép"),
    "declared-2GB-element": (lambda tmp: _from_province(samples.sample()).replace(
        b"<Attachment>", b"<Attachment><Size>2147483648</Size>", 1), 422, "(2,0\xa0GB) vượt quá dung lượng cho phép"),
    "missing-subject": (lambda tmp: _from_province(samples.sample()).replace(
        "<edXML:Subject>V/v triển khai Cổng thông tin điện tử</edXML:Subject>".encode(), b""), 422,
        "thiếu thông tin bắt buộc: Subject"),
    "not-for-us": (lambda tmp: direct.province_package(tmp, to="000.00.00.H49"), 422, "không gửi cho cơ quan mình"),
    "modified-after-signing": (lambda tmp: _signed(tmp).replace("V/v bảo trì".encode(), "V/v sửa chữa".encode()),
                               422, "đã bị sửa đổi sau khi ký"),
    "signed-by-another-key": (_signed_by_another_key, 422, "không khớp với nội dung"),
    "signed-by-another-certificate": (_signed_by_another_certificate, 422,
                                      "chứng thư số khác với chứng thư đã đăng ký của UBND tỉnh Bắc Kạn"),
}


@pytest.mark.parametrize("case", CASES)
def test_refused_with_a_clear_message_and_nothing_stored(demo, trusted, monkeypatch, tmp_path, case,
                                                         django_capture_on_commit_callbacks):
    fake = direct.FakePeer(monkeypatch)
    direct.peer(certificate_pem=issued("UBND tỉnh Bắc Kạn (DEMO)").cert.public_bytes(Encoding.PEM).decode())
    make, status, words = CASES[case]
    data = make(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        response = direct.deliver(data)
    assert response.status_code == status, response.content
    assert response.json()["status"] == "02" and words in response.json()["reason"]
    assert not Package.objects.exists() and not Blob.objects.exists()
    assert not StatusMessage.objects.exists() and not OutboxItem.objects.exists() and fake.posts == []
    store = Path(settings.QLVB_FILES_DIR)
    assert not store.exists() or list(store.iterdir()) == []


def test_package_declared_over_the_limit_is_refused_before_reading(demo, monkeypatch, settings, tmp_path):
    direct.FakePeer(monkeypatch)
    direct.peer()
    settings.QLVB_EXCHANGE_MAX_PACKAGE_BYTES = 1000
    response = direct.deliver(direct.province_package(tmp_path))
    assert response.status_code == 413 and "vượt quá dung lượng cho phép" in response.json()["reason"]
    assert not Package.objects.exists() and not Blob.objects.exists()
