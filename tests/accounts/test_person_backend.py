"""The signed-in person is read with whether they hold role grants and delegations
(`accounts.backends.PersonBackend`): what they may see follows a grant or a delegation from the next
page on, and sessions signed in before the backend was introduced stay signed in."""

from datetime import timedelta

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.utils import timezone

from qlvb.assignments import services as flow
from qlvb.assignments.services import Target
from qlvb.organization.models import Delegation, Role, RoleGrant
from tests.conftest import ClosingClient
from tests.factories import register_doc, root_of

pytestmark = pytest.mark.django_db


def test_a_session_signed_in_before_the_backend_stays_signed_in(demo):
    client = ClosingClient()
    client.force_login(demo["cv.qlvt.long"])
    session = client.session
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session.save()
    assert client.get("/incoming/").status_code == 200
    assert client.session[BACKEND_SESSION_KEY] == "qlvb.accounts.backends.PersonBackend"
    client.close_responses()


def test_a_role_granted_or_withdrawn_counts_from_the_next_page(demo):
    officer = demo["cv.qlvt.long"]
    client = ClosingClient()
    client.force_login(officer)
    assert client.get("/incoming/new/").status_code == 403
    grant = RoleGrant.objects.create(person=officer, role=Role.CLERK)
    assert client.get("/incoming/new/").status_code == 200
    grant.delete()
    assert client.get("/incoming/new/").status_code == 403
    client.close_responses()


def test_a_delegation_given_or_revoked_counts_from_the_next_page(demo):
    head, officer = demo["tp.qlvt"], demo["cv.qlvt.long"]
    document = register_doc(demo.vanthu, notation="77/UBND", files=[])
    flow.forward(actor=demo.giamdoc, assignment=root_of(document), targets=[Target("main", person=head)])
    client = ClosingClient()
    client.force_login(officer)
    assert client.get(f"/incoming/{document.pk}/").status_code == 404
    now = timezone.now()
    delegation = Delegation.objects.create(
        delegator=head,
        delegate=officer,
        created_by=head,
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(days=1),
    )
    assert client.get(f"/incoming/{document.pk}/").status_code == 200
    assert "77/UBND" in client.get(f"/incoming/?for={head.pk}").content.decode()
    Delegation.objects.filter(pk=delegation.pk).update(revoked_at=timezone.now())
    assert client.get(f"/incoming/{document.pk}/").status_code == 404
    client.close_responses()
