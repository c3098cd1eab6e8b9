"""A package shaped like the official sample (`samples.SAMPLE`, written by hand from regulations-detail §3.2)
and signed the way the sample is (over the whole document, rsa-sha1; `sample_signature.py`, not our
signer), delivered by a peer to the real endpoint: read, its signature verified, in the clerk's inbox;
the same package changed after signing is refused and nothing is kept."""

from pathlib import Path

import pytest
from django.conf import settings

from qlvb.exchange.models import Package, StatusMessage
from qlvb.files.models import Blob
from tests.exchange import direct, samples, standard_reader
from tests.exchange.sample_signature import sign_whole
from tests.factories import pdf_bytes
from tests.signing.conftest import issued, root

pytestmark = pytest.mark.django_db


def _signed_sample() -> bytes:
    province = issued("UBND tỉnh Bắc Kạn (DEMO)")
    unsigned = samples.sample(content=pdf_bytes()).replace(b"000.00.00.G22", direct.PROVINCE.encode())
    return sign_whole(unsigned, key=province.key, certificates=[province.cert, root().cert])


def test_sample_signed_as_the_official_one_is_received_with_a_valid_signature(demo, trusted, monkeypatch, client,
                                                                              django_capture_on_commit_callbacks):
    fake = direct.FakePeer(monkeypatch)
    direct.peer()
    data = _signed_sample()
    assert standard_reader.read_document(data)["Signature"]["References"] == [""]  # whole document
    with django_capture_on_commit_callbacks(execute=True):
        response = direct.deliver(data)
    assert response.status_code == 201, response.content
    assert response.json()["signature"] == "valid"
    package = Package.objects.get(direction="in")
    assert (package.code, package.subject) == ("7816/VPCP-TTĐT", "V/v triển khai Cổng thông tin điện tử")
    assert "UBND tỉnh Bắc Kạn" in package.signature["subject"]
    assert [a.name for a in package.attachments.all()] == ["7816-VPCP.pdf"]
    assert len(fake.posts) == 1  # status 01 back to the province
    client.force_login(demo.vanthu)
    page = client.get(f"/exchange/inbox/{package.pk}/").content.decode()
    assert "Chữ ký số hợp lệ" in page and "V/v triển khai Cổng thông tin điện tử" in page


@pytest.mark.parametrize("change", ["subject", "attachment"])
def test_sample_changed_after_signing_is_refused_and_nothing_kept(demo, trusted, monkeypatch, change):
    fake = direct.FakePeer(monkeypatch)
    direct.peer()
    data = _signed_sample()
    if change == "subject":
        data = data.replace("Cổng thông tin điện tử".encode(), "Cổng thông tin khác".encode(), 1)
    else:  # one base64 quantum of the PDF replaced by another valid one
        start = data.index(b"<edXML:ContentTransferEncoded>") + len(b"<edXML:ContentTransferEncoded>")
        first = data.index(b"JVBE", start)  # "%PDF" base64-encoded
        data = data[:first] + b"JVBF" + data[first + 4:]
    response = direct.deliver(data)
    assert response.status_code == 422 and "đã bị sửa đổi sau khi ký" in response.json()["reason"]
    assert not Package.objects.exists() and not Blob.objects.exists() and not StatusMessage.objects.exists()
    assert fake.posts == []
    store = Path(settings.QLVB_FILES_DIR)
    assert not store.exists() or list(store.iterdir()) == []
