"""`scripts/serve.sh`, as `make run` and a one-machine agency start it: gunicorn (gthread) + the task
worker + the scheduler, with QLVB_VAR_DIR outside the clone. All three run or none does: a burst of
connections is served without resets (the development server's listen queue of 10 reset 16 of 50),
static files go out precompressed, and a log folder that cannot be made stops the start with a message."""

import gzip
import http.client
import os
import re
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.core.test_db_worker import database_url

pytestmark = pytest.mark.django_db(transaction=True)  # the served processes read the test database
ROOT = Path(__file__).resolve().parents[2]
STARTED = re.compile(r"web \(pid (\d+)\).*worker \(pid (\d+)\).*scheduler \(pid (\d+)\)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory) -> Path:
    """Outside the clone; shared by the tests here so that the static files are collected once."""
    return tmp_path_factory.mktemp("served") / "var"


def serve_env(tmp_path, port, **extra) -> dict:
    env = {**os.environ, "QLVB_VAR_DIR": str(tmp_path / "var"), "QLVB_ADDRESS": f"127.0.0.1:{port}",
           "DATABASE_URL": database_url(), "QLVB_FILES_DIR": str(tmp_path / "files"), **extra}
    for name in ("QLVB_TASKS_BACKEND", "QLVB_LOG_DIR", "QLVB_STATIC_MANIFEST"):
        if name not in extra:
            env.pop(name, None)
    return env


def get(port, path, headers=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


class Served:
    """serve.sh in its own process group, its stderr read line by line."""

    def __init__(self, env):
        # Ctrl-C as in a terminal: a test run started in the background (scripts/test.sh runs PostgreSQL's
        # that way) has SIGINT ignored, which its children would inherit and bash could not trap.
        self.proc = subprocess.Popen(["scripts/serve.sh"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE, text=True, start_new_session=True,
                                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.lines = []
        self.reader = threading.Thread(target=lambda: self.lines.extend(self.proc.stderr), daemon=True)
        self.reader.start()

    def output(self) -> str:
        return "".join(self.lines)

    def wait_for_pids(self, deadline=180):
        end = time.monotonic() + deadline
        while time.monotonic() < end and self.proc.poll() is None:
            if match := STARTED.search(self.output()):
                return dict(zip(("web", "worker", "scheduler"), map(int, match.groups()), strict=True))
            time.sleep(0.2)
        pytest.fail(f"serve.sh did not start its three parts:\n{self.output()}")

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self.reader.join(timeout=5)
        self.proc.stderr.close()


def wait_until_listening(port, served, deadline=180):
    """Until a page is answered: the socket accepts before the workers have loaded the app."""
    end = time.monotonic() + deadline
    while time.monotonic() < end and served.proc.poll() is None:
        try:
            get(port, "/healthz")
            return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"gunicorn is not listening on {port}:\n{served.output()}")


def alive(pid) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return not Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")


def command_of(pid) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def wait_gone(pids, deadline=30) -> list[int]:
    end = time.monotonic() + deadline
    while time.monotonic() < end and any(alive(p) for p in pids):
        time.sleep(0.2)
    return [p for p in pids if alive(p)]


def burst(port, n=50) -> list:
    """n connections opened at the same moment, each asking for the login page."""
    barrier, results = threading.Barrier(n), [None] * n

    def one(i):
        barrier.wait()
        try:
            results[i] = get(port, "/login/")[0]
        except OSError as exc:  # a reset, a refused connection
            results[i] = repr(exc)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_serve_runs_web_worker_and_scheduler_and_stops_them_together(tmp_path, var_dir, demo):
    port = free_port()
    served = Served(serve_env(tmp_path, port, QLVB_VAR_DIR=str(var_dir)))
    try:
        pids = served.wait_for_pids()
        wait_until_listening(port, served)
        assert "gunicorn" in command_of(pids["web"])
        assert "task_worker" in command_of(pids["worker"])
        assert "run_scheduler" in command_of(pids["scheduler"])
        assert (var_dir / "log" / "worker.log").exists()  # the log folder was made outside the clone

        status, _headers, body = get(port, "/login/")
        assert status == 200
        page = body.decode()
        assert 'name="password"' in page
        # Templates name the hashed, collected files; they go out gzip-compressed and cached for long.
        css = re.search(r'href="(/static/qlvb/app\.[0-9a-f]{12}\.css)"', page)
        assert css, "the login page does not link the collected (hashed) app.css"
        status, headers, body = get(port, css.group(1), {"Accept-Encoding": "gzip"})
        assert status == 200 and headers.get("Content-Encoding") == "gzip"
        assert b"{" in gzip.decompress(body)
        assert "immutable" in headers.get("Cache-Control", "")

        results = burst(port)
        assert results == [200] * 50, [r for r in results if r != 200][:5]
        assert all(alive(pid) for pid in pids.values()), served.output()

        # One part dies: the others are stopped and serve.sh says which.
        os.kill(pids["worker"], signal.SIGKILL)
        assert served.proc.wait(timeout=60) != 0
        assert wait_gone(pids.values()) == []
        assert "the worker stopped" in served.output()
    finally:
        served.stop()


def test_ctrl_c_stops_all_three(tmp_path, var_dir, demo):
    port = free_port()
    served = Served(serve_env(tmp_path, port, QLVB_VAR_DIR=str(var_dir)))
    try:
        pids = served.wait_for_pids()
        wait_until_listening(port, served)
        os.kill(served.proc.pid, signal.SIGINT)
        assert served.proc.wait(timeout=60) != 0
        assert wait_gone(pids.values()) == []
    finally:
        served.stop()


def test_a_log_folder_that_cannot_be_made_stops_the_start_loudly(tmp_path, db):
    """Seen before: with QLVB_VAR_DIR outside the clone the worker's and the scheduler's logs went to a
    var/ that did not exist; the web server started anyway, with no worker and no scheduler."""
    (tmp_path / "not-a-folder").write_text("")
    port = free_port()
    served = Served(serve_env(tmp_path, port, QLVB_LOG_DIR=str(tmp_path / "not-a-folder" / "log")))
    try:
        assert served.proc.wait(timeout=120) != 0
        served.reader.join(timeout=5)
        assert "cannot create the log folder" in served.output() and "not-a-folder" in served.output()
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=1).close()  # no web server was left running
    finally:
        served.stop()
