"""REST API of the signing app: verify a PDF's signatures."""

from ninja import File, Router, Schema
from ninja.files import UploadedFile

from . import services

router = Router(tags=["Chữ ký số"])


class SignatureOut(Schema):
    field: str
    signer: str
    subject: str
    issuer: str
    signing_time: str
    intact: bool
    trusted: bool
    coverage: str
    modification: str
    verdict: str


class VerificationOut(Schema):
    sha256: str
    verdict: str
    verdict_display: str
    signatures: list[SignatureOut]


def _out(verification) -> dict:
    return {"sha256": verification.sha256, "verdict": verification.verdict,
            "verdict_display": verification.get_verdict_display(), "signatures": verification.signatures}


@router.post("/verify", response=VerificationOut, summary="Kiểm tra chữ ký số của tệp PDF",
             description="verdict: valid (intact, trusted), modified (changed after signing), untrusted (signer "
                         "not under a trusted root), unsigned. The file is not kept; the result is, by SHA-256.")
def verify(request, file: File[UploadedFile] = None):
    return _out(services.verify_upload(upload=file))
