"""Signing with a key held on a PKCS#11 token, for real: a SoftHSM2 token made in a temporary
directory (SOFTHSM2_CONF), the demo key imported into it, signed with the token's user PIN."""

import shutil

import pytest

from qlvb.signing import services, verification
from qlvb.signing.models import Verdict
from qlvb.signing.selectors import trusted_roots
from qlvb.signing.signers import WrongPin
from tests.signing.conftest import LEADER_BOX, USER_PIN, document_pdf

pytestmark = pytest.mark.skipif(not shutil.which("softhsm2-util"), reason="softhsm2 is installed by bootstrap.sh test")


def test_signing_with_the_token_and_its_pin(demo, token_credential):
    signed = services.sign_document(actor=demo["pgd.mai"], credential=token_credential, pdf_bytes=document_pdf(),
                                    field_name="LanhDao", box=LEADER_BOX, pin=USER_PIN)

    result = verification.verify_pdf(signed, roots=trusted_roots())
    assert result.verdict == Verdict.VALID
    assert result.signatures[0].signer == "Trần Thị Mai (DEMO)"


def test_a_wrong_token_pin_signs_nothing(demo, token_credential):
    with pytest.raises(WrongPin, match="Mã PIN của thiết bị ký số không đúng"):
        services.sign_document(actor=demo["pgd.mai"], credential=token_credential, pdf_bytes=document_pdf(),
                               field_name="LanhDao", box=LEADER_BOX, pin="0000")
