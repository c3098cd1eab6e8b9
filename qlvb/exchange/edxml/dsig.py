"""XML-DSig of an edXML package by the sending agency (regulations-detail §3.2: enveloped, exc-c14n).

Why the signature covers the envelope and a digest of each attachment, not the whole file:
lxml caps a text node at 10 MB unless `huge_tree` is on, and signxml canonicalises the referenced nodes
in memory, so signing or checking a whole 70 MB package would hold it several times over. Our packages
are signed this way instead:

- `edXMLEnvelope` carries `Id="edXMLEnvelope"`; the `Signature` (last in `edXMLHeader`, as in the
  official sample) has one Reference `URI="#edXMLEnvelope"` with the enveloped-signature and exc-c14n
  transforms, RSA-SHA256, and KeyInfo/X509Data with the agency's certificate and its chain;
- each `edXMLManifest/Reference` (inside the envelope, so signed) carries `Size` and the SHA-256 of the
  attachment's decoded bytes (`DigestMethod` + `DigestValue`, as XML-DSig writes a digest);
- the attachments themselves (`AttachmentEncoded`, outside the envelope) are streamed: the reader
  hashes each one while decoding it, and `verify` compares with the signed manifest.

Only the envelope (a few kB) is ever parsed by lxml for signing or checking: `verify` reads the file
with `iterparse` and stops at the envelope's end, before the first attachment byte. A package signed by
another product over the whole document (`URI=""`) is checked in full, with `huge_tree`, only when its
file is at most `whole_limit` bytes (our own cap; the hardened reader has already refused DTDs and
entities), else it is reported as not verifiable (never as valid).
"""

import base64
import dataclasses
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

DS = "http://www.w3.org/2000/09/xmldsig#"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
ENVELOPE_ID = "edXMLEnvelope"
PLACEHOLDER = f'<Signature xmlns="{DS}" Id="placeholder"></Signature>'

VALID, MODIFIED, UNTRUSTED, UNSIGNED = "valid", "modified", "untrusted", "unsigned"


def digest_b64(sha256_hex: str) -> str:
    return base64.b64encode(bytes.fromhex(sha256_hex)).decode()


def sign(document_xml: bytes, *, key, certificates: list[x509.Certificate]) -> bytes:
    """Sign the small document (root + envelope with the placeholder, no attachments) and return it
    serialised. `key` is a private key object with cryptography's `sign(data, padding, algorithm)`
    (a PKCS#12 key, or an adapter over a token)."""
    from signxml import SignatureMethod, XMLSigner, methods
    from signxml.algorithms import CanonicalizationMethod, DigestAlgorithm

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, remove_blank_text=False)
    root = etree.fromstring(document_xml, parser)
    signer = XMLSigner(method=methods.enveloped, signature_algorithm=SignatureMethod.RSA_SHA256,
                       digest_algorithm=DigestAlgorithm.SHA256,
                       c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0)
    signed = signer.sign(root, key=key, cert=certificates, reference_uri=f"#{ENVELOPE_ID}", id_attribute="Id")
    return etree.tostring(signed, encoding="UTF-8", xml_declaration=True)


@dataclasses.dataclass
class Checked:
    """What `verify` found: the verdict, the signer's certificate (None when unsigned or unreadable), the
    chain given with it, and a short English reason for the logs (the pages word the verdict)."""

    verdict: str
    certificate: x509.Certificate | None = None
    chain: list[x509.Certificate] = dataclasses.field(default_factory=list)
    reason: str = ""
    covers_attachments: bool = False

    def summary(self) -> dict:
        cert = self.certificate
        return {"verdict": self.verdict, "reason": self.reason,
                "subject": cert.subject.rfc4514_string() if cert else "",
                "issuer": cert.issuer.rfc4514_string() if cert else "",
                "serial": format(cert.serial_number, "x") if cert else "",
                "not_after": cert.not_valid_after_utc.isoformat() if cert else "",
                "fingerprint": cert.fingerprint(hashes.SHA256()).hex() if cert else ""}


