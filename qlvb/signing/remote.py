"""Remote signing (the mobile/cloud signing Vietnamese CAs sell): adapters and pyHanko interrupted signing.

The PDF never leaves the agency. We build the PAdES signature ourselves, send the SHA-256 of the CMS
signed attributes with our own transaction id, the holder confirms on their phone, and the service gives
back a raw RSA PKCS#1 v1.5 signature value that goes into the CMS (../shared/reference/remote-signing.md).

`RemoteAdapter` is the interface for one provider's "hash" API (`SmartCAAdapter` first; Viettel MySign and
MISA eSign fit the same three calls). The Government CA's local signing service (VGCA, `wss://127.0.0.1`)
works the other way round: its agent downloads the PDF and uploads it signed, so it is a "document"
adapter, not a hash one: the server hands out a one-time download/upload pair and accepts what comes back
through `accept_returned_pdf` (the same document plus one intact signature by the expected certificate).

Two forms:
- `prepare` → `RemoteSigningRequest` stored (prepared PDF, byte-range digest, signed attributes), then
  `poll` from a page or a task, which calls `finish` when the signature arrives;
- `BlockingRemoteSigner` (through `signers.RemoteSigner.session`) does all of it in one call, for the
  command line, the benchmark and the tests.
"""

import base64
import hashlib
import json
import time
import urllib.request
import uuid
from dataclasses import dataclass
from io import BytesIO

from asn1crypto import cms
from django.conf import settings
from django.utils.translation import gettext as _
from pyhanko.sign import signers
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument

from .signers import SigningError, SigningRefused, SigningTimedOut, to_asn1

PENDING, SIGNED, REFUSED, EXPIRED, FAILED = "pending", "signed", "refused", "expired", "failed"


@dataclass
class RemoteStatus:
    state: str  # one of PENDING, SIGNED, REFUSED, EXPIRED, FAILED
    signature: bytes | None = None
    message: str = ""


class RemoteAdapter:
    """One provider's hash-signing API."""

    mode = "hash"

    def submit(self, *, user_id: str, transaction_id: str, data_hash: bytes, description: str,
               doc_id: str) -> str:
        """Send the SHA-256 `data_hash`; return the provider's reference for the request."""
        raise NotImplementedError

    def status(self, *, transaction_id: str, provider_ref: str) -> RemoteStatus:
        raise NotImplementedError


