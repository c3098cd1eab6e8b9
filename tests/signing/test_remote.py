"""Remote signing (SmartCA-shaped, ../shared/reference/remote-signing.md) against the local reference CA:
the hash of the signed attributes goes out, the holder confirms (after a delay), refuses, or never
answers; nothing is signed without the confirmation."""

import pytest

from qlvb.files.storage import open_verified
from qlvb.signing import services, verification
from qlvb.signing.models import RemoteSigningRequest, Verdict
from qlvb.signing.remote_reference import CONFIRM, IGNORE, REFUSE
from qlvb.signing.selectors import trusted_roots
from qlvb.signing.signers import SigningRefused, SigningTimedOut
from tests.signing.conftest import LEADER_BOX, document_pdf, holder


def sign(demo, credential):
    return services.sign_document(actor=demo["pgd.mai"], credential=credential, pdf_bytes=document_pdf(),
                                  field_name="LanhDao", box=LEADER_BOX, pin=None)


def test_confirmed_on_the_phone_gives_a_valid_signature(demo, reference_ca, remote_credential):
    holder(reference_ca, CONFIRM, delay=0.3)

    result = verification.verify_pdf(sign(demo, remote_credential), roots=trusted_roots())

    assert result.verdict == Verdict.VALID
    assert len(reference_ca.requests) == 1  # one hash sent, never the PDF


def test_refused_on_the_phone_signs_nothing(demo, reference_ca, remote_credential):
    holder(reference_ca, REFUSE)

    with pytest.raises(SigningRefused, match="từ chối"):
        sign(demo, remote_credential)


def test_no_answer_times_out(demo, reference_ca, remote_credential):
    holder(reference_ca, IGNORE)

    with pytest.raises(SigningTimedOut, match="Hết thời gian chờ"):
        sign(demo, remote_credential)


def test_two_steps_request_then_poll_until_signed(demo, reference_ca, remote_credential, settings):
    """The page form: the request is stored, each poll asks once; the PDF is finished on confirmation."""
    holder(reference_ca, CONFIRM, delay=0.5)
    settings.QLVB_SIGNING_REMOTE_TIMEOUT = 60
    request = services.request_remote_signature(actor=demo["pgd.mai"], credential=remote_credential,
                                                pdf_bytes=document_pdf(), field_name="LanhDao", box=LEADER_BOX)

    assert services.poll_remote_signature(request=request).status == RemoteSigningRequest.Status.PENDING
    import time

    time.sleep(0.6)  # the holder confirms after 0.5 s
    request = services.poll_remote_signature(request=request)

    assert request.status == RemoteSigningRequest.Status.SIGNED
    signed = open_verified(request.result_pdf)
    assert verification.verify_pdf(signed, roots=trusted_roots()).verdict == Verdict.VALID
    assert services.poll_remote_signature(request=request).result_pdf == request.result_pdf  # idempotent


def test_two_steps_refused(demo, reference_ca, remote_credential):
    holder(reference_ca, REFUSE, delay=0)
    request = services.request_remote_signature(actor=demo["pgd.mai"], credential=remote_credential,
                                                pdf_bytes=document_pdf(), field_name="LanhDao", box=LEADER_BOX)

    request = services.poll_remote_signature(request=request)

    assert request.status == RemoteSigningRequest.Status.REFUSED and request.result_pdf is None
