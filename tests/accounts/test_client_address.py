"""The client address in audit entries, sessions, login throttling and lockout: X-Forwarded-For is
the client's own claim unless the request comes from our reverse proxy (QLVB_TRUSTED_PROXIES), and
even then only the hop our proxy appended is believed."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from qlvb.accounts.models import SessionRecord
from qlvb.audit.models import AuditEntry
from qlvb.organization.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def behind_proxy(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.QLVB_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]


def fail_login(client, **meta):
    client.post(reverse("login"), {"username": "vanthu", "password": "sai-mat-khau"}, **meta)
    return AuditEntry.objects.filter(action="auth.login_failed").latest("id").ip


def test_spoofed_forwarded_for_is_ignored_when_not_behind_a_proxy(client, demo, settings):
    settings.QLVB_LOGIN_ADDRESS_LIMIT = 3
    for n in range(3):  # a new made-up address each time does not escape the per-address brake
        assert fail_login(client, HTTP_X_FORWARDED_FOR=f"8.8.8.{n}") == "127.0.0.1"
    assert AccessAttempt.objects.get(username="vanthu").ip_address == "127.0.0.1"
    page = client.post(reverse("login"), {"username": "cv.khtc.nga", "password": DEMO_PASSWORD},
                       HTTP_X_FORWARDED_FOR="8.8.4.4")
    assert page.status_code == 429 and not SessionRecord.objects.exists()
    assert "Có quá nhiều lần đăng nhập sai từ địa chỉ mạng này." in page.content.decode()


def test_the_hop_our_proxy_appended_is_honoured(client, demo, behind_proxy):
    # The client wrote "198.51.100.66"; nginx appended the address it saw.
    assert fail_login(client, HTTP_X_FORWARDED_FOR="198.51.100.66, 203.0.113.5") == "203.0.113.5"
    assert AccessAttempt.objects.get(username="vanthu").ip_address == "203.0.113.5"
    client.post(reverse("login"), {"username": "cv.khtc.nga", "password": DEMO_PASSWORD},
                HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert SessionRecord.objects.get().ip == "203.0.113.7"


def test_rotating_the_client_written_hop_does_not_escape_the_address_limit_behind_our_proxy(
        client, demo, behind_proxy, settings):
    """Behind one trusted proxy the first X-Forwarded-For entry is the client's to write: a new one on
    every guess still counts against the address nginx saw (and appended last)."""
    settings.QLVB_LOGIN_ADDRESS_LIMIT = 3
    for n in range(3):
        assert fail_login(client, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.5") == "203.0.113.5"
    page = client.post(reverse("login"), {"username": "cv.khtc.nga", "password": DEMO_PASSWORD},
                       HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.5")
    assert page.status_code == 429 and not SessionRecord.objects.exists()
    assert "Có quá nhiều lần đăng nhập sai từ địa chỉ mạng này." in page.content.decode()
    # Another client behind the same proxy is not held back by this one's guesses.
    client.post(reverse("login"), {"username": "cv.khtc.nga", "password": DEMO_PASSWORD},
                HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.9")
    assert SessionRecord.objects.get().ip == "203.0.113.9"


def test_a_chain_of_our_proxies_is_walked_back_to_the_client(client, demo, behind_proxy):
    chain = "198.51.100.66, 203.0.113.5, 10.0.0.2"  # client's claim, client, our load balancer
    assert fail_login(client, HTTP_X_FORWARDED_FOR=chain) == "203.0.113.5"


def test_forwarded_for_from_anyone_else_is_ignored_behind_a_proxy(client, demo, behind_proxy):
    assert fail_login(client, REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="203.0.113.5") == "192.0.2.50"