def _parser_kwargs(huge: bool) -> dict:
    return {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": huge}


def _envelope_root(path: Path):
    """The root with its envelope, read up to the envelope's end tag (attachments not read)."""
    with open(path, "rb") as handle:
        for _event, element in etree.iterparse(handle, events=("end",), **_parser_kwargs(False)):
            if etree.QName(element).localname == "edXMLEnvelope":
                return element.getroottree().getroot(), element
    return None, None


def _certificates(signature) -> list[x509.Certificate]:
    found = []
    for node in signature.iter(f"{{{DS}}}X509Certificate"):
        text = "".join((node.text or "").split())
        if text:
            found.append(x509.load_der_x509_certificate(base64.b64decode(text)))
    return found


def verify(path: Path, *, attachment_digests: dict[str, str], whole_limit: int) -> Checked:
    """Check the package file's XML-DSig: the signature value and references (MODIFIED when they do not
    match), the signed manifest digests against `attachment_digests` ({ContentId: SHA-256 hex} the reader
    computed while decoding). Trust of the certificate is the caller's (`Checked.certificate`).
    UNSIGNED when there is no Signature."""
    from signxml import XMLVerifier
    from signxml.exceptions import InvalidDigest, InvalidInput, InvalidSignature
    from signxml.verifier import SignatureConfiguration

    try:
        root, envelope = _envelope_root(path)
    except etree.XMLSyntaxError as exc:
        return Checked(MODIFIED, reason=f"unreadable: {exc}")
    if envelope is None:
        return Checked(UNSIGNED)
    signature = next(iter(envelope.iter(f"{{{DS}}}Signature")), None)
    if signature is None:
        return Checked(UNSIGNED)
    try:
        certificates = _certificates(signature)
    except ValueError:
        return Checked(MODIFIED, reason="certificate unreadable")
    if not certificates:
        return Checked(UNTRUSTED, reason="no certificate in KeyInfo")
    reference = next(iter(signature.iter(f"{{{DS}}}Reference")), None)
    uri = reference.get("URI") if reference is not None else None
    whole = uri == ""
    if whole:
        if path.stat().st_size > whole_limit:
            return Checked(UNTRUSTED, certificates[0], certificates[1:],
                           reason=f"whole-document signature over a file above {whole_limit} bytes not checked")
        root = etree.parse(str(path), etree.XMLParser(**_parser_kwargs(True))).getroot()
    elif uri != f"#{envelope.get('Id')}" or not envelope.get("Id"):
        return Checked(UNTRUSTED, certificates[0], certificates[1:], reason=f"reference {uri!r} not the envelope")
    # Weak algorithms (the official sample's rsa-sha1) are accepted for reading foreign packages; ours use SHA-256.
    from signxml import DigestAlgorithm, SignatureMethod

    config = SignatureConfiguration(signature_methods=frozenset(SignatureMethod),
                                    digest_algorithms=frozenset(DigestAlgorithm), location=".//")
    try:
        XMLVerifier().verify(root, x509_cert=certificates[0], id_attribute="Id", expect_config=config)
    except (InvalidSignature, InvalidDigest) as exc:
        return Checked(MODIFIED, certificates[0], certificates[1:], reason=str(exc)[:200])
    except InvalidInput as exc:
        return Checked(MODIFIED, certificates[0], certificates[1:], reason=f"invalid: {str(exc)[:200]}")
    if whole:
        return Checked(VALID, certificates[0], certificates[1:], covers_attachments=True)
    signed = _manifest_digests(envelope)
    if set(signed) != set(attachment_digests):
        if not signed and attachment_digests:
            return Checked(UNTRUSTED, certificates[0], certificates[1:], reason="attachments not covered")
        return Checked(MODIFIED, certificates[0], certificates[1:], reason="attachment list differs from manifest")
    for content_id, digest in attachment_digests.items():
        if signed[content_id] != digest_b64(digest):
            return Checked(MODIFIED, certificates[0], certificates[1:], reason=f"attachment {content_id} changed")
    return Checked(VALID, certificates[0], certificates[1:], covers_attachments=True)


def _manifest_digests(envelope) -> dict[str, str]:
    found = {}
    for reference in envelope.iter():
        if not isinstance(reference.tag, str) or etree.QName(reference).localname != "Reference" \
                or etree.QName(reference).namespace == DS:
            continue
        values = {etree.QName(c).localname: (c.text or "").strip() for c in reference if isinstance(c.tag, str)}
        if values.get("DigestValue"):
            found[values.get("ContentId", "")] = values["DigestValue"]
    return found


def pem(certificate: x509.Certificate) -> str:
    return certificate.public_bytes(Encoding.PEM).decode()
