"""Signing fixtures: a demo CA made once per test session (RSA keys take time), a Vietnamese one-page
PDF rendered by WeasyPrint, and the credentials imported through the administrator's service."""

from functools import cache

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from qlvb.signing import ca, demo_images, services

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
