"""Signing fixtures: a demo CA made once per test session (RSA keys take time), a Vietnamese one-page
PDF rendered by WeasyPrint, and the credentials imported through the administrator's service."""

import shutil
import subprocess
from functools import cache

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from qlvb.signing import ca, demo_images, services
from qlvb.signing.remote_reference import CONFIRM, ReferenceCA

PIN = "2468-pin"
A4 = (595.28, 841.89)
# Measured on the rendered fixture: the gap after "Số:", the right half of the same row (Annex I puts
# the date line there), and the space between "PHÓ GIÁM ĐỐC" and the signer's name (ô 7c).
NUMBER_BOX = (0, (110.0, 716.0, 133.0, 732.0))
DATE_BOX = (0, (300.0, 716.0, 552.0, 732.0))
LEADER_BOX = (0, (440.0, 532.0, 558.0, 590.0))


@cache
def root() -> ca.Issued:
    return ca.make_root()


@cache
def issued(name: str) -> ca.Issued:
    return ca.issue(root(), name, organisation="Sở Giao thông vận tải tỉnh Bắc Kạn")


@cache
def stranger_root_and_leaf() -> tuple[ca.Issued, ca.Issued]:
    other = ca.make_root("Unknown CA")
    return other, ca.issue(other, "Người lạ (DEMO)", organisation="Nowhere")


@cache
def document_pdf() -> bytes:
    """A decision with the number and date left blank, as the render step leaves them for the clerk."""
    from weasyprint import HTML

    html = """<html><head><style>
      @page { size: A4; margin: 20mm 15mm 20mm 30mm }
      body { font-family: 'Liberation Serif'; font-size: 13pt }
      .right { text-align: right } .centre { text-align: center }
    </style></head><body>
      <p>UBND TỈNH BẮC KẠN<br><b>SỞ GIAO THÔNG VẬN TẢI</b></p>
      <p>Số: &nbsp; &nbsp; &nbsp; &nbsp;/QĐ-SGTVT</p>
      <p class="centre"><b>QUYẾT ĐỊNH</b><br>Về việc phê duyệt kế hoạch bảo trì đường bộ năm 2026</p>
      <p>Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;</p>
      <p class="right">KT. GIÁM ĐỐC<br>PHÓ GIÁM ĐỐC<br><br><br><br><br>Trần Thị Mai</p>
    </body></html>"""
    return HTML(string=html).write_pdf()


def root_pem() -> bytes:
    return root().cert.public_bytes(Encoding.PEM)


@pytest.fixture
def trusted(db):
    return services.add_trusted_root(actor=None, data=root_pem(), name="Test root")


@pytest.fixture
def admin_person(demo):
    from qlvb.organization.models import Role
    from qlvb.organization.selectors import people_with_role

    return people_with_role(Role.ADMIN).first()


@pytest.fixture
def leader_credential(demo, agency, admin_person, trusted):
    person = demo["pgd.mai"]
    credential = services.import_pkcs12(actor=admin_person, agency=agency, owner=person, password=PIN,
                                        data=issued("Trần Thị Mai (DEMO)").pkcs12(PIN, chain=[root().cert]))
    return services.set_appearance_image(actor=admin_person, credential=credential, kind="signature",
                                         data=demo_images.signature_png())


@pytest.fixture
def agency_credential(demo, agency, admin_person, trusted):
    credential = services.import_pkcs12(
        actor=admin_person, agency=agency, owner=None, password=PIN,
        data=issued("Sở Giao thông vận tải tỉnh Bắc Kạn (DEMO)").pkcs12(PIN, chain=[root().cert]))
    return services.set_appearance_image(actor=admin_person, credential=credential, kind="seal",
                                         data=demo_images.seal_png(agency.name), seal_size_mm=36)


# --- A PKCS#11 token: SoftHSM2, for real -------------------------------------------------------------

MODULE = "/usr/lib/softhsm/libsofthsm2.so"
TOKEN, KEY, USER_PIN = "qlvb-test", "mai-signing", "2468"


@pytest.fixture(scope="session")
def softhsm(tmp_path_factory):
    """One token for the test session: the PKCS#11 library initialises once per process, so a second
    token directory made later would not be seen."""
    if not shutil.which("softhsm2-util"):
        pytest.skip("softhsm2 is installed by bootstrap.sh test")
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


# --- A remote signing service: the local reference CA (SmartCA-shaped) ---------------------------------

USER_ID = "001234567890"  # the holder's CCCD, as SmartCA names them


@pytest.fixture
def reference_ca(settings):
    ca_ = ReferenceCA()
    with ca_.running() as url:
        settings.QLVB_SIGNING_REMOTE = {"refca": {"kind": "smartca", "url": url, "sp_id": ca_.sp_id,
                                                  "sp_password": ca_.sp_password}}
        settings.QLVB_SIGNING_REMOTE_POLL = 0.05
        settings.QLVB_SIGNING_REMOTE_TIMEOUT = 1
        yield ca_


@pytest.fixture
def remote_credential(demo, agency, admin_person, trusted):
    leader = issued("Trần Thị Mai (DEMO)")
    credential = services.register_remote(
        actor=admin_person, agency=agency, owner=demo["pgd.mai"], provider="refca", user_id=USER_ID,
        certificate_pem=leader.cert.public_bytes(Encoding.PEM).decode(),
        chain_pem=root().cert.public_bytes(Encoding.PEM).decode())
    return services.set_appearance_image(actor=admin_person, credential=credential, kind="signature",
                                         data=demo_images.signature_png())


def holder(ca_, behaviour=CONFIRM, delay=0.2):
    """The holder's phone at the reference CA: confirms after `delay`, refuses, or never answers."""
    ca_.add_user(USER_ID, issued("Trần Thị Mai (DEMO)").key, behaviour=behaviour, delay=delay)
