"""One interface, `Signer`, over the three ways a person or the agency holds a key.

- `Pkcs12Signer`: a PKCS#12 file imported with its password and kept encrypted at rest (`keystore`); the
  holder's PIN (the file's password) unlocks it for one action.
- `Pkcs11Signer`: a token or HSM reached through a PKCS#11 module (python-pkcs11, through pyHanko); the
  PIN is the token's user PIN.
- `RemoteSigner`: a remote signing service (`remote.py`: VNPT SmartCA and the like); the holder confirms
  on their phone, no PIN reaches us.

`session(pin=…)` is a context manager giving a pyHanko signer that lives only inside the `with` block, so
no unlocked key outlives the action that needed it. A wrong PIN raises `WrongPin`; the caller
(`services.sign_document`) counts and rate-limits those. A PIN is never logged or stored.
"""

from contextlib import contextmanager
from functools import lru_cache

from asn1crypto import cms, tsp
from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.utils.translation import gettext as _
from pyhanko.sign import attributes, signers
from pyhanko.sign.general import as_signing_certificate_v2, get_pyca_cryptography_hash
from pyhanko_certvalidator.registry import SimpleCertificateStore

from . import keystore


class SigningError(Exception):
    """Signing did not happen; `str(error)` is a Vietnamese sentence for the person who tried."""


class WrongPin(SigningError):
    pass


class SigningRefused(SigningError):
    pass


class SigningTimedOut(SigningError):
    pass


def to_asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def load_pem_chain(pem: str) -> list[x509.Certificate]:
    return x509.load_pem_x509_certificates(pem.encode()) if pem and pem.strip() else []


class Signer:
    """A key that signs for one person or the agency. Subclasses implement `session`."""

    def __init__(self, *, certificate: x509.Certificate, chain=(), display_name: str = ""):
        self.certificate = certificate
        self.chain = list(chain)
        self.display_name = display_name

    def cert_registry(self) -> SimpleCertificateStore:
        return SimpleCertificateStore.from_certs([to_asn1(c) for c in self.chain])

    def session(self, *, pin: str | None):
        """A context manager yielding a pyHanko `Signer`; raises `SigningError`."""
        raise NotImplementedError


class Pkcs12Signer(Signer):
    """A PKCS#12 file, encrypted at rest; its password is the holder's PIN."""

    def __init__(self, *, encrypted_key: bytes, **kwargs):
        super().__init__(**kwargs)
        self._sealed = encrypted_key

    @contextmanager
    def session(self, *, pin):
        if not pin:
            raise WrongPin(_("Hãy nhập mã PIN của chứng thư số."))
        try:
            key = keystore.unwrap_key(self._sealed, pin)
        except ValueError:
            raise WrongPin(_("Mã PIN không đúng.")) from None
        der = key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
        yield _LoadedKeySigner(
            key, signing_cert=to_asn1(self.certificate), signing_key=asn1_keys.PrivateKeyInfo.load(der),
            cert_registry=self.cert_registry(),
        )


class _EncodedOnce:
    """Signed attributes built from DER, not from Python values. asn1crypto re-encodes a value built from
    Python values (a dict) each time a parent reads it, down to every leaf, so building the CMS for one
    signature re-encoded the signing-certificate attribute hundreds of times: two thirds of the time of a
    signature. The same bytes, parsed back, are encoded once; the certificate's attribute (its hash and
    issuer, RFC 5035) is the same for every signature with that certificate, so it is made once per
    process. What is signed and embedded is byte for byte what pyHanko builds."""

    def _signed_attr_providers(self, *args, **kwargs):
        for provider in super()._signed_attr_providers(*args, **kwargs):
            if type(provider) is attributes.SigningCertificateV2Provider:
                provider = _KnownSigningCertificate(provider.signing_cert)
            yield provider

    async def signed_attrs(self, *args, **kwargs):
        built = await super().signed_attrs(*args, **kwargs)
        return cms.CMSAttributes.load(built.dump())


class _KnownSigningCertificate(attributes.SigningCertificateV2Provider):
    async def build_attr_value(self, dry_run=False):
        return tsp.SigningCertificateV2.load(_signing_certificate_v2(self.signing_cert.dump()))


@lru_cache(maxsize=64)
def _signing_certificate_v2(cert_der: bytes) -> bytes:
    return as_signing_certificate_v2(asn1_x509.Certificate.load(cert_der)).dump()


class _LoadedKeySigner(_EncodedOnce, signers.SimpleSigner):
    """pyHanko's SimpleSigner re-parses (and re-checks) the private key at every signature it makes, which
    was a third of the signing time; this one signs RSA PKCS#1 v1.5 with the key already loaded."""

    def __init__(self, key, **kwargs):
        super().__init__(**kwargs)
        self._key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, padding.PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
        return super().sign_raw(data, digest_algorithm)


class Pkcs11Signer(Signer):
    """A key on a PKCS#11 token (USB token, HSM; SoftHSM2 in the tests)."""

    def __init__(self, *, module: str, token_label: str, key_label: str, **kwargs):
        super().__init__(**kwargs)
        self.module, self.token_label, self.key_label = module, token_label, key_label

    @contextmanager
    def session(self, *, pin):
        from pkcs11 import exceptions as p11
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

        if not pin:
            raise WrongPin(_("Hãy nhập mã PIN của thiết bị ký số."))
        try:
            session = open_pkcs11_session(self.module, token_criteria=TokenCriteria(label=self.token_label),
                                          user_pin=pin)
        except (p11.PinIncorrect, p11.PinInvalid, p11.PinLenRange):
            raise WrongPin(_("Mã PIN của thiết bị ký số không đúng.")) from None
        except p11.PinLocked:
            raise SigningError(_("Thiết bị ký số đã bị khóa mã PIN; hãy liên hệ quản trị.")) from None
        except Exception as exc:  # the module, slot or token is missing: say so, never the PIN
            raise SigningError(_("Không mở được thiết bị ký số “%(token)s” (%(error)s).")
                               % {"token": self.token_label, "error": type(exc).__name__}) from None
        try:
            yield PKCS11Signer(session, key_label=self.key_label, signing_cert=to_asn1(self.certificate),
                               other_certs_to_pull=(), ca_chain=[to_asn1(c) for c in self.chain])
        finally:
            session.close()


class RemoteSigner(Signer):
    """A key at a remote signing service. `session` signs in one blocking call (send the hash, poll until
    the holder confirms); pages use the two-step form in `remote.py` instead."""

    def __init__(self, *, adapter, user_id: str, description: str = "", timeout: float | None = None,
                 poll_interval: float = 2, **kwargs):
        super().__init__(**kwargs)
        self.adapter, self.user_id, self.description = adapter, user_id, description
        self.timeout, self.poll_interval = timeout, poll_interval

    @contextmanager
    def session(self, *, pin=None):
        from .remote import BlockingRemoteSigner

        yield BlockingRemoteSigner(self)
