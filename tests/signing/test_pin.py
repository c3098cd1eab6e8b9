"""Without the PIN nothing is signed; a wrong PIN says so in Vietnamese and is rate-limited; only the
holder signs with a personal certificate and only the clerk with the agency's (Decree 30 Art 32.2.d)."""

import pytest
from django.core.exceptions import PermissionDenied

from qlvb.audit.models import AuditEntry
from qlvb.signing import services
from qlvb.signing.signers import SigningError, WrongPin
from tests.signing.conftest import LEADER_BOX, PIN, document_pdf


def sign(actor, credential, pin):
    return services.sign_document(actor=actor, credential=credential, pdf_bytes=document_pdf(),
                                  field_name="LanhDao", box=LEADER_BOX, pin=pin)


def test_wrong_pin_is_refused_with_a_clear_message(demo, leader_credential):
    with pytest.raises(WrongPin) as error:
        sign(demo["pgd.mai"], leader_credential, "000000")

    assert str(error.value) == "Mã PIN không đúng. Còn 4 lần thử."
    entry = AuditEntry.objects.filter(action="signing.wrong_pin").get()
    assert "000000" not in str(entry.changes) and PIN not in str(entry.changes)


def test_no_pin_signs_nothing(demo, leader_credential):
    with pytest.raises(WrongPin, match="Hãy nhập mã PIN"):
        sign(demo["pgd.mai"], leader_credential, "")


def test_after_too_many_wrong_pins_even_the_right_one_waits(demo, leader_credential, settings):
    settings.QLVB_SIGNING_PIN_LIMIT = 3
    for _ in range(2):
        with pytest.raises(WrongPin):
            sign(demo["pgd.mai"], leader_credential, "wrong")
    with pytest.raises(SigningError, match="Đã sai 3 lần: tạm khóa ký số"):
        sign(demo["pgd.mai"], leader_credential, "wrong")

    with pytest.raises(SigningError, match="Đã nhập sai mã PIN quá 3 lần"):
        sign(demo["pgd.mai"], leader_credential, PIN)


def test_right_pin_signs_and_is_audited(demo, leader_credential):
    signed = sign(demo["pgd.mai"], leader_credential, PIN)

    assert signed.startswith(document_pdf())
    entry = AuditEntry.objects.filter(action="signing.signed").get()
    assert entry.actor == demo["pgd.mai"] and entry.changes["field"] == "LanhDao"


def test_only_the_holder_signs_with_a_personal_certificate(demo, leader_credential):
    with pytest.raises(PermissionDenied):
        sign(demo["pgd.minh"], leader_credential, PIN)


def test_only_the_clerk_signs_with_the_agencys_certificate(demo, agency_credential):
    with pytest.raises(PermissionDenied):
        sign(demo["giamdoc"], agency_credential, PIN)
    assert sign(demo["vanthu"], agency_credential, PIN)


def test_the_key_is_encrypted_at_rest(demo, leader_credential, settings):
    """The stored bytes open neither without the server key nor with another one."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.serialization import load_der_private_key

    from qlvb.signing import keystore

    stored = bytes(leader_credential.encrypted_key)
    with pytest.raises(ValueError):
        load_der_private_key(stored, PIN.encode())
    settings.QLVB_SIGNING_KEY = "another key"
    with pytest.raises(InvalidTag):
        keystore.unseal(stored)
