"""Signing with a key held on a PKCS#11 token, for real: a SoftHSM2 token made in a temporary
directory (SOFTHSM2_CONF), the demo key imported into it, signed with the token's user PIN."""

import shutil
import subprocess

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from qlvb.signing import services, verification
from qlvb.signing.models import Verdict
from qlvb.signing.selectors import trusted_roots
from qlvb.signing.signers import WrongPin
from tests.signing.conftest import LEADER_BOX, document_pdf, issued, root

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN, KEY, USER_PIN = "qlvb-test", "mai-signing", "2468"

pytestmark = pytest.mark.skipif(not shutil.which("softhsm2-util"), reason="softhsm2 is installed by bootstrap.sh test")


@pytest.fixture(scope="module")
def softhsm(tmp_path_factory):
    """One token per test module (the PKCS#11 library initialises once per process)."""
    home = tmp_path_factory.mktemp("softhsm")
    (home / "tokens").mkdir()
    conf = home / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {home / 'tokens'}\nobjectstore.backend = file\nlog.level = ERROR\n")
    env = {"SOFTHSM2_CONF": str(conf), "PATH": "/usr/bin:/bin"}
    key_pem = home / "key.pem"
    key_pem.write_bytes(issued("Trần Thị Mai (DEMO)").key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8,
                                                                        NoEncryption()))
    run = lambda *args: subprocess.run(["softhsm2-util", *args], env=env, check=True, capture_output=True,  # noqa: E731
                                       timeout=60)
    run("--init-token", "--free", "--label", TOKEN, "--so-pin", "13579", "--pin", USER_PIN)
    run("--import", str(key_pem), "--token", TOKEN, "--label", KEY, "--id", "01", "--pin", USER_PIN)
    key_pem.unlink()
    patch = pytest.MonkeyPatch()
    patch.setenv("SOFTHSM2_CONF", str(conf))
    yield conf
    patch.undo()


@pytest.fixture
def token_credential(softhsm, demo, agency, admin_person, trusted, settings):
    settings.QLVB_SIGNING_PKCS11_MODULE = MODULE
    return services.register_pkcs11(
        actor=admin_person, agency=agency, owner=demo["pgd.mai"], token_label=TOKEN, key_label=KEY,
        certificate_pem=issued("Trần Thị Mai (DEMO)").cert.public_bytes(Encoding.PEM).decode(),
        chain_pem=root().cert.public_bytes(Encoding.PEM).decode())


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
