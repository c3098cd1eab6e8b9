"""Delegation: the delegate acts with the delegator's authority, on behalf, for the period only."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from qlvb.assignments import services as flow
from qlvb.assignments.services import Target
from qlvb.audit.models import AuditEntry
from qlvb.organization import services
from qlvb.organization.models import Field
from tests.factories import register_doc, root_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def away(demo):
    """The Director is away this week and delegates to Deputy Minh."""
    now = timezone.now()
    return services.delegate(actor=demo.giamdoc, delegator=demo.giamdoc, delegate_to=demo["pgd.minh"],
                             starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=7),
                             note="Giám đốc đi công tác")


def test_delegate_forwards_on_behalf_of_the_director(demo, away):
    document = register_doc(demo.vanthu)
    child = flow.forward(actor=demo["pgd.minh"], assignment=root_of(document),
                         targets=[Target("main", unit=demo["tp.khtc"].unit)])[0]
    assert child.sender == demo["pgd.minh"] and child.on_behalf_of == demo.giamdoc
    event = root_of(document).events.get(kind="forwarded")
    assert event.actor == demo["pgd.minh"] and event.on_behalf_of == demo.giamdoc
    assert AuditEntry.objects.filter(action="assignment.forwarded", actor=demo["pgd.minh"],
                                     on_behalf_of=demo.giamdoc).exists()


def test_delegate_sees_the_directors_inbox_and_documents(client, demo, away):
    document = register_doc(demo.vanthu)
    client.force_login(demo["pgd.minh"])
    page = client.get(reverse("incoming:inbox") + f"?for={demo.giamdoc.pk}").content.decode()
    assert document.summary[:40] in page
    assert client.get(reverse("incoming:detail", args=[document.pk])).status_code == 200


def test_delegation_stops_after_the_period(demo, away):
    document = register_doc(demo.vanthu)
    away.ends_at = timezone.now() - timedelta(minutes=1)
    away.starts_at = away.ends_at - timedelta(days=1)
    away.save()
    with pytest.raises(PermissionDenied):
        flow.forward(actor=demo["pgd.minh"], assignment=root_of(document),
                     targets=[Target("main", person=demo["pgd.mai"])])


def test_revoked_delegation_stops_at_once(demo, away):
    document = register_doc(demo.vanthu)
    services.revoke_delegation(actor=demo.giamdoc, delegation=away)
    with pytest.raises(PermissionDenied):
        flow.mark_pending(actor=demo["pgd.minh"], assignment=root_of(document), note="x")


def test_delegation_limited_to_fields(demo):
    now = timezone.now()
    services.delegate(actor=demo.giamdoc, delegator=demo.giamdoc, delegate_to=demo["pgd.mai"],
                      starts_at=now - timedelta(hours=1), ends_at=now + timedelta(days=1),
                      fields=[Field.objects.get(code="TCHC")])
    in_field = register_doc(demo.vanthu, notation="1/A", field=Field.objects.get(code="TCHC"))
    other = register_doc(demo.vanthu, notation="2/B", send_to=demo.giamdoc)
    flow.mark_pending(actor=demo["pgd.mai"], assignment=root_of(in_field), note="Chờ ý kiến")
    with pytest.raises(PermissionDenied):
        flow.mark_pending(actor=demo["pgd.mai"], assignment=root_of(other), note="Chờ ý kiến")


def test_officers_cannot_delegate_and_nobody_delegates_to_self(demo):
    now = timezone.now()
    with pytest.raises(ValidationError):
        services.delegate(actor=demo["cv.qlvt.long"], delegator=demo["cv.qlvt.long"], delegate_to=demo["tp.qlvt"],
                          starts_at=now, ends_at=now + timedelta(days=1))
    with pytest.raises(PermissionDenied):
        services.delegate(actor=demo["pgd.mai"], delegator=demo.giamdoc, delegate_to=demo["pgd.mai"],
                          starts_at=now, ends_at=now + timedelta(days=1))
