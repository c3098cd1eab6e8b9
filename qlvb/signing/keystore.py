"""Encryption at rest of imported PKCS#12 files.

The file is kept as imported, still protected by its password (the holder's PIN), and encrypted again
with AES-256-GCM under a key derived (HKDF-SHA256, a fresh salt per record) from QLVB_SIGNING_KEY, or
SECRET_KEY when that is unset. HKDF fits because the input is a long random secret, not a password. A
copy of the database alone gives neither layer; the server alone cannot sign without the PIN.
"""

import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

VERSION = b"\x01"
INFO = b"qlvb-signing-pkcs12-v1"


def _key(salt: bytes) -> bytes:
    secret = (settings.QLVB_SIGNING_KEY or settings.SECRET_KEY).encode()
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=INFO).derive(secret)


def seal(data: bytes) -> bytes:
    salt, nonce = os.urandom(16), os.urandom(12)
    return VERSION + salt + nonce + AESGCM(_key(salt)).encrypt(nonce, data, VERSION)


def unseal(blob: bytes) -> bytes:
    """The stored bytes, or `cryptography.exceptions.InvalidTag` if the key changed or they were altered."""
    blob = bytes(blob)
    salt, nonce, body = blob[1:17], blob[17:29], blob[29:]
    return AESGCM(_key(salt)).decrypt(nonce, body, blob[:1])
