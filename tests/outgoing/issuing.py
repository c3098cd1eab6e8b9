"""Test helpers: drafts taken through the approval chain, ready to be issued."""

from contextlib import contextmanager

from qlvb.documents.models import DocumentType
from qlvb.records import services as records
from qlvb.signing.models import SigningCredential
from tests.factories import reply_path


def approve(demo, draft, signer="pgd.mai"):
    """Officer → head of QLVT → the signer, who approves without a digital signature (as drafts approved
    before the agency's certificates were set up; `tests/outgoing/signed.py` then signs the rendered PDF)."""
    records.submit(actor=demo["cv.qlvt.long"], draft=draft)
    draft.refresh_from_db()
    if draft.state == "at_head":
        records.approve(actor=demo["tp.qlvt"], draft=draft)
    with _credentials_set_aside(demo[signer]):
        records.sign(actor=demo[signer], draft=draft)
    draft.refresh_from_db()
    return draft


@contextmanager
def _credentials_set_aside(person):
    """A signer holding a credential must sign with it; these helpers approve first and sign afterwards."""
    held = list(SigningCredential.objects.filter(owner=person, status=SigningCredential.Status.ACTIVE))
    SigningCredential.objects.filter(pk__in=[c.pk for c in held]).update(status=SigningCredential.Status.DISABLED)
    try:
        yield
    finally:
        SigningCredential.objects.filter(pk__in=[c.pk for c in held]).update(status=SigningCredential.Status.ACTIVE)


def approved(demo, *, document_type="Công văn", confidential=False, **data):
    """A signed draft of the given type (a reply of the QLVT officer, signed KT. by the Deputy Director)."""
    _, record, draft = reply_path(demo, document_type=document_type, recipients=False)
    if confidential or data:
        data = {"confidentiality": "confidential" if confidential else "normal", **data}
        records.save_draft(actor=demo["cv.qlvt.long"], record=record, draft=draft, data=data)
    return approve(demo, draft, signer=(data.get("signer") or demo["pgd.mai"]).username)


def type_named(name):
    return DocumentType.objects.get(name=name)
