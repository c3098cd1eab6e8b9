"""ICT figure "Tỷ lệ văn bản điện tử phát hành có chữ ký số" (issue 14): issued documents whose file's
stored signature check says valid, over the electronic ones; a file changed after signing does not count."""

import pytest
from django.utils import timezone

from qlvb.outgoing import services as outgoing
from qlvb.reports import services
from qlvb.signing.models import Verification
from tests.outgoing import signed
from tests.signing.conftest import PIN, admin_person, agency_credential, leader_credential, trusted  # noqa: F401

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def test_signed_share_counts_valid_signatures(client, demo, leader_credential, agency_credential):  # noqa: F811
    both = signed.leader_signs(demo, signed.structured(demo), leader_credential)
    outgoing.issue(actor=demo.vanthu, draft=both, pin=PIN)  # leader + agency: counted
    changed = outgoing.issue(actor=demo.vanthu, draft=signed.leader_signs(demo, signed.structured(demo),
                                                                           leader_credential), pin=PIN)
    Verification.objects.filter(pk=changed.blob_id).update(verdict="modified")  # as if altered on disk
    outgoing.issue(actor=demo.vanthu, draft=signed.structured(demo))  # numbered, not signed
    _row, token = services.issue_token(actor=demo.quantri, name="Sở TT&TT")
    body = client.get(f"/api/reports/summary?start={TODAY}&end={TODAY}",
                      HTTP_AUTHORIZATION=f"Bearer {token}").json()
    figure = {row["key"]: row for row in body["indicators"]}["outgoing_signed"]
    assert (figure["numerator"], figure["denominator"], figure["value"]) == (1, 3, 33.3)
