"""The demo CA: a root "QLVB DEMO CA" (trusted), the agency's certificate and one per leader, each a
PKCS#12 imported through `services.import_pkcs12` as an administrator would, with images to draw.

Idempotent: the root's key is kept (encrypted at rest) under QLVB_VAR_DIR/signing so a leader added
later gets a certificate from the same root; people who already hold an active credential are skipped.
"""

from pathlib import Path

from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
from django.conf import settings

from qlvb.organization.models import Role
from qlvb.organization.selectors import people_with_role

from . import ca, demo_images, keystore, services
from .models import SigningCredential

DEMO_PIN = "123456"  # every demo certificate's PIN (the PKCS#12 password); printed by the command


def _root_path() -> Path:
    return Path(settings.VAR_DIR) / "signing" / "demo-root.p12.sealed"


def demo_root() -> ca.Issued:
    """The demo root CA, created once and kept sealed on disk."""
    path = _root_path()
    if path.exists():
        key, cert, _chain = pkcs12.load_key_and_certificates(keystore.unseal(path.read_bytes()), DEMO_PIN.encode())
        return ca.Issued(cert, key)
    root = ca.make_root()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(keystore.seal(root.pkcs12(DEMO_PIN)))
    return root


def load(agency) -> list[SigningCredential]:
    """Ensure the demo root is trusted and the agency and each leader hold a demo certificate."""
    root = demo_root()
    services.add_trusted_root(actor=None, data=root.cert.public_bytes(Encoding.PEM), name=ca.DEMO_ROOT_NAME)
    made = []
    if not SigningCredential.objects.filter(agency=agency, owner__isnull=True).exists():
        issued = ca.issue(root, f"{agency.name} (DEMO)", organisation=agency.name)
        credential = services.import_pkcs12(actor=None, agency=agency, owner=None, password=DEMO_PIN,
                                            data=issued.pkcs12(DEMO_PIN, chain=[root.cert]))
        services.set_appearance_image(actor=None, credential=credential, kind="seal",
                                      data=demo_images.seal_png(agency.name))
        made.append(credential)
    leaders = people_with_role(Role.LEADER).filter(unit__agency=agency).order_by("id")
    for seed, person in enumerate(leaders, 1):
        if SigningCredential.objects.filter(owner=person).exists():
            continue
        issued = ca.issue(root, f"{person.full_name} (DEMO)", organisation=agency.name)
        credential = services.import_pkcs12(actor=None, agency=agency, owner=person, password=DEMO_PIN,
                                            data=issued.pkcs12(DEMO_PIN, chain=[root.cert]))
        services.set_appearance_image(actor=None, credential=credential, kind="signature",
                                      data=demo_images.signature_png(seed))
        made.append(credential)
    return made
