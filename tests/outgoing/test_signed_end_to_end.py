"""Issue 14 end to end, through the pages people use: Deputy Director Mai signs at "Duyệt ký" with her PIN,
the clerk issues with the agency's PIN; the issued PDF carries both signatures, intact and trusted, the
agency's covering the whole file, with the number and the date line the issue page showed beforehand."""

import pytest
from django.utils import timezone

from qlvb.files.storage import open_verified
from qlvb.outgoing import rendering
from qlvb.outgoing.models import OutgoingDocument
from qlvb.signing import verification
from qlvb.signing.models import Verdict
from tests.conftest import login
from tests.outgoing.signed import drawn_texts, roots, tamper
from tests.signing.conftest import PIN, admin_person, agency_credential, leader_credential, trusted  # noqa: F401
from tests.signing.test_draft_signing import at_leader

pytestmark = pytest.mark.django_db


def test_duyet_ky_then_issue_gives_one_pdf_with_both_signatures(client, demo, leader_credential,  # noqa: F811
                                                                 agency_credential):  # noqa: F811
    draft = at_leader(demo)
    login(client, demo["pgd.mai"])
    client.post(f"/records/drafts/{draft.pk}/do/sign/", {"comment": "Ký", "pin": PIN,
                                                         "credential": leader_credential.pk})
    draft.refresh_from_db()
    assert draft.signed_blob_id

    login(client, demo.vanthu)
    page = client.get(f"/outgoing/issue/{draft.pk}/").content.decode()
    assert "Số: 01/" in page and not OutgoingDocument.objects.exists()  # shown, not yet taken
    client.post(f"/outgoing/issue/{draft.pk}/", {"sending": "electronic", "pin": PIN})

    document = OutgoingDocument.objects.get(draft=draft)
    pdf = open_verified(document.blob)
    assert pdf.startswith(open_verified(draft.signed_blob))
    assert drawn_texts(pdf) == {"QLVB_Text_0": document.notation,
                                "QLVB_Text_1": rendering.date_line("Bắc Kạn", timezone.localdate())}
    result = verification.verify_pdf(pdf, roots=roots())
    assert result.verdict == Verdict.VALID and len(result.signatures) == 2
    assert result.signatures[0].field == "NguoiKy" and all(s.intact and s.trusted for s in result.signatures)
    assert result.signatures[-1].coverage == "entire_file"
    assert verification.verify_pdf(tamper(pdf), roots=roots()).verdict == Verdict.MODIFIED
