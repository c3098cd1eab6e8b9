"""Pre-flight before sending (issue 15 item 4): the checklist on the exchange page, each failure one sentence
the clerk can act on, and sending / exporting refused (page and API) while a blocking check fails."""

import pytest
from django.core.exceptions import ValidationError

from qlvb.documents.models import DocumentType
from qlvb.exchange import services
from qlvb.exchange.models import OutboxItem, Package
from tests.exchange import direct
from tests.exchange.helpers import issued_with_external

pytestmark = pytest.mark.django_db


def _page(client, demo, document):
    client.force_login(demo.vanthu)
    return client.get(f"/exchange/outgoing/{document.pk}/").content.decode()


def test_checklist_is_green_before_sending_and_warns_that_the_peer_is_down(demo, client, monkeypatch):
    direct.FakePeer(monkeypatch)
    document, recipient = issued_with_external(demo)
    page = _page(client, demo, document)
    assert 'data-check="type" data-level="ok"' in page and 'data-check="size" data-level="ok"' in page
    assert 'data-check="peer"' not in page  # not a peer: sent by file, no reachability line
    package = services.export_package(actor=demo.vanthu, recipient=recipient)
    peer = direct.peer()  # its earlier delivery fails: the next sending is warned, not refused
    OutboxItem.objects.create(peer=peer, package=package, attempts=2, last_error="ConnectionError: refused",
                              next_attempt_at=document.issued_at)
    client.force_login(demo.vanthu)
    api = client.get(f"/api/exchange/recipients/{recipient.pk}/preflight?direct=true").json()
    peer_check = next(c for c in api if c["key"] == "peer")
    assert peer_check["level"] == "warning" and "không trả lời từ lần gửi gần nhất" in peer_check["problem"]
    assert "ConnectionError: refused" in peer_check["problem"]


def test_unmapped_document_type_refuses_export_with_a_sentence(demo, client):
    document, recipient = issued_with_external(demo)
    DocumentType.objects.filter(pk=document.document_type_id).update(name="Phiếu trình nội bộ")
    with pytest.raises(ValidationError) as caught:
        services.export_package(actor=demo.vanthu, recipient=recipient)
    assert "Loại văn bản “Phiếu trình nội bộ” chưa có mã loại văn bản edXML" in caught.value.messages[0]
    assert not Package.objects.exists()
    page = _page(client, demo, document)
    assert 'data-check="type" data-level="error"' in page
    answer = client.post(f"/api/exchange/recipients/{recipient.pk}/export")
    assert answer.status_code == 400
    assert "chưa có mã loại văn bản edXML" in " ".join(d["msg"] for d in answer.json()["detail"])


def test_package_over_the_size_cap_is_refused_before_anything_is_queued(demo, settings, monkeypatch):
    direct.FakePeer(monkeypatch)
    document, recipient = issued_with_external(demo)
    direct.peer()
    settings.QLVB_EXCHANGE_MAX_PACKAGE_BYTES = 200 * 1024  # below the header allowance: any file is too big
    with pytest.raises(ValidationError) as caught:
        services.send_package(actor=demo.vanthu, recipient=recipient)
    assert "vượt giới hạn" in " ".join(caught.value.messages)
    assert not OutboxItem.objects.exists()


def test_unsigned_pdf_is_refused_when_the_agency_requires_a_signed_pdf(demo, settings):
    document, recipient = issued_with_external(demo)
    settings.QLVB_EXCHANGE_REQUIRE_SIGNED_PDF = True
    with pytest.raises(ValidationError) as caught:
        services.export_package(actor=demo.vanthu, recipient=recipient)
    assert "Bản PDF chưa có chữ ký số của cơ quan" in " ".join(caught.value.messages)
