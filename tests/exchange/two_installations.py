"""Two real QLVB installations on this machine, for the two-agency test (`test_two_installations.py`) and
the exchange bench (`bench/exchange_bench.py`): each has its own database and file store (QLVB_VAR_DIR),
its own gunicorn on loopback, and its own long-lived "agent" process (`installation.py serve`) in which
its people act through the services (Django is set up once per installation, not once per action).

The database is the one of the suite's run: SQLite files when DATABASE_URL is unset or SQLite, else one
PostgreSQL database per installation on DATABASE_URL's server (`<name>_xi<pid>_a`, `…_b`), created from a
template migrated once and dropped at the end. Nothing is shared between the two but the network.

Agency A (Sở GTVT, 000.00.15.H03) and agency B (UBND tỉnh, 000.00.00.H06) are the demo agency twice,
with their identifiers set and each other registered as external agency and peer (one shared token)."""

import contextlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
A, B = "000.00.15.H03", "000.00.00.H06"
A_NAME, B_NAME = "Sở Giao thông vận tải tỉnh Bắc Kạn", "UBND tỉnh Bắc Kạn"
TOKEN = "two-installations-shared-token-0123456789"
AGENT_TIMEOUT = 300  # one person's action, including the deliveries it triggers both ways


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Databases:
    """Where the installations keep their rows: SQLite files in their var directories, or PostgreSQL
    databases named after DATABASE_URL's (`base_url`), created by `clone` and dropped by `drop_all`."""

    def __init__(self, base_url: str | None):
        self.base = base_url if base_url and base_url.startswith(("postgres://", "postgresql://")) else None
        self.created: list[str] = []

    @property
    def postgres(self) -> bool:
        return self.base is not None

    def name(self, installation: str) -> str:
        base = urllib.parse.urlsplit(self.base).path.lstrip("/") or "qlvb"
        return f"{base[:40]}_xi{os.getpid()}_{installation}"

    def url(self, installation: str, var: Path) -> str:
        if not self.postgres:
            return f"sqlite:///{var / 'db.sqlite3'}"
        parts = urllib.parse.urlsplit(self.base)
        return urllib.parse.urlunsplit(parts._replace(path="/" + self.name(installation)))

    def _admin(self):
        import psycopg

        parts = urllib.parse.urlsplit(self.base)
        return psycopg.connect(urllib.parse.urlunsplit(parts._replace(path="/postgres")), autocommit=True)

    def create(self, installation: str, template: str | None = None) -> None:
        """An empty database (or a copy of `template`'s, which nobody may be connected to)."""
        if not self.postgres:
            return
        from psycopg import sql

        name = self.name(installation)
        with self._admin() as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            if template is None:
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            else:
                admin.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(self.name(template))))
        self.created.append(name)

    def drop_all(self) -> None:
        if not self.postgres:
            return
        from psycopg import sql

        with self._admin() as admin:
            for name in reversed(self.created):
                admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        self.created = []


class AgentError(AssertionError):
    """An action failed in the installation's process: its traceback."""


