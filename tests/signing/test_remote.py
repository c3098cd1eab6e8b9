"""Remote signing (SmartCA-shaped, ../shared/reference/remote-signing.md) against the local reference CA:
the hash of the signed attributes goes out, the holder confirms (after a delay), refuses, or never
answers; nothing is signed without the confirmation."""

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from qlvb.files.storage import open_verified
from qlvb.signing import services, verification
from qlvb.signing.models import RemoteSigningRequest, Verdict
from qlvb.signing.remote_reference import CONFIRM, IGNORE, REFUSE, ReferenceCA
from qlvb.signing.selectors import trusted_roots
from qlvb.signing.signers import SigningRefused, SigningTimedOut
from tests.signing.conftest import LEADER_BOX, document_pdf, issued, root

USER_ID = "001234567890"  # the holder's CCCD, as SmartCA names them


@pytest.fixture
def reference_ca(settings):
    ca = ReferenceCA()
    with ca.running() as url:
        settings.QLVB_SIGNING_REMOTE = {"refca": {"kind": "smartca", "url": url, "sp_id": ca.sp_id,
                                                  "sp_password": ca.sp_password}}
        settings.QLVB_SIGNING_REMOTE_POLL = 0.05
        settings.QLVB_SIGNING_REMOTE_TIMEOUT = 1
        yield ca


@pytest.fixture
def remote_credential(demo, agency, admin_person, trusted):
    leader = issued("Trần Thị Mai (DEMO)")
    return services.register_remote(
        actor=admin_person, agency=agency, owner=demo["pgd.mai"], provider="refca", user_id=USER_ID,
        certificate_pem=leader.cert.public_bytes(Encoding.PEM).decode(),
        chain_pem=root().cert.public_bytes(Encoding.PEM).decode())


def holder(ca, behaviour, delay=0.2):
    ca.add_user(USER_ID, issued("Trần Thị Mai (DEMO)").key, behaviour=behaviour, delay=delay)


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
