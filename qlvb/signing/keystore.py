"""Encryption at rest of the private keys imported from PKCS#12 files.

The key is kept as PKCS#8 protected by the PKCS#12's password (the holder's PIN: PBES2, AES-256), and
encrypted again with AES-256-GCM under a key derived (HKDF-SHA256, a fresh salt per record) from QLVB_SIGNING_KEY, or
SECRET_KEY when that is unset. HKDF fits because the input is a long random secret, not a password. A
copy of the database alone gives neither layer; the server alone cannot sign without the PIN.
"""

import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    PrivateFormat,
    load_der_private_key,
)
from django.conf import settings

VERSION = b"\x01"
INFO = b"qlvb-signing-pkcs12-v1"


def _key(salt: bytes) -> bytes:
    secret = (settings.QLVB_SIGNING_KEY or settings.SECRET_KEY).encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=INFO).derive(secret)


def wrap_key(key, pin: str) -> bytes:
    """The private key under the PIN, then sealed. The key was fully checked when its PKCS#12 was read;
    the seal's authentication tag protects it since, so unlocking can skip the slow RSA consistency check
    (a third of the time of a signature otherwise)."""
    return seal(key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, BestAvailableEncryption(pin.encode())))


def unwrap_key(blob: bytes, pin: str):
    """The private key, or ValueError when the PIN is wrong."""
    try:
        return load_der_private_key(unseal(blob), pin.encode(), unsafe_skip_rsa_key_validation=True)
    except TypeError:  # no password given for an encrypted key
        raise ValueError("PIN required") from None


def seal(data: bytes) -> bytes:
    salt, nonce = os.urandom(16), os.urandom(12)
    return VERSION + salt + nonce + AESGCM(_key(salt)).encrypt(nonce, data, VERSION)


def unseal(blob: bytes) -> bytes:
    """The stored bytes, or `cryptography.exceptions.InvalidTag` if the key changed or they were altered."""
    blob = bytes(blob)
    salt, nonce, body = blob[1:17], blob[17:29], blob[29:]
    return AESGCM(_key(salt)).decrypt(nonce, body, blob[:1])