class Installation:
    def __init__(self, name: str, var: Path, port: int, database_url: str):
        self.name, self.var, self.port, self.database_url = name, var, port, database_url
        self.server: subprocess.Popen | None = None
        self.agent: subprocess.Popen | None = None
        self._buffer = b""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict:
        return {**os.environ, "QLVB_VAR_DIR": str(self.var), "DATABASE_URL": self.database_url,
                "QLVB_SECRET_KEY": "two-installations-test-key", "QLVB_FILES_DIR": str(self.var / "files"),
                "QLVB_TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                # A failed delivery is due again at once: the test runs the scheduler's sweep when it
                # wants the retry instead of waiting for it.
                "QLVB_EXCHANGE_RETRY_FIRST": "0", "QLVB_EXCHANGE_SEND_TIMEOUT": "20",
                "QLVB_ADDRESS": f"127.0.0.1:{self.port}", "QLVB_WEB_WORKERS": "1", "QLVB_WEB_THREADS": "2",
                "QLVB_CACHE_URL": "", "QLVB_FAST_PASSWORDS": "1", "PYTHONUNBUFFERED": "1"}

    def _log(self, name: str):
        return open(self.var / name, "ab")  # noqa: SIM115 - the child process holds it; closed with it

    def log_tail(self, name: str = "web.log") -> str:
        path = self.var / name
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    # ---- one-shot commands (the template) ----

    def manage(self, *args) -> str:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env(), capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def once(self, *args) -> dict:
        done = subprocess.run([sys.executable, "-m", "tests.exchange.installation", *args], cwd=ROOT,
                              env=self.env(), capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    # ---- the agent: the installation's people acting ----

    def start_agent(self) -> None:
        with self._log("agent.log") as log:
            self.agent = subprocess.Popen([sys.executable, "-m", "tests.exchange.installation", "serve"], cwd=ROOT,
                                          env=self.env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                          stderr=log, start_new_session=True)

    def _answer(self, timeout: float) -> dict:
        deadline = time.monotonic() + timeout
        fd = self.agent.stdout.fileno()
        while True:
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                if line.startswith(b"@@ "):
                    return json.loads(line[3:])
            left = deadline - time.monotonic()
            if left <= 0:
                raise AgentError(f"{self.name}: no answer in {timeout} s\n{self.log_tail('agent.log')}")
            ready, _w, _x = select.select([fd], [], [], min(left, 1.0))
            if ready:
                chunk = os.read(fd, 65536)
                if not chunk:
                    raise AgentError(f"{self.name}: the agent ended\n{self.log_tail('agent.log')}")
                self._buffer += chunk

    def run(self, command: str, *args, timeout: float = AGENT_TIMEOUT) -> dict:
        """`command` done by the installation's people (see installation.py), its JSON answer."""
        if not getattr(self, "_ready", False):
            self._answer(240)  # {"ready": true} once Django is set up
            self._ready = True
        started = time.monotonic()
        self.agent.stdin.write((json.dumps([command, *map(str, args)]) + "\n").encode())
        self.agent.stdin.flush()
        answer = self._answer(timeout)
        self.note(f"{command} {time.monotonic() - started:.1f} s")
        if isinstance(answer, dict) and "error" in answer:
            raise AgentError(f"{self.name} {command} {args}:\n{answer['error']}")
        return answer

    def note(self, text: str) -> None:
        """Where the time goes (`timings.log` in the var directory): the test's wall time is watched."""
        with open(self.var / "timings.log", "a") as log:
            log.write(f"{time.strftime('%H:%M:%S')} {text}\n")

    # ---- the web server ----

    def launch(self) -> None:
        with self._log("web.log") as log:
            self.server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "-c", "deploy/gunicorn.conf.py",
                                            "qlvb.wsgi"], cwd=ROOT, env=self.env(), stdout=subprocess.DEVNULL,
                                           stderr=log, start_new_session=True)

    def wait_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2):
                    return
            except OSError:
                if self.server.poll() is not None:
                    raise AgentError(f"{self.name}: the server ended\n{self.log_tail()}") from None
                time.sleep(0.1)
        raise AgentError(f"{self.name}: the server did not answer in {timeout} s\n{self.log_tail()}")

    def start(self) -> None:
        self.launch()
        self.wait_ready()

    def stop(self) -> None:
        if self.server is not None and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)
                self.server.wait(timeout=10)
        self.server = None

    def close(self) -> None:
        self.stop()
        if self.agent is not None:
            with contextlib.suppress(OSError):
                self.agent.stdin.close()
            self.agent.stdout.close()
            try:
                self.agent.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.agent.pid, signal.SIGKILL)
                self.agent.wait(timeout=10)
            self.agent = None


def post_package(url: str, data: bytes, organ_id: str, token: str = TOKEN) -> tuple[int, dict]:
    """POST raw package bytes to an installation's `/api/exchange/receive` as the peer `organ_id`."""
    request = urllib.request.Request(f"{url}/api/exchange/receive", data=data, method="POST", headers={
        "Authorization": f"Bearer {token}", "X-Edxml-Organ-Id": organ_id, "Content-Type": "application/xml"})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


@contextlib.contextmanager
def pair(tmp: Path, database_url: str | None = None):
    """Agencies A and B running, configured for each other; everything stopped and dropped after."""
    databases = Databases(database_url if database_url is not None else os.environ.get("DATABASE_URL"))
    template = Installation("template", tmp / "template", 0, "")
    template.var.mkdir(parents=True)
    installations = [Installation(name, tmp / name, free_port(), databases.url(name, tmp / name))
                     for name in ("a", "b")]
    try:
        for one in installations:  # Django set up in their agents while the template is migrated
            one.var.mkdir(parents=True)
            one.start_agent()
        databases.create("template")
        template.database_url = databases.url("template", template.var)
        template.note("start")
        template.manage("migrate", "-v0")
        template.note("migrated")
        template.once("prepare")
        template.note("prepared")
        for one in installations:
            shutil.copytree(template.var, one.var, dirs_exist_ok=True)
            databases.create(one.name, template="template")
        a, b = installations
        a.launch()
        b.launch()  # both servers boot while the agents configure their installations
        a.run("configure", A, A_NAME, B, B_NAME, b.url, TOKEN)
        b.run("configure", B, B_NAME, A, A_NAME, a.url, TOKEN)
        a.wait_ready()
        b.wait_ready()
        template.note("both answering")
        yield a, b
    finally:
        for one in installations:
            one.close()
        databases.drop_all()
