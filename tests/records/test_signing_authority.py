"""Signing authority (Decree 30 Art 13; Annex I II.7): TM. on behalf of a collective besides KT., TL., Q.
and TUQ.; TUQ. only under a written delegation recorded in the product, within its period and scope."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from qlvb.organization import services as organization
from qlvb.organization.models import Field
from qlvb.outgoing import services as outgoing
from qlvb.records import services as records
from tests.factories import reply_path
from tests.outgoing.issuing import approve

pytestmark = pytest.mark.django_db


def _delegation(demo, *, delegator="giamdoc", to="cvp.lan", days=(-1, 30), fields=()):
    now = timezone.now()
    return organization.delegate(actor=demo.quantri, delegator=demo[delegator], delegate_to=demo[to],
                                 starts_at=now + timedelta(days=days[0]), ends_at=now + timedelta(days=days[1]),
                                 fields=fields, note="Giấy ủy quyền số 05/GUQ-SGTVT")


def _save(demo, draft, **data):
    return records.save_draft(actor=demo["cv.qlvt.long"], record=draft.record, draft=draft, data=data)


def test_tm_names_the_collective_and_is_issued_with_it(demo):
    """Annex I II.7 (TM.): signing on behalf of a collective names it; the issued authority line is
    `TM. <COLLECTIVE>`."""
    _, _, draft = reply_path(demo, recipients=False)
    with pytest.raises(ValidationError, match="tên tập thể"):
        _save(demo, draft, signing_form="TM.", signer=demo.giamdoc)
    draft = _save(demo, draft, signing_form="TM.", signer=demo.giamdoc, collective="Hội đồng thi đua khen thưởng")
    document = outgoing.issue(actor=demo.vanthu, draft=approve(demo, draft, signer="giamdoc"))
    assert document.signature_block == ["TM. HỘI ĐỒNG THI ĐUA KHEN THƯỞNG", "GIÁM ĐỐC"]


def test_tuq_needs_a_recorded_delegation_from_the_head_to_the_signer(demo):
    """Art 13.3: TUQ. only under a written delegation of the head of the agency, to the signer; a delegate
    cannot delegate again."""
    _, _, draft = reply_path(demo, recipients=False)
    with pytest.raises(ValidationError, match="chọn văn bản ủy quyền"):
        _save(demo, draft, signing_form="TUQ.", signer=demo["cvp.lan"])
    with pytest.raises(ValidationError, match="không phải là người được ủy quyền"):
        _save(demo, draft, signing_form="TUQ.", signer=demo["tp.qlvt"], delegation=_delegation(demo))
    with pytest.raises(ValidationError, match="không được ủy quyền lại"):
        _save(demo, draft, signing_form="TUQ.", signer=demo["cvp.lan"],
              delegation=_delegation(demo, delegator="pgd.mai"))
    draft = _save(demo, draft, signing_form="TUQ.", signer=demo["cvp.lan"], delegation=_delegation(demo))
    document = outgoing.issue(actor=demo.vanthu, draft=approve(demo, draft, signer="cvp.lan"))
    assert document.signature_block == ["TUQ. GIÁM ĐỐC", "CHÁNH VĂN PHÒNG"]


def test_tuq_within_the_delegations_period_and_scope(demo):
    """Art 13.3: the delegation is limited in time and scope: expired, revoked before signing, or outside
    its fields, TUQ. is refused."""
    _, _, draft = reply_path(demo, recipients=False)
    with pytest.raises(ValidationError, match="không còn hiệu lực"):
        _save(demo, draft, signing_form="TUQ.", signer=demo["cvp.lan"], delegation=_delegation(demo, days=(-9, -1)))
    type(draft.record).objects.filter(pk=draft.record_id).update(field=Field.objects.get(code="VT"))
    draft.record.refresh_from_db()
    with pytest.raises(ValidationError, match="ngoài phạm vi ủy quyền"):
        _save(demo, draft, signing_form="TUQ.", signer=demo["cvp.lan"],
              delegation=_delegation(demo, fields=[Field.objects.get(code="TCHC")]))
    delegation = _delegation(demo, fields=[Field.objects.get(code="VT")])
    draft = _save(demo, draft, signing_form="TUQ.", signer=demo["cvp.lan"], delegation=delegation)
    records.submit(actor=demo["cv.qlvt.long"], draft=draft)
    records.approve(actor=demo["tp.qlvt"], draft=draft)
    organization.revoke_delegation(actor=demo.quantri, delegation=delegation)
    with pytest.raises(ValidationError, match="không còn hiệu lực"):
        records.sign(actor=demo["cvp.lan"], draft=draft)


def test_signing_authority_over_the_api(client, demo):
    """Art 13 over the API: TUQ. without a delegation is refused (400); with one it is saved; TM. carries
    its collective."""
    _, record, draft = reply_path(demo, recipients=False)
    client.force_login(demo["cv.qlvt.long"])
    url = f"/api/records/{record.pk}/drafts?draft_id={draft.pk}"
    payload = {"document_type_id": draft.document_type_id, "summary": "V/v báo cáo", "signer_id": demo["cvp.lan"].pk,
               "signing_form": "TUQ."}
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 400 and "ủy quyền" in response.json()["detail"][0]["msg"]
    delegation = _delegation(demo)
    response = client.post(url, {**payload, "delegation_id": delegation.pk}, content_type="application/json")
    assert response.status_code == 201 and response.json()["delegation_id"] == delegation.pk
    response = client.post(url, {**payload, "signing_form": "TM.", "signer_id": demo.giamdoc.pk,
                                 "collective": "Hội đồng", "delegation_id": delegation.pk},
                           content_type="application/json")
    assert response.status_code == 201
    assert (response.json()["collective"], response.json()["delegation_id"]) == ("Hội đồng", None)