class SmartCAAdapter(RemoteAdapter):
    """VNPT SmartCA (gateway sp769): POST JSON, `sp_id`/`sp_password` in every body, the hash as lower-case
    hex in `data_to_be_signed`, then poll `/v1/signatures/sign/{transaction_id}/status`."""

    def __init__(self, base_url: str, sp_id: str, sp_password: str, timeout: float = 15):
        self.base_url, self.sp_id, self.sp_password, self.timeout = base_url.rstrip("/"), sp_id, sp_password, timeout

    def _post(self, path: str, body: dict) -> dict:
        if not self.base_url.startswith(("https://", "http://")):
            raise SigningError(_("Địa chỉ dịch vụ ký số từ xa phải là http(s)."))
        body = {"sp_id": self.sp_id, "sp_password": self.sp_password, **body}
        request = urllib.request.Request(  # noqa: S310 (scheme checked above)
            self.base_url + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"},
            method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return json.load(response)
        except OSError as exc:
            raise SigningError(_("Không kết nối được dịch vụ ký số từ xa (%(error)s).") % {"error": exc}) from None

    def submit(self, *, user_id, transaction_id, data_hash, description, doc_id):
        answer = self._post("/v1/signatures/sign", {
            "user_id": user_id, "transaction_id": transaction_id, "transaction_desc": description[:100],
            "serial_number": "", "time_stamp": time.strftime("%Y%m%d%H%M%SZ", time.gmtime()),
            "sign_files": [{"file_type": "pdf", "data_to_be_signed": data_hash.hex(), "doc_id": doc_id,
                            "sign_type": "hash"}],
        })
        if answer.get("status_code") != 200:
            raise SigningError(_("Dịch vụ ký số từ xa từ chối yêu cầu: %(message)s")
                               % {"message": answer.get("message", "")})
        return (answer.get("data") or {}).get("tran_code", "")

    def status(self, *, transaction_id, provider_ref):
        answer = self._post(f"/v1/signatures/sign/{transaction_id}/status", {})
        code, message = answer.get("status_code"), answer.get("message", "")
        signatures = (answer.get("data") or {}).get("signatures")
        if signatures:
            return RemoteStatus(SIGNED, base64.b64decode(signatures[0]["signature_value"]))
        if message in ("REJECTED", "sig_rejected") or code == 4002:
            return RemoteStatus(REFUSED, message=message)
        if message in ("EXPIRED", "sig_expired") or code == 4001:
            return RemoteStatus(EXPIRED, message=message)
        if code not in (200, None):
            return RemoteStatus(FAILED, message=message)
        return RemoteStatus(PENDING)


def adapter_for(provider: str) -> RemoteAdapter:
    """The adapter named in QLVB_SIGNING_REMOTE (settings: provider → base URL and client credentials)."""
    config = settings.QLVB_SIGNING_REMOTE.get(provider)
    if not config:
        raise SigningError(_("Chưa cấu hình dịch vụ ký số từ xa “%(name)s”.") % {"name": provider})
    if config.get("kind", "smartca") == "smartca":
        return SmartCAAdapter(config["url"], config.get("sp_id", ""), config.get("sp_password", ""))
    raise SigningError(_("Chưa hỗ trợ loại dịch vụ ký số từ xa “%(kind)s”.") % {"kind": config["kind"]})


def raw_signature(value: bytes) -> bytes:
    """The raw PKCS#1 value; some providers may wrap it in a CMS (a DER SEQUENCE longer than the key)."""
    if value[:1] == b"\x30" and len(value) > 512:
        signed_data = cms.ContentInfo.load(value)["content"]
        return signed_data["signer_infos"][0]["signature"].native
    return value


def wait(adapter: RemoteAdapter, *, transaction_id: str, provider_ref: str, timeout: float,
         interval: float) -> bytes:
    """Poll until the signature comes back; raise `SigningRefused` or `SigningTimedOut`."""
    deadline = time.monotonic() + timeout
    while True:
        status = adapter.status(transaction_id=transaction_id, provider_ref=provider_ref)
        if status.state == SIGNED:
            return raw_signature(status.signature)
        if status.state == REFUSED:
            raise SigningRefused(_("Người ký đã từ chối yêu cầu ký trên điện thoại."))
        if status.state == FAILED:
            raise SigningError(_("Dịch vụ ký số từ xa báo lỗi: %(message)s") % {"message": status.message})
        if status.state == EXPIRED or time.monotonic() >= deadline:
            raise SigningTimedOut(_("Hết thời gian chờ người ký xác nhận trên điện thoại; chưa ký."))
        time.sleep(interval)


class BlockingRemoteSigner(signers.ExternalSigner):
    """A pyHanko signer whose raw signature comes from the remote service, waiting for it in place."""

    def __init__(self, remote):
        super().__init__(signing_cert=to_asn1(remote.certificate), cert_registry=remote.cert_registry(),
                         signature_value=256)
        self.remote = remote

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        if dry_run:
            return bytes(256)
        remote, transaction_id = self.remote, str(uuid.uuid4())
        ref = remote.adapter.submit(user_id=remote.user_id, transaction_id=transaction_id,
                                    data_hash=hashlib.sha256(data).digest(), description=remote.description,
                                    doc_id=transaction_id)
        timeout = remote.timeout if remote.timeout is not None else settings.QLVB_SIGNING_REMOTE_TIMEOUT
        return wait(remote.adapter, transaction_id=transaction_id, provider_ref=ref, timeout=timeout,
                    interval=remote.poll_interval)


# --- Interrupted signing: prepare now, finish when the phone says yes ---------------------------------

@dataclass
class Prepared:
    """What must be kept between `prepare` and `finish` (stored on `RemoteSigningRequest`)."""

    pdf: bytes  # the document with the signature placeholder
    document_digest: bytes
    reserved_start: int
    reserved_end: int
    signed_attrs: bytes  # DER of the CMS signed attributes
    data_hash: bytes  # SHA-256 of signed_attrs: what the holder signs


def prepare(pdf_bytes: bytes, remote, *, field_name: str, box, drawing) -> Prepared:
    """Add the signature field and placeholder and compute the hash to send (pyHanko interrupted signing)."""
    import asyncio

    from .pades import _writer, pdf_signer

    ext = signers.ExternalSigner(signing_cert=to_asn1(remote.certificate), cert_registry=remote.cert_registry(),
                                 signature_value=256)

    async def run():
        signer = pdf_signer(field_name, box, drawing, ext, name=remote.display_name)
        prep_digest, _tbs, output = await signer.async_digest_doc_for_signing(_writer(pdf_bytes))
        attrs = await ext.signed_attrs(data_digest=prep_digest.document_digest, digest_algorithm="sha256",
                                       use_pades=True)
        return prep_digest, output, attrs

    prep_digest, output, attrs = asyncio.run(run())
    der = attrs.dump()
    return Prepared(output.getvalue(), prep_digest.document_digest, prep_digest.reserved_region_start,
                    prep_digest.reserved_region_end, der, hashlib.sha256(der).digest())


def finish(prepared: Prepared, remote, signature_value: bytes) -> bytes:
    """The signed PDF, once the raw signature of `prepared.signed_attrs` has come back."""
    import asyncio

    ext = signers.ExternalSigner(signing_cert=to_asn1(remote.certificate), cert_registry=remote.cert_registry(),
                                 signature_value=raw_signature(signature_value))
    attrs = cms.CMSAttributes.load(prepared.signed_attrs)
    digest = PreparedByteRangeDigest(prepared.document_digest, prepared.reserved_start, prepared.reserved_end)
    output = BytesIO(prepared.pdf)

    async def run():
        signed = await ext.async_sign_prescribed_attributes("sha256", signed_attrs=attrs)
        await PdfTBSDocument.async_finish_signing(output, digest, signed)

    asyncio.run(run())
    return output.getvalue()


def accept_returned_pdf(original: bytes, returned: bytes, expected_certificate) -> None:
    """For "document" adapters (the Government CA's local agent): accept `returned` only if it is
    `original` plus an incremental signature by `expected_certificate` that is intact. Raises SigningError."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    if not returned.startswith(original):
        raise SigningError(_("Tệp trả về không phải văn bản đã gửi đi ký."))
    signatures = PdfFileReader(BytesIO(returned), strict=False).embedded_signatures
    if not signatures:
        raise SigningError(_("Tệp trả về không có chữ ký số."))
    last = signatures[-1]
    if last.signer_cert.dump() != to_asn1(expected_certificate).dump():
        raise SigningError(_("Tệp trả về được ký bằng chứng thư số khác chứng thư của người ký."))
    if not validate_pdf_signature(last).intact:
        raise SigningError(_("Chữ ký trên tệp trả về không toàn vẹn."))
