"""The administrator chooses how each person and the agency sign: imports a PKCS#12 with its password,
uploads the signature or seal image (transparent PNG, capped), adds trusted roots from files. The demo
CA command does the same through the same services, once."""

from io import BytesIO, StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from qlvb.signing import demo_images, services
from qlvb.signing.models import SigningCredential, TrustedRoot
from tests.signing.conftest import PIN, issued, root, root_pem


def png(mode="RGBA", size=(40, 20), alpha=0) -> bytes:
    out = BytesIO()
    colour = (0, 0, 255, alpha) if mode == "RGBA" else (0, 0, 255)
    Image.new(mode, size, colour).save(out, "PNG")
    return out.getvalue()


def test_admin_imports_a_pkcs12_for_a_leader_with_the_signature_image(demo, agency, admin_person, client):
    client.force_login(admin_person)
    response = client.post("/admin/signing/signingcredential/add/", {
        "owner": demo["pgd.minh"].pk, "agency": agency.pk, "backend": "pkcs12", "label": "", "status": "active",
        "pkcs12_file": SimpleUploadedFile("minh.p12", issued("Lê Quang Minh (DEMO)").pkcs12(PIN, chain=[root().cert])),
        "password": PIN, "signature_png": SimpleUploadedFile("chuky.png", demo_images.signature_png()),
    })

    assert response.status_code == 302, response.context["adminform"].form.errors
    credential = SigningCredential.objects.get(owner=demo["pgd.minh"])
    assert credential.label == "Lê Quang Minh (DEMO)" and credential.signature_image is not None
    assert PIN.encode() not in bytes(credential.encrypted_key)


def test_admin_form_names_the_wrong_password(demo, agency, admin_person, client):
    client.force_login(admin_person)
    response = client.post("/admin/signing/signingcredential/add/", {
        "owner": demo["pgd.minh"].pk, "agency": agency.pk, "backend": "pkcs12", "status": "active",
        "pkcs12_file": SimpleUploadedFile("minh.p12", issued("Lê Quang Minh (DEMO)").pkcs12(PIN)),
        "password": "sai",
    })

    assert response.status_code == 200
    assert "Mật khẩu không mở được tệp PKCS#12" in response.content.decode()
    assert not SigningCredential.objects.exists()


@pytest.mark.parametrize(("data", "message"), [
    (png(mode="RGB"), "nền trong suốt"),
    (png(alpha=255), "nền trong suốt"),
    (png(size=(2500, 10)), "2000 điểm ảnh"),
    (b"GIF89a" + b"0" * 50, "PNG"),
])
def test_appearance_images_must_be_transparent_png_within_caps(leader_credential, admin_person, data, message):
    with pytest.raises(ValidationError, match=message):
        services.set_appearance_image(actor=admin_person, credential=leader_credential, kind="seal", data=data)


def test_only_administrators_manage_credentials(demo, agency):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.import_pkcs12(actor=demo["vanthu"], agency=agency, owner=None, password=PIN,
                               data=issued("Sở GTVT (DEMO)").pkcs12(PIN))


def test_admin_adds_a_trusted_root_from_a_der_file(admin_person, client):
    from cryptography.hazmat.primitives.serialization import Encoding

    client.force_login(admin_person)
    der = root().cert.public_bytes(Encoding.DER)
    response = client.post("/admin/signing/trustedroot/add/", {
        "name": "Root CA của Ban Cơ yếu (thử)", "is_active": "on",
        "certificate_file": SimpleUploadedFile("root.cer", der)})

    assert response.status_code == 302
    assert TrustedRoot.objects.get().name == "Root CA của Ban Cơ yếu (thử)"
    bad = client.post("/admin/signing/trustedroot/add/", {"name": "x", "certificate_file": SimpleUploadedFile(
        "x.cer", b"not a certificate")})
    assert "Tệp không phải chứng thư số" in bad.content.decode()
    assert services.add_trusted_root(actor=None, data=root_pem()).pk == TrustedRoot.objects.get().pk  # idempotent


def test_demo_ca_gives_the_agency_and_each_leader_a_demo_certificate_once(demo, agency):
    call_command("demo_ca", stdout=StringIO())
    first = set(SigningCredential.objects.values_list("pk", flat=True))
    call_command("demo_ca", stdout=StringIO())

    credentials = SigningCredential.objects.all()
    assert set(credentials.values_list("pk", flat=True)) == first
    owners = {c.owner.username if c.owner else None for c in credentials}
    assert owners == {None, "giamdoc", "pgd.mai", "pgd.minh", "pgd.dung"}
    assert all("DEMO" in c.subject for c in credentials)
    assert TrustedRoot.objects.get().name == "QLVB DEMO CA"
    agency_cred = credentials.get(owner=None)
    assert agency_cred.seal_image is not None and agency_cred.backend == "pkcs12"
