"""The task queue on Redis (QLVB_TASKS_BACKEND=rq), with a real Redis at 127.0.0.1:6379 (a database
number of its own, emptied before and after) and real `manage.py task_worker` processes (rqworker):

- a task queued inside a transaction reaches the queue only at COMMIT, so the worker finds its row;
- a worker killed mid-task (SIGKILL, as a machine that dies) leaves the task to be retried and
  completed by a second worker, exactly once in effect: the e-mail arrives once.
"""

import contextlib
import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest
from django.db import transaction

from qlvb.monitoring import services as monitoring
from qlvb.monitoring.models import Notification
from qlvb.reports import services as reports
from qlvb.reports.models import Export
from qlvb.reports.selectors import Period
from tests.core.test_db_worker import database_url
from tests.redisdb import redis_reachable, redis_url

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = redis_url(0)  # used by nothing else here; emptied by the fixture


pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not redis_reachable(), reason="Redis is not reachable at 127.0.0.1:6379 (CI starts one)"),
    pytest.mark.django_db(transaction=True),  # the workers read committed rows
]


@pytest.fixture
def rq_queue(settings):
    """This process enqueues on Redis as a deployment with QLVB_TASKS_BACKEND=rq does."""
    import django_rq
    from django_tasks_rq import Job
    from redis import Redis

    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend"}}
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "QUEUE_CLASS": "qlvb.core.taskqueue.RetryingQueue"}}
    settings.QLVB_TASK_RETRY_WAITS = []  # a retry is queued again at once (production waits 10 s, 60 s, 300 s)
    redis = Redis.from_url(REDIS_URL)
    redis.flushdb()
    yield django_rq.get_queue("default", job_class=Job)  # the job class the workers run (task_worker)
    redis.flushdb()
    redis.close()


def worker_env(settings, **extra) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url(), "QLVB_FILES_DIR": str(settings.QLVB_FILES_DIR),
           "QLVB_TASKS_BACKEND": "rq", "QLVB_REDIS_URL": REDIS_URL, "QLVB_TASK_RETRY_WAITS": "0", **extra}
    return env


