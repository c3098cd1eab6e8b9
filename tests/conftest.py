"""Shared fixtures. The suite runs on SQLite, and on PostgreSQL when DATABASE_URL points there
(scripts/test.sh sets it from QLVB_TEST_DATABASE_URL)."""

import pytest
from django.core.cache import cache
from django.test import Client

from qlvb.documents import demo as demo_registers
from qlvb.organization import demo as demo_org
from qlvb.organization.models import Agency, Person


@pytest.fixture(autouse=True)
def _fast_hashing_and_files(settings, tmp_path):
    # Argon2 is deliberately slow; tests hash dozens of demo passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.QLVB_FILES_DIR = tmp_path / "files"
    cache.clear()  # rate-limit counters must not leak between tests
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.QLVB_2FA_REQUIRED_ROLES = ""  # tests of two-factor authentication turn it on themselves


class ClosingClient(Client):
    """Django's test client, closing every response at the end of the test as a WSGI server closes it
    after sending. The test client closes a file download only once its content is read, so a test
    that looks at the status of a download alone would leave the stored file open."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.responses = []

    def request(self, **request):
        response = super().request(**request)
        self.responses.append(response)
        return response

    def close_responses(self):
        for response in self.responses:
            response.close()
        self.responses.clear()


@pytest.fixture
def client():
    client = ClosingClient()
    yield client
    client.close_responses()


class People(dict):
    """The demo agency's people by username: people["vanthu"], or people.vanthu."""

    __getattr__ = dict.__getitem__


@pytest.fixture
def demo(db) -> People:
    """The demo Department of Transport (loaded when the database does not have it yet)."""
    if not Agency.objects.exists():
        demo_registers.load(demo_org.load())
    return People({p.username: p for p in Person.objects.all()})


@pytest.fixture
def agency(demo):
    return Agency.objects.get()


def login(client, person):
    client.force_login(person)
    return client
