"""Issue 14 item 4: a received PDF whose stored signature check says it was changed after signing is
flagged red in the incoming register book (page and API); a valid one is not."""

import pytest
from django.utils import timezone

from qlvb.documents.models import Register
from qlvb.signing.models import Verification
from tests.factories import pdf_upload, register_doc

pytestmark = pytest.mark.django_db


def _checked(document, verdict):
    blob_id = document.attachments.get().blob_id
    Verification.objects.update_or_create(sha256=blob_id, defaults={"verdict": verdict, "roots_version": "x"})


def test_modified_pdf_is_flagged_red_in_the_incoming_book(demo, client):
    changed = register_doc(demo.vanthu, notation="21/UBND")
    fine = register_doc(demo.vanthu, notation="22/UBND", files=[pdf_upload(pages=2)])  # another content
    _checked(changed, "modified")
    _checked(fine, "valid")
    register = Register.objects.get(kind="incoming", is_confidential=False, year=timezone.localdate().year)
    client.force_login(demo.vanthu)
    page = client.get(f"/registers/incoming/?register={register.pk}").content.decode()
    assert page.count('data-testid="row-signature"') == 1 and page.count('data-signature="modified"') == 1
    row = page.split('data-signature="modified"')[1].split("</tr>")[0]
    assert "21/UBND" in row and "Tệp bị sửa đổi sau khi ký số" in row
    answer = client.get(f"/api/registers/{register.pk}/books/incoming?period=year").json()
    assert "rows" in answer, answer
    rows = answer["rows"]
    assert {r["document_id"]: r["signature"] for r in rows} == {changed.pk: "modified", fine.pk: ""}
