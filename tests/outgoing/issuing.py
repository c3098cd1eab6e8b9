"""Test helpers: drafts taken through the approval chain, ready to be issued."""

from qlvb.documents.models import DocumentType
from qlvb.records import services as records
from tests.factories import reply_path


def approve(demo, draft, signer="pgd.mai"):
    """Officer → head of QLVT → the signer, who signs."""
    records.submit(actor=demo["cv.qlvt.long"], draft=draft)
    draft.refresh_from_db()
    if draft.state == "at_head":
        records.approve(actor=demo["tp.qlvt"], draft=draft)
    records.sign(actor=demo[signer], draft=draft)
    draft.refresh_from_db()
    return draft


def approved(demo, *, document_type="Công văn", confidential=False, **data):
    """A signed draft of the given type (a reply of the QLVT officer, signed KT. by the Deputy Director)."""
    _, record, draft = reply_path(demo, document_type=document_type, recipients=False)
    if confidential or data:
        data = {"confidentiality": "confidential" if confidential else "normal", **data}
        records.save_draft(actor=demo["cv.qlvt.long"], record=record, draft=draft, data=data)
    return approve(demo, draft, signer=(data.get("signer") or demo["pgd.mai"]).username)


def type_named(name):
    return DocumentType.objects.get(name=name)
