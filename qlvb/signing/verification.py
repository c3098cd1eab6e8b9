"""Checking the signatures of a PDF: who signed, when, whether the bytes are intact, what each signature
covers, and whether its certificate chains to a root the administrator trusts (`TrustedRoot`).

`verify_pdf` is pure (bytes and roots in, a result out); `services.verify_blob` stores the result per
content and is what the incoming registration should call for every PDF attached.
"""

import hashlib
import logging
from dataclasses import asdict, dataclass, field
from io import BytesIO

from asn1crypto import x509 as asn1_x509
from django.utils.translation import gettext as _
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.errors import SignatureValidationError
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from .models import Verdict
from .signers import SigningError

log = logging.getLogger(__name__)

COVERAGE = {
    SignatureCoverageLevel.ENTIRE_FILE: "entire_file",
    SignatureCoverageLevel.ENTIRE_REVISION: "entire_revision",
    SignatureCoverageLevel.CONTIGUOUS_BLOCK_FROM_START: "partial",
    SignatureCoverageLevel.UNCLEAR: "unclear",
}
# Changes after a signature that leave it valid: form filling (the number and date placed by the clerk,
# later signatures) and less. Anything else (ANNOTATIONS is not whitelisted, OTHER) counts as modified.
ACCEPTED_CHANGES = {ModificationLevel.NONE, ModificationLevel.LTA_UPDATES, ModificationLevel.FORM_FILLING}


class UnreadablePdf(SigningError):
    pass


@dataclass
class SignatureInfo:
    field: str
    signer: str
    subject: str
    issuer: str
    signing_time: str  # ISO 8601, Vietnam time as the signer's machine reported it
    intact: bool
    trusted: bool
    coverage: str
    modification: str
    verdict: str


@dataclass
class VerificationResult:
    verdict: str
    signatures: list[SignatureInfo] = field(default_factory=list)

    def as_json(self) -> list[dict]:
        return [asdict(s) for s in self.signatures]


def roots_version(roots: list[asn1_x509.Certificate]) -> str:
    """Changes when the trusted roots change, so a stored result can be recomputed."""
    return hashlib.sha256("".join(sorted(r.sha256.hex() for r in roots)).encode()).hexdigest()


def _signature_info(embedded, roots) -> SignatureInfo:
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=roots, allow_fetching=False))
    cert = embedded.signer_cert
    accepted = status.modification_level in ACCEPTED_CHANGES or status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    intact = bool(status.intact and status.valid and accepted)
    trusted = bool(status.trusted)
    when = status.signer_reported_dt
    return SignatureInfo(
        field=embedded.field_name, signer=cert.subject.native.get("common_name", ""),
        subject=cert.subject.human_friendly, issuer=cert.issuer.human_friendly,
        signing_time=when.astimezone(_vn()).isoformat() if when else "",
        intact=intact, trusted=trusted, coverage=COVERAGE.get(status.coverage, "unclear"),
        modification=status.modification_level.name if status.modification_level else "",
        verdict=Verdict.MODIFIED if not intact else Verdict.VALID if trusted else Verdict.UNTRUSTED,
    )


def _vn():
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Ho_Chi_Minh")


def verify_pdf(pdf_bytes: bytes, *, roots: list[asn1_x509.Certificate]) -> VerificationResult:
    """Each signature's signer, time, integrity, coverage and trust under `roots`, and one verdict for the
    file: modified if any signature is broken (or the file changed in a way it does not allow), else not
    trusted if any signer does not chain to a trusted root, else valid; unsigned without signatures."""
    try:
        reader = PdfFileReader(BytesIO(pdf_bytes), strict=False)
        embedded = reader.embedded_signatures
    except Exception as exc:
        raise UnreadablePdf(_("Không đọc được tệp PDF (%(error)s).") % {"error": type(exc).__name__}) from None
    infos = []
    for sig in embedded:
        try:
            infos.append(_signature_info(sig, roots))
        except (SignatureValidationError, ValueError, KeyError) as exc:
            log.info("signature %s unreadable: %s", sig.field_name, type(exc).__name__)
            infos.append(SignatureInfo(sig.field_name, "", "", "", "", False, False, "unclear", "",
                                       Verdict.MODIFIED))
    if not infos:
        return VerificationResult(Verdict.UNSIGNED)
    verdicts = {i.verdict for i in infos}
    overall = next(v for v in (Verdict.MODIFIED, Verdict.UNTRUSTED, Verdict.VALID) if v in verdicts)
    return VerificationResult(overall, infos)
