"""Shared fixtures. The suite runs on SQLite, and on PostgreSQL when DATABASE_URL points there
(scripts/test.sh sets it from QLVB_TEST_DATABASE_URL)."""

import socket
import uuid

import pytest
from django.core.cache import cache
from django.test import Client

from qlvb.documents import demo as demo_registers
from qlvb.organization import demo as demo_org
from qlvb.organization.models import Agency, Person


def pytest_addoption(parser):
    parser.addoption("--qlvb-storage", choices=["local", "s3"], default="local",
                     help="the file store the tests use: local (default) or s3 (moto's S3 server on loopback); "
                          "run tests/files and tests/incoming with s3 to find code that assumes a local path")


@pytest.fixture(scope="session")
def moto_endpoint():
    """moto's S3 server in a thread on a free loopback port (no network beyond 127.0.0.1)."""
    import logging

    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # one line per S3 request otherwise
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def s3_store(settings, moto_endpoint):
    """The file store on S3 (a fresh bucket in moto's server); returns the bucket's name."""
    import boto3

    bucket = f"qlvb-{uuid.uuid4().hex[:12]}"
    keys = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}
    boto3.client("s3", endpoint_url=moto_endpoint, aws_access_key_id=keys["access_key"],
                 aws_secret_access_key=keys["secret_key"], region_name=keys["region_name"]
                 ).create_bucket(Bucket=bucket)
    settings.STORAGES = {**settings.STORAGES, "qlvb_files": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {"bucket_name": bucket, "endpoint_url": moto_endpoint, "addressing_style": "path",
                    "file_overwrite": True, "default_acl": None, "querystring_auth": False,
                    "max_memory_size": 64 * 1024, **keys}}}
    settings.QLVB_STORAGE = "s3"
    return bucket


@pytest.fixture(autouse=True)
def _fast_hashing_and_files(settings, tmp_path, request):
    # Argon2 is deliberately slow; tests hash dozens of demo passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.QLVB_FILES_DIR = tmp_path / "files"
    cache.clear()  # rate-limit counters must not leak between tests
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.QLVB_2FA_REQUIRED_ROLES = ""  # tests of two-factor authentication turn it on themselves
    settings.QLVB_OCR = False  # Tesseract takes seconds a page: the OCR tests turn it on themselves
    if request.config.getoption("--qlvb-storage") == "s3":
        request.getfixturevalue("s3_store")


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
