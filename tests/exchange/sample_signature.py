"""An XML-DSig written by hand the way the official sample package is signed (regulations-detail §3.2:
enveloped, over the whole document `URI=""`, exc-c14n, rsa-sha1/sha1, the certificate in
KeyInfo/X509Data, `Signature` unprefixed last in edXMLHeader) — with lxml's canonicalisation and
cryptography, not signxml nor our `dsig` — so that the receiving side is tested against a signature
another product made."""

import base64
import hashlib

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.serialization import Encoding
from lxml import etree

DS = "http://www.w3.org/2000/09/xmldsig#"
EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
EDXML = "http://www.mic.gov.vn/TBT/QCVN_102_2016"


def _sub(parent, name, text=None, **attrs):
    node = etree.SubElement(parent, f"{{{DS}}}{name}", attrs)
    node.text = text
    return node


def _c14n(node) -> bytes:
    return etree.tostring(node, method="c14n", exclusive=True, with_comments=False)


def sign_whole(data: bytes, *, key, certificates) -> bytes:
    """`data` (a package without signature) signed over the whole document, as the official sample."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)
    root = etree.fromstring(data, parser)
    header = root.find(f"{{{EDXML}}}edXMLEnvelope/{{{EDXML}}}edXMLHeader")
    for old in header.findall(f"{{{DS}}}Signature"):  # the sample's placeholder
        header.remove(old)
    # Enveloped signature over URI="": the document without the Signature, canonicalised.
    digest = base64.b64encode(hashlib.sha1(_c14n(etree.ElementTree(root))).digest()).decode()  # noqa: S324
    signature = etree.SubElement(header, f"{{{DS}}}Signature", nsmap={None: DS})
    signed_info = _sub(signature, "SignedInfo")
    _sub(signed_info, "CanonicalizationMethod", Algorithm=EXC_C14N)
    _sub(signed_info, "SignatureMethod", Algorithm=f"{DS}rsa-sha1")
    reference = _sub(signed_info, "Reference", URI="")
    transforms = _sub(reference, "Transforms")
    _sub(transforms, "Transform", Algorithm=f"{DS}enveloped-signature")
    _sub(transforms, "Transform", Algorithm=EXC_C14N)
    _sub(reference, "DigestMethod", Algorithm=f"{DS}sha1")
    _sub(reference, "DigestValue", digest)
    value = key.sign(_c14n(signed_info), padding.PKCS1v15(), hashes.SHA1())  # noqa: S303 - the sample's algorithm
    _sub(signature, "SignatureValue", base64.b64encode(value).decode())
    data_node = _sub(_sub(signature, "KeyInfo"), "X509Data")
    _sub(data_node, "X509SubjectName", certificates[0].subject.rfc4514_string())
    for certificate in certificates:
        _sub(data_node, "X509Certificate", base64.b64encode(certificate.public_bytes(Encoding.DER)).decode())
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)
