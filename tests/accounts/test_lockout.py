"""Failed logins lock the account (even against the right password) until the cool-off or an unlock."""

import pytest
from django.urls import reverse

from qlvb.audit.models import AuditEntry
from qlvb.organization.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_failures_lock_the_account_and_admin_unlocks(client, demo):
    codes = [_login(client, "vanthu", "sai").status_code for _ in range(5)]
    assert codes == [200, 200, 200, 200, 429]  # the fifth failure locks
    response = _login(client, "vanthu", DEMO_PASSWORD)
    assert response.status_code == 429
    assert "tạm thời bị khóa" in response.content.decode()

    admin = type(client)()
    admin.force_login(demo.quantri)
    page = admin.get(reverse("accounts:security_admin")).content.decode()
    assert "vanthu" in page
    admin.post(reverse("accounts:security_admin"), {"action": "unlock", "username": "vanthu"})
    assert AuditEntry.objects.filter(action="accounts.unlock", changes__username="vanthu").exists()
    assert _login(client, "vanthu", DEMO_PASSWORD).status_code == 302


def test_lockout_is_per_account(client, demo):
    for _ in range(5):
        _login(client, "vanthu", "sai")
    assert _login(client, "cv.qlvt.long", DEMO_PASSWORD).status_code == 302


def test_many_failures_from_one_address_are_refused(client, demo, settings):
    settings.QLVB_LOGIN_ADDRESS_LIMIT = 4
    for username in ["a1", "a2", "a3", "a4"]:
        _login(client, username, "sai")
    response = _login(client, "cv.qlvt.long", DEMO_PASSWORD)
    assert response.status_code == 429
    assert "địa chỉ mạng này" in response.content.decode()


def test_officer_cannot_open_security_admin(client, demo):
    client.force_login(demo["cv.qlvt.long"])
    assert client.get(reverse("accounts:security_admin")).status_code == 403
    response = client.post(reverse("accounts:security_admin"), {"action": "unlock", "username": "vanthu"})
    assert response.status_code == 403
