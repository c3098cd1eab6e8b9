"""Test helpers of the direct transport: a peer (the province, 000.00.00.H06) registered with a token, a
fake network standing in for it (`FakePeer`: records what we post, answers as told), and packages the
province sends us, signed or not, built with the edXML writer."""

import io
from datetime import date

from django.test import Client

from qlvb.exchange import transport
from qlvb.exchange.edxml import dsig, model, reader, writer
from qlvb.exchange.models import Peer
from tests.factories import pdf_bytes

PROVINCE = "000.00.00.H06"
US = "000.00.15.H03"  # the demo department
TOKEN = "t0ken-for-tests-0123456789abcdef"


def peer(**fields) -> Peer:
    return Peer.objects.create(**{"organ_id": PROVINCE, "name": "UBND tỉnh Bắc Kạn", "token": TOKEN,
                                  "endpoint": "https://province.example.vn", **fields})


class FakePeer:
    """Replaces `transport.SEND`: keeps each posted body, answers `answer` (or raises `down`)."""

    def __init__(self, monkeypatch):
        self.posts: list[bytes] = []
        self.answer = transport.Answer(201, {"status": "01"})
        self.down: str | None = None
        monkeypatch.setattr(transport, "SEND", self)

    def __call__(self, peer, *, source, size, organ_id):
        if self.down:
            raise transport.Unreachable(self.down)
        self.posts.append(source.read())
        return self.answer

    def read(self, i, tmp_path):
        return reader.read(io.BytesIO(self.posts[i]), work_dir=tmp_path, max_bytes=10**8,
                           max_attachment_bytes=10**8)

    def codes(self, tmp_path):
        return [p.code for p in (self.read(i, tmp_path) for i in range(len(self.posts)))
                if isinstance(p, model.Status)]


def province_package(tmp_path, *, number="15", signer=None, to=US, pages=1, business=None, subject=None) -> bytes:
    """A công văn of the province for us, signed by `signer` (a ca.Issued with its chain) when given."""
    attachment = tmp_path / f"cv-{number}.pdf"
    attachment.write_bytes(pdf_bytes(pages))
    doc = model.Document(
        sender=model.Organization(PROVINCE, "UBND tỉnh Bắc Kạn"), receivers=[model.Organization(to, "Sở GTVT")],
        document_id=f"{PROVINCE},2026/11/20,{number}/UBND-VP", code_number=number, code_notation="UBND-VP",
        place="Bắc Kạn", promulgation_date=date(2026, 11, 20), type_name="Công văn",
        subject=subject or f"V/v bảo trì đường tỉnh {number}",
        signer=model.SignerInfo("KT. CHỦ TỊCH", "Phó Chủ tịch", "Hoàng Văn B"),
        attachments=[model.Attachment(content_id="1", name=f"cv-{number}.pdf", path=attachment)])
    if business is not None:  # (type, reason): revoke / update / replace of the same DocumentId
        doc.business = model.Business(doc_type=business[0], reason=business[1], document_id=doc.document_id)
    out = io.BytesIO()
    sign = None
    if signer is not None:
        issued, chain = signer
        sign = lambda xml: dsig.sign(xml, key=issued.key, certificates=[issued.cert, *chain])  # noqa: E731
    writer.write_document(doc, out, sign=sign)
    return out.getvalue()


def deliver(data: bytes, *, token=TOKEN, organ_id=PROVINCE, client=None):
    """The province posts a package to our endpoint."""
    return (client or Client()).post("/api/exchange/receive", data=data, content_type="application/xml",
                                      headers={"Authorization": f"Bearer {token}", transport.ORGAN_HEADER: organ_id})
