"""The agency's XML-DSig on the packages we send, and the check of the one on packages we receive
(`edxml/dsig.py` does the XML; here: which key, which roots, what the pages say)."""

import asyncio
from contextlib import contextmanager
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from pyhanko_certvalidator import CertificateValidator, ValidationContext

from qlvb.signing import selectors as signing_selectors
from qlvb.signing import services as signing
from qlvb.signing.signers import SigningError, load_pem_chain, to_asn1

from .edxml import dsig

VERDICTS = {
    dsig.VALID: gettext_lazy("Chữ ký số hợp lệ"),
    dsig.MODIFIED: gettext_lazy("Gói tin bị sửa đổi sau khi ký"),
    dsig.UNTRUSTED: gettext_lazy("Chữ ký số không tin cậy"),
    dsig.UNSIGNED: gettext_lazy("Gói tin không có chữ ký số"),
}


def verdict_label(verdict: str) -> str:
    return str(VERDICTS.get(verdict, ""))


def credential_for(agency, chosen=None):
    """The agency's credential to sign packages with (the one chosen, else its first active one), or None."""
    if chosen is not None:
        return chosen
    return signing_selectors.agency_credentials(agency).order_by("pk").first()


@contextmanager
def package_signer(*, actor, credential, pin, obj=None):
    """A `sign` callable for `writer.write_document`, with the credential unlocked by `pin` for this
    action only. Refusals become ValidationError on `pin` (a wrong PIN, a remote credential, a token
    that does not open)."""
    certificates = [x509.load_pem_x509_certificate(credential.certificate_pem.encode()),
                    *load_pem_chain(credential.chain_pem)]
    try:
        with signing.unlocked_key(actor=actor, credential=credential, pin=pin, obj=obj, purpose="edxml") as key:
            yield lambda xml: dsig.sign(xml, key=key, certificates=certificates)
    except SigningError as exc:
        raise ValidationError({"pin": str(exc)}) from None


NOT_THE_PEERS = "not the peer's registered certificate"


def check(path: Path, doc, *, peer=None) -> dsig.Checked:
    """The package's signature: intact (else MODIFIED), then its certificate trusted — it chains to an
    active TrustedRoot, and when the package came from a peer with a pinned certificate it is that one."""
    checked = dsig.verify(Path(path), attachment_digests={a.content_id: a.sha256 for a in doc.attachments},
                          whole_limit=settings.QLVB_EXCHANGE_MAX_WHOLE_SIGNED_BYTES)
    if checked.verdict != dsig.VALID:
        return checked
    pinned = (peer.certificate_pem or "").strip() if peer is not None else ""
    if pinned:
        expected = x509.load_pem_x509_certificate(pinned.encode()).fingerprint(hashes.SHA256())
        if checked.certificate.fingerprint(hashes.SHA256()) != expected:
            checked.verdict, checked.reason = dsig.UNTRUSTED, NOT_THE_PEERS
            return checked
    if not _chains_to_trusted_root(checked.certificate, checked.chain):
        checked.verdict, checked.reason = dsig.UNTRUSTED, "certificate not under a trusted root"
    return checked


def _chains_to_trusted_root(certificate, chain) -> bool:
    roots = signing_selectors.trusted_roots()
    if not roots:
        return False
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    validator = CertificateValidator(to_asn1(certificate), intermediate_certs=[to_asn1(c) for c in chain],
                                     validation_context=context)
    try:
        asyncio.run(validator.async_validate_usage(set()))
    except Exception:  # not chained, expired, revoked when known: not trusted, whatever the detail
        return False
    return True