def run_burst_worker(settings, **extra) -> str:
    """A worker that does what is queued, then exits."""
    done = subprocess.run([sys.executable, "manage.py", "task_worker", "--burst"], cwd=ROOT,
                          env=worker_env(settings, **extra), capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    return done.stdout + done.stderr


def test_a_task_queued_in_a_transaction_reaches_the_queue_at_commit_and_finds_its_row(demo, rq_queue, settings):
    today = date.today()
    with transaction.atomic():
        export = reports.request_export(actor=demo.giamdoc, period=Period(date(today.year, 1, 1), today, None),
                                        fmt="xlsx")
        assert rq_queue.count == 0  # a worker must not start it before the export row is committed
    assert rq_queue.count == 1

    run_burst_worker(settings)

    export.refresh_from_db()
    assert export.status == Export.Status.DONE and export.blob_id


class HangingOnceSMTP(socketserver.ThreadingTCPServer):
    """A small SMTP server: the first message is taken in but never answered (the worker hangs in the
    middle of sending it, then dies); later ones are accepted and kept."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), self.Handler)
        self.sessions = 0
        self.accepted = []  # messages the server said 250 to
        self.hanging_peer = None
        self.hanging = threading.Event()
        self.release = threading.Event()

    class Handler(socketserver.StreamRequestHandler):
        def handle(self):
            server = self.server
            server.sessions += 1
            first = server.sessions == 1
            self.wfile.write(b"220 test ESMTP\r\n")
            data = None
            for raw in self.rfile:
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                if data is not None:
                    if line != ".":
                        data.append(line)
                        continue
                    if first:
                        server.hanging_peer = self.client_address  # the socket of the process that waits
                        server.hanging.set()  # the whole message is here; no answer, ever
                        server.release.wait(120)
                        return
                    server.accepted.append("\n".join(data))
                    data = None
                    self.wfile.write(b"250 queued\r\n")
                elif line.upper().startswith(("EHLO", "HELO")):
                    self.wfile.write(b"250 test\r\n")
                elif line.upper() == "DATA":
                    data = []
                    self.wfile.write(b"354 go on\r\n")
                elif line.upper() == "QUIT":
                    self.wfile.write(b"221 bye\r\n")
                    return
                else:
                    self.wfile.write(b"250 ok\r\n")


@pytest.fixture
def smtp():
    server = HangingOnceSMTP()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def kill_worker_and_horse(proc) -> None:
    """SIGKILL the rq worker and the work horse it forked (the horse has a process group of its own)."""
    children = [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()
                and _parent_of(p) == proc.pid]
    for pid in [proc.pid, *children]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    proc.wait(timeout=30)


def _parent_of(proc_dir: Path) -> int | None:
    try:
        return int(proc_dir.joinpath("stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def test_a_worker_killed_mid_task_leaves_it_to_a_second_worker_and_the_mail_arrives_once(demo, rq_queue, settings,
                                                                                       smtp):
    from rq.registry import StartedJobRegistry

    officer = demo["cv.qlvt.long"]
    monitoring.notify(recipients=[officer], kind="urged", text="Đề nghị báo cáo trước 16h", link="/incoming/")
    notification = Notification.objects.get(recipient=officer)
    assert rq_queue.count == 1

    mail = {"QLVB_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "QLVB_EMAIL_HOST": "127.0.0.1",
            "QLVB_EMAIL_PORT": str(smtp.server_address[1])}
    first = subprocess.Popen([sys.executable, "manage.py", "task_worker"], cwd=ROOT, env=worker_env(settings, **mail),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert smtp.hanging.wait(120), "the first worker never reached the mail server"
    finally:
        kill_worker_and_horse(first)  # mid-task: the message was handed over, never acknowledged
    notification.refresh_from_db()
    assert notification.emailed_at is None  # the claim died with the worker's transaction
    registry = StartedJobRegistry(queue=rq_queue)
    assert len(registry.get_job_ids()) == 1  # still "started" by a worker that is gone

    # The next worker's maintenance finds the job abandoned once its heartbeat expires (60–90 s after the
    # kill, rq's fixed margin); run that same cleanup now, as of that moment, rather than wait.
    registry.cleanup(timestamp=time.time() + 3600)
    assert rq_queue.count == 1  # retried (RetryingQueue), not failed

    run_burst_worker(settings, **mail)

    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert len(smtp.accepted) == 1 and f"To: {officer.email}" in smtp.accepted[0]

    # Run twice in effect: the same notification queued again sends nothing more.
    from qlvb.monitoring.tasks import email_notification

    email_notification.enqueue(notification_id=notification.pk)
    run_burst_worker(settings, **mail)
    assert len(smtp.accepted) == 1


def test_a_slow_mail_server_does_not_hold_the_recipients_other_work(demo, rq_queue, settings, smtp):
    """While a worker waits for the mail server, it locks the notification, not its recipient: the
    recipient's forwards and audit entries (rows naming them) go on. Found by the multi-node test, where
    the director's forward hung behind the e-mail about the document being forwarded."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL's (SQLite locks the whole database, and only when writing)")
    officer = demo["cv.qlvt.long"]
    monitoring.notify(recipients=[officer], kind="urged", text="Đề nghị báo cáo trước 16h", link="/incoming/")
    mail = {"QLVB_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "QLVB_EMAIL_HOST": "127.0.0.1",
            "QLVB_EMAIL_PORT": str(smtp.server_address[1])}
    worker = subprocess.Popen([sys.executable, "manage.py", "task_worker"], cwd=ROOT, env=worker_env(settings, **mail),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert smtp.hanging.wait(120), "the worker never reached the mail server"
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '3s'")
            Notification.objects.create(recipient=officer, kind="urged", text="Nhắc lần hai")  # names the person
    finally:
        kill_worker_and_horse(worker)
