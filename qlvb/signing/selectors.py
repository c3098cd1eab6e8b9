"""Reads of the signing app."""

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.utils import timezone

from .models import SigningCredential, TrustedRoot, Verification


def trusted_roots() -> list[asn1_x509.Certificate]:
    """The roots signatures are trusted under: active, not expired. Not a guarded model: any signed-in
    person may see which roots the agency trusts."""
    rows = TrustedRoot.objects.filter(is_active=True, not_after__gt=timezone.now()).values_list(
        "certificate_pem", flat=True)
    return [asn1_x509.Certificate.load(x509.load_pem_x509_certificate(pem.encode()).public_bytes(Encoding.DER))
            for pem in rows]


def credentials_of(person):
    """The active credentials `person` signs with."""
    return SigningCredential.objects.filter(owner=person, status=SigningCredential.Status.ACTIVE)


def agency_credentials(agency):
    return SigningCredential.objects.filter(agency=agency, owner__isnull=True,
                                            status=SigningCredential.Status.ACTIVE)


def verification_of(sha256: str) -> Verification | None:
    return Verification.objects.filter(pk=sha256).first()


def verifications_for(sha256s) -> dict[str, Verification]:
    """The stored signature checks of these contents, by SHA-256 (missing: not checked yet, or not a PDF)."""
    return {v.sha256: v for v in Verification.objects.filter(pk__in=list(sha256s))}
