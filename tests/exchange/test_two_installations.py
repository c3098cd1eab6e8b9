"""Two real QLVB installations exchanging directly: two migrated SQLite databases with their own file
stores (QLVB_VAR_DIR each), two gunicorn servers on loopback, peers registered both ways. Agency A
(Sở GTVT, 000.00.15.H03) issues a signed reply to B (UBND tỉnh, 000.00.00.H06): B's electronic inbox
has it with a valid signature and A sees 01; B registers it, A sees 03; B is down when A issues again,
A's outbox keeps it and retries, the scheduler delivers it once B is back; the same package posted
again is registered once.

Each person's action runs in a process of that installation (`tests/exchange/installation.py`); the
tasks run in the process that queues them (immediate backend), so A's clerk's process posts to B's
server and B's server posts its status notices to A's. The database is migrated once, then copied."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
A, B = "000.00.15.H03", "000.00.00.H06"
A_NAME, B_NAME = "Sở Giao thông vận tải tỉnh Bắc Kạn", "UBND tỉnh Bắc Kạn"
TOKEN = "two-installations-shared-token-0123456789"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Installation:
    def __init__(self, var: Path, port: int):
        self.var, self.port, self.server = var, port, None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict:
        return {**os.environ, "QLVB_VAR_DIR": str(self.var), "DATABASE_URL": f"sqlite:///{self.var / 'db.sqlite3'}",
                "QLVB_SECRET_KEY": "two-installations-test-key", "QLVB_FILES_DIR": str(self.var / "files"),
                "QLVB_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                "QLVB_EXCHANGE_RETRY_FIRST": "1", "QLVB_EXCHANGE_SEND_TIMEOUT": "10",
                "QLVB_ADDRESS": f"127.0.0.1:{self.port}", "QLVB_WEB_WORKERS": "1", "QLVB_WEB_THREADS": "2",
                "QLVB_CACHE_URL": "", "QLVB_FAST_PASSWORDS": "1"}

    def run(self, *args) -> dict:
        done = subprocess.run([sys.executable, "-m", "tests.exchange.installation", *args], cwd=ROOT, env=self.env(),
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    def manage(self, *args):
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env(), capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def start(self):
        self.server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", "deploy/gunicorn.conf.py", "qlvb.wsgi"],
                                       cwd=ROOT, env=self.env(), stdout=subprocess.DEVNULL,
                                       stderr=open(self.var / "web.log", "ab"), start_new_session=True)  # noqa: SIM115
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2):
                    return
            except OSError:
                assert self.server.poll() is None, (self.var / "web.log").read_text()[-3000:]
                time.sleep(0.3)
        pytest.fail("server did not start")

    def stop(self):
        if self.server is not None and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            self.server.wait(timeout=40)
        self.server = None


@pytest.fixture
def installations(tmp_path):
    template = Installation(tmp_path / "template", 0)
    template.var.mkdir()
    template.manage("migrate", "-v0")
    template.run("prepare")
    a, b = Installation(tmp_path / "a", _free_port()), Installation(tmp_path / "b", _free_port())
    for one in (a, b):
        shutil.copytree(template.var, one.var)
    a.run("configure", A, A_NAME, B, B_NAME, b.url, TOKEN)
    b.run("configure", B, B_NAME, A, A_NAME, a.url, TOKEN)
    try:
        a.start()
        b.start()
        yield a, b
    finally:
        a.stop()
        b.stop()


def test_two_installations_exchange_signed_packages_statuses_and_retries(installations):
    a, b = installations
    # A issues a signed reply to B: delivered at once, B answers 01.
    first = a.run("issue")
    assert first["outbox"] == "sent" and first["recipient"] == "sent" and first["delivery"] == "Đã gửi"
    assert first["signature"] == "valid"
    [received] = b.run("inbox")["packages"]
    assert received["document_id"] == first["document_id"] and received["signature"] == "valid"
    assert received["state"] == "received" and received["statuses"] == ["01"]
    assert a.run("sent", first["document_id"])["statuses"] == ["01"]
    # B's clerk registers it: A sees 03.
    b.run("register", first["document_id"])
    assert a.run("sent", first["document_id"])["statuses"] == ["01", "03"]

    # B is down when A issues again: kept in A's outbox, delivered once B is back.
    b.stop()
    second = a.run("issue")
    assert second["outbox"] == "pending" and second["attempts"] == 1 and second["last_error"]
    assert second["delivery"].startswith("Đang chờ gửi lại (lần 2, lỗi ")
    b.start()
    time.sleep(1.2)  # the first retry is due after QLVB_EXCHANGE_RETRY_FIRST
    a.manage("run_scheduler", "--once")
    after = a.run("sent", second["document_id"])
    assert after["outbox"] == "sent" and after["attempts"] == 2 and after["statuses"] == ["01"]

    # The same package posted again (a lost answer): registered once, answered the same.
    again = a.run("redeliver", first["document_id"])
    assert again["status"] == 200 and again["body"]["created"] is False
    packages = b.run("inbox")["packages"]
    assert [p["document_id"] for p in packages] == [first["document_id"], second["document_id"]]
    assert packages[0]["state"] == "registered"
