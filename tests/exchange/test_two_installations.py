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
import sqlite3
import subprocess
import sys
import time
import urllib.error
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
        self.var, self.port, self.server, self.log = var, port, None, None

    def open_log(self):
        if self.log is None:
            self.log = open(self.var / "web.log", "ab")  # noqa: SIM115 - closed in close()

    def close(self):
        if self.log is not None:
            self.log.close()

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

    def sql(self, query, *params) -> list[tuple]:
        """Read or set up the installation's database directly (a Django process costs seconds)."""
        with sqlite3.connect(self.var / "db.sqlite3") as db:
            return db.execute(query, params).fetchall()

    def configure(self, me, name, peer, peer_name, url):
        self.sql("UPDATE organization_agency SET identifier = ?, name = ?", me, name)
        self.sql("UPDATE documents_externalagency SET identifier = ? WHERE name = ?", peer, peer_name)
        if not self.sql("SELECT 1 FROM documents_externalagency WHERE name = ?", peer_name):
            self.sql("INSERT INTO documents_externalagency (name, identifier, is_active) VALUES (?, ?, 1)",
                     peer_name, peer)
        self.sql("INSERT INTO exchange_peer (organ_id, name, endpoint, token, certificate_pem, is_active, created_at) "
                 "VALUES (?, ?, ?, ?, '', 1, datetime('now'))", peer, peer_name, url, TOKEN)

    def sent(self, document_id) -> dict:
        """Our package for the peer: its outbox row and the status notices received about it."""
        [(pk, state)] = self.sql("SELECT id, state FROM exchange_package WHERE direction = 'out' AND document_id = ?",
                                 document_id)
        [(outbox, attempts)] = self.sql("SELECT state, attempts FROM exchange_outboxitem WHERE package_id = ? "
                                        "AND status_message_id IS NULL", pk)
        codes = [c for (c,) in self.sql("SELECT code FROM exchange_statusmessage WHERE package_id = ? AND "
                                        "direction = 'in' ORDER BY timestamp, id", pk)]
        return {"state": state, "outbox": outbox, "attempts": attempts, "statuses": codes}

    def inbox(self) -> list[dict]:
        rows = self.sql("SELECT id, document_id, signature_verdict, state FROM exchange_package WHERE direction = 'in' "
                        "ORDER BY id")
        return [{"document_id": d, "signature": v, "state": s,
                 "statuses": [c for (c,) in self.sql("SELECT code FROM exchange_statusmessage WHERE package_id = ? "
                                                     "ORDER BY timestamp, id", pk)]} for pk, d, v, s in rows]

    def package_file(self, document_id) -> bytes:
        [(sha256,)] = self.sql("SELECT blob_id FROM exchange_package WHERE direction = 'out' AND document_id = ?",
                               document_id)
        return (self.var / "files" / sha256[:2] / sha256[2:4] / sha256).read_bytes()

    def start(self):
        self.launch()
        self.wait_ready()

    def launch(self):
        self.open_log()
        self.server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", "deploy/gunicorn.conf.py", "qlvb.wsgi"],
                                       cwd=ROOT, env=self.env(), stdout=subprocess.DEVNULL,
                                       stderr=self.log, start_new_session=True)

    def wait_ready(self):
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
    a.configure(A, A_NAME, B, B_NAME, b.url)
    b.configure(B, B_NAME, A, A_NAME, a.url)
    try:
        a.launch()
        b.launch()  # both start at once
        a.wait_ready()
        b.wait_ready()
        yield a, b
    finally:
        for one in (a, b):
            one.stop()
            one.close()


def _post(url, data: bytes, organ_id: str) -> tuple[int, dict]:
    request = urllib.request.Request(f"{url}/api/exchange/receive", data=data, method="POST", headers={
        "Authorization": f"Bearer {TOKEN}", "X-Edxml-Organ-Id": organ_id, "Content-Type": "application/xml"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="the two installations run on SQLite of their own: the SQLite half of the suite runs it")
def test_two_installations_exchange_signed_packages_statuses_and_retries(installations):
    a, b = installations
    # A issues a signed reply to B: delivered at once, B answers 01.
    first = a.run("issue", "1")
    assert first["outbox"] == "sent" and first["recipient"] == "sent" and first["delivery"] == "Đã gửi"
    assert first["signature"] == "valid"
    [received] = b.inbox()
    assert received == {"document_id": first["document_id"], "signature": "valid", "state": "received",
                        "statuses": ["01"]}
    assert a.sent(first["document_id"])["statuses"] == ["01"]
    # B's clerk registers it: A sees 03.
    b.run("register", first["document_id"])
    assert a.sent(first["document_id"])["statuses"] == ["01", "03"]

    # B is down when A issues again: kept in A's outbox, delivered once B is back.
    b.stop()
    second = a.run("issue", "2")
    assert second["outbox"] == "pending" and second["attempts"] == 1 and second["last_error"]
    assert second["delivery"].startswith("Đang chờ gửi lại (lần 2, lỗi ")
    b.start()
    time.sleep(1.2)  # the first retry is due after QLVB_EXCHANGE_RETRY_FIRST
    a.manage("run_scheduler", "--once")
    assert a.sent(second["document_id"]) == {"state": "sent", "outbox": "sent", "attempts": 2, "statuses": ["01"]}

    # The same package posted again (a lost answer): registered once, answered the same.
    status, body = _post(b.url, a.package_file(first["document_id"]), A)
    assert status == 200 and body["created"] is False and body["document_id"] == first["document_id"]
    assert [(p["document_id"], p["state"]) for p in b.inbox()] == [(first["document_id"], "registered"),
                                                                    (second["document_id"], "received")]

    # B refuses the second with a reason: A sees it; A revokes the first: B sees it frozen.
    b.run("refuse", second["document_id"], "Không thuộc thẩm quyền giải quyết")
    assert a.run("sent_reason", second["document_id"])["reason"] == "Không thuộc thẩm quyền giải quyết"
    assert a.run("revoke", first["document_id"], "Ban hành nhầm nơi nhận")["outbox"] == "sent"
    frozen = b.run("incoming_status", first["document_id"])
    assert frozen["revoked"] and frozen["incoming"] == "withdrawn"
    assert "Đã bị thu hồi bởi cơ quan gửi: Ban hành nhầm nơi nhận" in frozen["withdraw_reason"]
