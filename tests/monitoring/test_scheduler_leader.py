"""One scheduler in a cluster (PostgreSQL): the one holding the advisory lock runs the periodic jobs,
the others wait; when the leader is killed (SIGKILL, as a machine that dies) another takes over within
seconds. On SQLite (one machine) there is no lock, so these tests are skipped there."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from qlvb.monitoring.leadership import Leadership
from tests.core.test_db_worker import database_url

ROOT = Path(__file__).resolve().parents[2]
TAKEOVER_SECONDS = 10  # the follower retries every second; the lock is free as soon as the leader dies
LEADING = "Bộ lập lịch này chạy các việc định kỳ."
WAITING = "Bộ lập lịch khác đang chạy các việc định kỳ"

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql",
                                reason="the leader lock is PostgreSQL's; SQLite means one machine, one scheduler")


class Scheduler:
    """`manage.py run_scheduler` in its own process, its output lines collected with their time."""

    def __init__(self, settings):
        env = {**os.environ, "DATABASE_URL": database_url(), "QLVB_FILES_DIR": str(settings.QLVB_FILES_DIR),
               "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen([sys.executable, "manage.py", "run_scheduler", "--interval", "1",
                                      "--retry", "1", "-v", "2"], cwd=ROOT, env=env, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.lines: list[tuple[float, str]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append((time.monotonic(), line.strip()))

    def runs(self) -> int:
        return sum(line.startswith("run_due:") for _at, line in self.lines)

    def wait_for(self, text, timeout=120) -> float:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            for at, line in list(self.lines):
                if text in line:
                    return at
            assert self.proc.poll() is None, "\n".join(line for _at, line in self.lines)
            time.sleep(0.1)
        pytest.fail(f"no {text!r} within {timeout} s:\n" + "\n".join(line for _at, line in self.lines))

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
        self.proc.wait(timeout=30)
        self.proc.stdout.close()


@pytest.mark.django_db(transaction=True)  # the schedulers read the committed test database
def test_one_of_two_schedulers_runs_the_jobs_and_the_other_takes_over_when_it_is_killed(settings):
    first = Scheduler(settings)
    second = None
    try:
        first.wait_for(LEADING)
        second = Scheduler(settings)
        second.wait_for(WAITING)
        runs_before = first.runs()
        time.sleep(4)
        assert first.runs() > runs_before  # the leader keeps running the jobs every second
        assert second.runs() == 0  # the other only waits

        first.proc.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        first.proc.wait(timeout=30)
        took_over_at = second.wait_for(LEADING, timeout=60)
        assert took_over_at - killed_at < TAKEOVER_SECONDS
        end = time.monotonic() + 30
        while second.runs() == 0 and time.monotonic() < end:
            time.sleep(0.2)
        assert second.runs() > 0
    finally:
        first.stop()
        if second:
            second.stop()


@pytest.mark.django_db
def test_a_leader_cut_off_from_the_database_stops_leading_and_another_takes_the_lock():
    leader, other = Leadership(), Leadership()
    try:
        assert leader.is_leader() and leader.is_leader()  # asked again: still the leader
        assert not other.is_leader()
        # The server ends the leader's session, as it does when the leader's machine stops answering
        # its keepalives: the lock is free, and the old leader notices before its next run.
        pid = leader._conn.info.backend_pid
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        time.sleep(0.5)
        assert other.is_leader()
        assert not leader.is_leader()
    finally:
        leader.release()
        other.release()


@pytest.mark.django_db
def test_the_server_gives_up_on_a_silent_leader_within_seconds():
    """A machine that dies sends no FIN: the server's keepalives and user timeout for the lock's
    session (not the server's defaults of two hours) are what free its lock."""
    leader = Leadership()
    try:
        assert leader.is_leader()
        settings = dict(leader._conn.execute(
            "SELECT name, setting FROM pg_settings WHERE name IN ('tcp_keepalives_idle',"
            " 'tcp_keepalives_interval', 'tcp_keepalives_count', 'tcp_user_timeout')").fetchall())
        # On a Unix socket the server ignores keepalives (it reports 0); the settings are for TCP.
        if leader._conn.info.host.startswith("/"):
            pytest.skip("connected through a Unix socket")
        idle, interval, count = (int(settings[k]) for k in
                                 ("tcp_keepalives_idle", "tcp_keepalives_interval", "tcp_keepalives_count"))
        assert idle + interval * count <= 10
        assert int(settings["tcp_user_timeout"]) <= 10000
    finally:
        leader.release()
