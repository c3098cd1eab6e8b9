"""Certificates for the demo and the tests: a root CA, an agency certificate, one per leader.

Real certificates come from a licensed CA (VNPT, Viettel, the Government CA); these are marked DEMO in
the subject so nobody mistakes a demo signature for a legal one.
"""

import datetime as dt
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

DEMO_ROOT_NAME = "QLVB DEMO CA"
KEY_SIZE = 2048


@dataclass
class Issued:
    """A certificate and its private key."""

    cert: x509.Certificate
    key: rsa.RSAPrivateKey

    def pkcs12(self, password: str, chain=(), name: str = "") -> bytes:
        return pkcs12.serialize_key_and_certificates(
            (name or self.common_name).encode(), self.key, self.cert, list(chain),
            serialization.BestAvailableEncryption(password.encode()),
        )

    @property
    def common_name(self) -> str:
        return self.cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value


def _name(common_name: str, organisation: str, unit: str = "") -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
             x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation)]
    if unit:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit))
    attrs.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attrs)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def make_root(common_name: str = DEMO_ROOT_NAME, *, years: int = 20) -> Issued:
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    name = _name(common_name, "QLVB DEMO")
    start = _now() - dt.timedelta(days=1)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(start + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Issued(cert, key)


def issue(root: Issued, common_name: str, *, organisation: str, unit: str = "DEMO", years: int = 5) -> Issued:
    """An end-entity signing certificate (digital signature + non-repudiation) under `root`."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    start = _now() - dt.timedelta(days=1)
    cert = (
        x509.CertificateBuilder().subject_name(_name(common_name, organisation, unit))
        .issuer_name(root.cert.subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start).not_valid_after(start + dt.timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root.key.public_key()), critical=False)
        .sign(root.key, hashes.SHA256())
    )
    return Issued(cert, key)
