"""TOTP two-factor authentication: required roles enrol, codes are checked, recovery codes work once."""

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from qlvb.accounts.services import totp_device
from qlvb.audit.models import AuditEntry
from qlvb.organization.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _code(device, steps_ahead=0):
    """The authenticator's code; one step ahead for a second use within 30 s (codes are single-use)."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + steps_ahead):06d}"


def _login(client, username):
    return client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})


@pytest.fixture
def required(settings):
    settings.QLVB_2FA_REQUIRED_ROLES = "admin,leader"


def test_leader_must_enrol_before_anything_else(client, demo, required):
    _login(client, "giamdoc")
    response = client.get(reverse("incoming:inbox"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:setup"))
    device = totp_device(demo.giamdoc)
    response = client.post(reverse("accounts:setup"), {"token": "000000" if _code(device) != "000000" else "111111"})
    assert "không đúng" in response.content.decode()
    response = client.post(reverse("accounts:setup"), {"token": _code(device)})
    codes = response.context["codes"]
    assert len(codes) == 10
    assert client.get(reverse("incoming:inbox")).status_code == 200
    assert AuditEntry.objects.filter(action="accounts.2fa_enrolled", actor=demo.giamdoc).exists()


def test_clerk_is_not_forced(client, demo, required):
    _login(client, "vanthu")
    assert client.get(reverse("incoming:inbox")).status_code == 200


@pytest.fixture
def enrolled(client, demo, required):
    _login(client, "giamdoc")
    device = totp_device(demo.giamdoc)
    codes = client.post(reverse("accounts:setup"), {"token": _code(device)}).context["codes"]
    client.post(reverse("logout"))
    return device, codes


def test_code_required_after_password(client, demo, enrolled):
    device, _ = enrolled
    _login(client, "giamdoc")
    response = client.get(reverse("home"))
    assert response.url.startswith(reverse("accounts:verify"))
    assert "không đúng" in client.post(reverse("accounts:verify"), {"token": "12"}, follow=True).content.decode()
    assert client.get(reverse("home")).status_code == 302
    device.refresh_from_db()
    assert client.post(reverse("accounts:verify"), {"token": _code(device)}, follow=True).status_code == 200
    assert client.get(reverse("home")).status_code == 302  # the enrolment code cannot be replayed
    device.refresh_from_db()
    device.throttle_reset()  # failed codes throttle the device for a few seconds; skip the wait
    client.post(reverse("accounts:verify"), {"token": _code(device, steps_ahead=1)})
    assert client.get(reverse("home")).status_code == 200


def test_recovery_code_works_once(client, demo, enrolled):
    _, codes = enrolled
    _login(client, "giamdoc")
    client.post(reverse("accounts:verify"), {"token": codes[0]})
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    _login(client, "giamdoc")
    client.post(reverse("accounts:verify"), {"token": codes[0]})
    assert client.get(reverse("home")).status_code == 302


def test_api_answers_401_until_verified(client, demo, enrolled):
    _login(client, "giamdoc")
    assert client.get("/api/incoming/").status_code == 401


def test_admin_resets_a_lost_authenticator(client, demo, enrolled, settings):
    settings.QLVB_2FA_REQUIRED_ROLES = "leader"
    admin = type(client)()
    admin.force_login(demo.quantri)
    admin.post(reverse("accounts:security_admin"), {"action": "reset_2fa", "username": "giamdoc"})
    assert not TOTPDevice.objects.filter(user=demo.giamdoc).exists()
    assert AuditEntry.objects.filter(action="accounts.2fa_reset", object_id=str(demo.giamdoc.pk)).exists()


def test_a_page_does_not_look_up_authenticators_of_a_person_without_one(client, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _login(client, "cv.qlvt.long")
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("home")).status_code == 200
    assert not [q["sql"] for q in captured.captured_queries if "otp_" in q["sql"]]


def test_enrolling_in_one_session_asks_the_other_sessions_for_the_code(client, demo):
    """The two-factor check reads a flag on the person kept with their devices: enrolling (or an
    administrator's reset) changes what every open session of the person is asked at its next page."""
    other = type(client)()
    _login(other, "giamdoc")  # signed in with the password alone, before the authenticator existed
    assert other.get(reverse("home")).status_code == 200
    _login(client, "giamdoc")
    client.post(reverse("accounts:setup"), {"token": _code(totp_device(demo.giamdoc))})
    response = other.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:verify"))

    admin = type(client)()
    admin.force_login(demo.quantri)
    admin.post(reverse("accounts:security_admin"), {"action": "reset_2fa", "username": "giamdoc"})
    assert other.get(reverse("home")).status_code == 200  # no authenticator left to ask for
