"""The multi-node test (issue 16, item 7): the product as several machines run it, on one machine.

Two gunicorn web nodes on their own loopback ports, two RQ task workers and two schedulers, all on one
PostgreSQL database (the test database), one Redis database (tasks and the shared cache) and one S3
store (moto's server). A client logs in once and registers incoming documents with a PDF each,
forwards them and requests report exports, alternating the two web nodes (the session is shared
through the database). Mid-run:

- a worker is killed (SIGKILL, worker and work horse) while it is sending an e-mail (the mail server
  takes the first message in and never answers); the surviving worker finds the abandoned task once
  its heartbeat lapses (about 65 s) and retries it;
- the scheduler holding the leader lock is killed as soon as the first check-in digest is claimed; the
  other takes over within seconds and finishes that digest if it was cut off, then runs the second.

At the end every document is there once with consecutive arrival numbers, each file once in S3 and
readable (verified against its SHA-256, and downloaded through the other node), each notification once
per recipient and e-mailed exactly once, each export done once, each digest delivered once per person.

PostgreSQL and Redis only (skipped, saying why, on SQLite or without Redis): it runs in the PostgreSQL
half of scripts/test.sh, and alone with `make multinode` (pytest -m multinode). About two minutes,
most of it the wait for rq to call the killed worker's task abandoned.
"""

import contextlib
import email
import email.header
import hashlib
import io
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.utils import timezone

from qlvb.documents.models import DocumentType
from qlvb.files.models import Blob
from qlvb.incoming.models import Attachment, IncomingDocument
from qlvb.monitoring.models import DEFAULT_EMAIL_KINDS, CheckTime, Delivery, JobRun, Notification
from qlvb.organization.demo import DEMO_PASSWORD
from qlvb.organization.models import Person
from qlvb.reports.models import Export
from qlvb.workdays.models import DayOverride
from tests.core.test_db_worker import database_url
from tests.core.test_rq_tasks import HangingOnceSMTP, kill_worker_and_horse
from tests.core.test_serve import free_port
from tests.factories import incoming_register
from tests.redisdb import redis_reachable, redis_url

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = redis_url(2)  # used by nothing else; emptied before and after
ON_POSTGRESQL = "postgresql" in django_settings.DATABASES["default"]["ENGINE"]
LEADING = "Bộ lập lịch này chạy các việc định kỳ."
DOCUMENTS_PER_PHASE = 4

pytestmark = [
    pytest.mark.multinode,
    pytest.mark.redis,
    pytest.mark.s3,
    pytest.mark.skipif(not ON_POSTGRESQL, reason="the multi-node test needs PostgreSQL (DATABASE_URL=postgres://…): "
                                                 "several machines share one PostgreSQL, and the scheduler's leader "
                                                 "lock is PostgreSQL's"),
    pytest.mark.skipif(not redis_reachable(), reason="Redis is not reachable at 127.0.0.1:6379 (CI starts one)"),
    pytest.mark.django_db(transaction=True),  # the nodes read what this process commits, and the reverse
]


def wait_for(what: str, check, timeout: float, every: float = 0.2, logs=None):
    """Poll `check()` until it returns something truthy; fail naming `what` (with the logs) after `timeout`."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if result := check():
            return result
        time.sleep(every)
    pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}\n{logs() if logs else ''}")


class Cluster:
    """The processes of the deployment, each in its own process group, each logging to its own file."""

    def __init__(self, tmp_path: Path, env: dict):
        self.env, self.logs = env, tmp_path / "log"
        self.logs.mkdir()
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *command: str, **extra) -> subprocess.Popen:
        with open(self.logs / f"{name}.log", "ab") as log:
            self.procs[name] = subprocess.Popen(command, cwd=ROOT, env={**self.env, **extra}, stdout=log,
                                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                                start_new_session=True)
        return self.procs[name]

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def tails(self) -> str:
        return "\n".join(f"--- {name} ---\n{self.log(name)[-3000:]}" for name in self.procs)

    def kill(self, name: str):
        """SIGKILL a part and everything it started (an rq work horse has a process group of its own)."""
        proc = self.procs[name]
        if proc.poll() is None:
            kill_worker_and_horse(proc)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def stop_all(self):
        for name in self.procs:
            with contextlib.suppress(Exception):
                self.kill(name)


def _parent(proc_dir: Path) -> int | None:
    try:
        return int(proc_dir.joinpath("stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def socket_owner(local_port: int, procs: dict) -> str | None:
    """The name of the process in `procs` that holds (itself or through a child, such as an rq work horse)
    the TCP socket bound to `local_port` on this machine."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == local_port:
                    inodes.add(f"socket:[{fields[9]}]")
    owners = {proc.pid: name for name, proc in procs.items()}
    for proc_dir in Path("/proc").iterdir():
        if proc_dir.name.isdigit():
            owners.setdefault(int(proc_dir.name), owners.get(_parent(proc_dir)))
    for pid, name in owners.items():
        if name is not None:
            with contextlib.suppress(OSError):
                if any(os.readlink(fd) in inodes for fd in Path(f"/proc/{pid}/fd").iterdir()):
                    return name
    return None


def unique_pdf(n: int) -> bytes:
    """A one-page PDF whose bytes differ by `n` (the store keeps one copy of identical contents)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": f"Văn bản thử nghiệm {n} {uuid.uuid4().hex}"})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


class WebClient:
    """A person's browser-like session (requests), sending each call to the next web node in turn."""

    def __init__(self, ports, username):
        import requests

        self.ports, self.turn = ports, 0
        self.http = requests.Session()
        page = self.http.get(self.url("/login/", port=ports[0]), timeout=60)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = self.http.post(self.url("/login/", port=ports[0]), timeout=60, allow_redirects=False,
                                data={"username": username, "password": DEMO_PASSWORD,
                                      "csrfmiddlewaretoken": token})
        assert answer.status_code == 302, f"login of {username} failed: {answer.status_code}"

    def url(self, path, port=None):
        if port is None:
            port, self.turn = self.ports[self.turn % len(self.ports)], self.turn + 1
        return f"http://127.0.0.1:{port}{path}"

    def request(self, method, path, port=None, **kwargs):
        headers = {"X-CSRFToken": self.http.cookies.get("csrftoken", ""), **kwargs.pop("headers", {})}
        return self.http.request(method, self.url(path, port), headers=headers, timeout=60, **kwargs)


def mails_received(smtp) -> Counter:
    """(recipient, subject) of each message the mail server accepted."""
    received = Counter()
    for raw in smtp.accepted:
        message = email.message_from_string(raw)
        subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
        received[(message["To"], " ".join(subject.split()))] += 1
    return received


@pytest.fixture
def mail_server():
    import threading

    server = HangingOnceSMTP()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def bucket(moto_endpoint):
    import boto3

    name = f"qlvb-multinode-{uuid.uuid4().hex[:8]}"
    s3 = boto3.client("s3", endpoint_url=moto_endpoint, aws_access_key_id="testing",
                      aws_secret_access_key="testing", region_name="us-east-1")
    s3.create_bucket(Bucket=name)
    return s3, name


@pytest.fixture
def redis_db():
    from redis import Redis

    redis = Redis.from_url(REDIS_URL)
    redis.flushdb()
    yield redis
    redis.flushdb()
    redis.close()


@pytest.fixture
def cluster(tmp_path, demo, bucket, moto_endpoint, mail_server, redis_db):
    """The six processes, started and ready; killed (process groups) whatever the test's outcome."""
    # Demo passwords were hashed with the tests' MD5 hasher, which the nodes do not accept.
    hasher = PBKDF2PasswordHasher()
    Person.objects.filter(username__in=["vanthu", "giamdoc"]).update(
        password=hasher.encode(DEMO_PASSWORD, hasher.salt(), iterations=1000))
    # The check-in digests are created during the test; until then the only check time is never due
    # (twelve hours away), and today and tomorrow are working days whatever the calendar says.
    now = timezone.localtime()
    CheckTime.objects.all().delete()
    CheckTime.objects.create(at=(now + timedelta(hours=12)).time().replace(second=0, microsecond=0))
    for day in (now.date(), now.date() + timedelta(days=1)):
        DayOverride.objects.update_or_create(date=day, defaults={"kind": DayOverride.Kind.WORKING})
        JobRun.objects.create(job="backup", slot=f"{day:%Y-%m-%d}", finished_at=now)  # no nightly backup here

    s3, bucket_name = bucket
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "DATABASE_URL": database_url(),
           "QLVB_SECRET_KEY": "multinode-" + uuid.uuid4().hex,  # one key for the deployment
           "QLVB_VAR_DIR": str(tmp_path / "var"), "QLVB_FILES_DIR": str(tmp_path / "scratch"),
           "QLVB_2FA_REQUIRED_ROLES": "", "QLVB_PG_POOL_MAX": "2",
           "QLVB_TASKS_BACKEND": "rq", "QLVB_REDIS_URL": REDIS_URL, "QLVB_CACHE_URL": REDIS_URL,
           "QLVB_TASK_RETRY_WAITS": "0", "QLVB_TASK_MAINTENANCE_SECONDS": "5",
           "QLVB_STORAGE": "s3", "QLVB_S3_BUCKET": bucket_name, "QLVB_S3_ENDPOINT_URL": moto_endpoint,
           "QLVB_S3_ACCESS_KEY_ID": "testing", "QLVB_S3_SECRET_ACCESS_KEY": "testing",
           "QLVB_S3_REGION": "us-east-1", "QLVB_S3_ADDRESSING_STYLE": "path",
           "QLVB_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "QLVB_EMAIL_HOST": "127.0.0.1",
           "QLVB_EMAIL_PORT": str(mail_server.server_address[1]), "QLVB_EMAIL_TIMEOUT": "300",
           "QLVB_WEB_WORKERS": "1", "QLVB_WEB_THREADS": "4"}
    for name in ("QLVB_STATIC_MANIFEST", "QLVB_LOG_DIR", "QLVB_BEHIND_PROXY"):
        env.pop(name, None)
    nodes = Cluster(tmp_path, env)
    nodes.ports = [free_port(), free_port()]
    nodes.s3, nodes.bucket, nodes.smtp = s3, bucket_name, mail_server
    try:
        for i, port in enumerate(nodes.ports, 1):
            nodes.start(f"web{i}", str(ROOT / ".venv/bin/gunicorn"), "-c", "deploy/gunicorn.conf.py", "qlvb.wsgi",
                        QLVB_ADDRESS=f"127.0.0.1:{port}")
        for i in (1, 2):
            nodes.start(f"worker{i}", sys.executable, "manage.py", "task_worker")
        for i in (1, 2):
            nodes.start(f"scheduler{i}", sys.executable, "manage.py", "run_scheduler", "--interval", "1",
                        "--retry", "1")
        yield nodes
    finally:
        nodes.stop_all()


def test_two_nodes_lose_and_repeat_nothing_when_a_worker_and_the_leading_scheduler_die(cluster, demo):
    import requests
    from redis import Redis
    from rq import Worker
    from rq.registry import FailedJobRegistry

    from qlvb.core.taskqueue import RetryingQueue

    started = time.monotonic()
    redis = Redis.from_url(REDIS_URL)

    def up(port):
        with contextlib.suppress(requests.RequestException):
            return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200

    for port in cluster.ports:
        wait_for(f"the web node on {port}", lambda p=port: up(p), 120, 0.5, cluster.tails)
    wait_for("two task workers", lambda: len(Worker.all(connection=redis)) == 2, 120, 0.5, cluster.tails)
    schedulers = ("scheduler1", "scheduler2")
    leader = wait_for("a leading scheduler",
                      lambda: next((s for s in schedulers if LEADING in cluster.log(s)), None), 120, 0.5, cluster.tails)
    follower = next(s for s in schedulers if s != leader)
    wait_for("the other scheduler waiting", lambda: "Bộ lập lịch khác" in cluster.log(follower), 60, 0.5, cluster.tails)
    ready = time.monotonic()

    clerk, director = WebClient(cluster.ports, "vanthu"), WebClient(cluster.ports[::-1], "giamdoc")
    register_id = incoming_register(demo.vanthu).pk
    document_type_id = DocumentType.objects.get(name="Công văn").pk
    deadline = date.today().replace(year=date.today().year + 1).isoformat()
    deputies = [demo["pgd.minh"], demo["pgd.mai"], demo["pgd.dung"]]
    registered, forwarded, exports = {}, [], []  # document id -> (pdf bytes, node port); (doc, person); export ids

    def register_and_forward(n):
        pdf = unique_pdf(n)
        port = cluster.ports[n % 2]
        answer = clerk.request("POST", "/api/incoming/", port=port, data={
            "register_id": register_id, "issuer_name": "Bộ Giao thông vận tải", "notation": f"{n}/BGTVT-KCHT",
            "issued_on": date.today().isoformat(), "document_type_id": document_type_id,
            "summary": f"V/v kiểm tra an toàn cầu yếu, đợt {n}"},
            files=[("files", (f"van-ban-{n}.pdf", pdf, "application/pdf"))])
        assert answer.status_code == 201, answer.text
        document = answer.json()
        registered[document["id"]] = (pdf, port)
        tree = director.request("GET", f"/api/incoming/{document['id']}/tree").json()
        deputy = deputies[n % len(deputies)]
        answer = director.request("POST", f"/api/assignments/{tree[0]['assignment']['id']}/forward", json={
            "targets": [{"role": "main", "person_id": deputy.pk}], "instruction": "Xử lý", "deadline": deadline})
        assert answer.status_code == 201, answer.text
        forwarded.append((document["id"], deputy))

    def request_export():
        answer = director.request("POST", "/reports/export/", allow_redirects=False,
                                  data={"fmt": "xlsx", "from": f"{date.today().year}-01-01",
                                        "to": date.today().isoformat()})
        assert answer.status_code == 302, answer.text
        exports.append(int(re.search(r"/export/(\d+)/", answer.headers["Location"]).group(1)))

    # Phase 1: the first registration's notification is the first e-mail; its worker hangs in the middle
    # of sending it (the mail server never answers) and is killed there, worker and work horse.
    register_and_forward(1)
    assert cluster.smtp.hanging.wait(60), "no worker reached the mail server\n" + cluster.tails()
    workers = {name: cluster.procs[name] for name in ("worker1", "worker2")}
    killed_worker = socket_owner(cluster.smtp.hanging_peer[1], workers)
    assert killed_worker, "no worker holds the connection to the mail server\n" + cluster.tails()
    cluster.kill(killed_worker)
    killed_at = time.monotonic()
    for n in range(2, DOCUMENTS_PER_PHASE + 1):
        register_and_forward(n)
    request_export()

    # The first check-in digest becomes due (a check time a minute ago): the leader claims it and is
    # killed at once, perhaps half-way through; the other scheduler takes over and finishes it.
    if timezone.localtime().time() < datetime.strptime("00:01:05", "%H:%M:%S").time():
        time.sleep(70)  # a check time "a minute ago" must still be today
    first_slot_time = (timezone.localtime() - timedelta(minutes=1)).replace(second=0, microsecond=0)
    CheckTime.objects.create(at=first_slot_time.time())
    wait_for("the first digest to be claimed", lambda: JobRun.objects.filter(job="digest").exists(), 30, 0.05,
             cluster.tails)
    cluster.kill(leader)
    leader_killed_at = time.monotonic()
    cut_off = JobRun.objects.filter(job="digest", finished_at__isnull=True).exists()  # resumed by the other
    wait_for("the other scheduler to take over", lambda: LEADING in cluster.log(follower), 30, 0.1, cluster.tails)
    takeover = time.monotonic() - leader_killed_at

    # Phase 2: more of the same on the surviving worker and scheduler, then the second digest.
    for n in range(DOCUMENTS_PER_PHASE + 1, 2 * DOCUMENTS_PER_PHASE + 1):
        register_and_forward(n)
    request_export()
    second_slot_time = timezone.localtime().replace(second=0, microsecond=0)
    assert second_slot_time > first_slot_time
    CheckTime.objects.create(at=second_slot_time.time())
    wait_for("both digests to finish", lambda: JobRun.objects.filter(job="digest", finished_at__isnull=False)
             .count() == 2, 60, 0.5, cluster.tails)

    # Everything drains: the exports are built, every e-mail is sent, including the killed worker's
    # (retried by the surviving worker once rq calls it abandoned, about 65 s after the kill).
    def to_mail():
        return Notification.objects.filter(kind__in=DEFAULT_EMAIL_KINDS).exclude(recipient__email="")

    wait_for("exports built and e-mails sent",
             lambda: not Export.objects.exclude(status=Export.Status.DONE).exists()
             and not to_mail().filter(emailed_at__isnull=True).exists(), 180, 1, cluster.tails)
    drained = time.monotonic()

    # Documents: once each, consecutive arrival numbers.
    numbers = sorted(IncomingDocument.objects.values_list("arrival_number", flat=True))
    assert IncomingDocument.objects.count() == len(registered) == 2 * DOCUMENTS_PER_PHASE
    assert numbers == list(range(numbers[0], numbers[0] + len(registered))), numbers
    assert set(IncomingDocument.objects.values_list("pk", flat=True)) == set(registered)

    # Files: once in S3 each, read back through the node that did not store it, verified.
    keys = [item["Key"] for page in cluster.s3.get_paginator("list_objects_v2").paginate(Bucket=cluster.bucket)
            for item in page.get("Contents", [])]
    by_sha = Counter(key.rsplit("/", 1)[-1] for key in keys)
    assert all(count == 1 for count in by_sha.values()), by_sha
    for document_id, (pdf, port) in registered.items():
        attachment = Attachment.objects.get(document_id=document_id)
        sha = hashlib.sha256(pdf).hexdigest()
        assert attachment.blob_id == sha and by_sha[sha] == 1
        other = next(p for p in cluster.ports if p != port)
        answer = clerk.request("GET", f"/incoming/{document_id}/files/{attachment.pk}/", port=other)
        assert answer.status_code == 200 and answer.content == pdf
    assert set(by_sha) == set(Blob.objects.values_list("sha256", flat=True))
    verified = subprocess.run([sys.executable, "manage.py", "verify_files"], cwd=ROOT, env=cluster.env,
                              capture_output=True, text=True, timeout=120)
    assert verified.returncode == 0, verified.stdout + verified.stderr

    # Exports: each built once, downloadable from either node.
    assert sorted(Export.objects.values_list("pk", flat=True)) == sorted(exports)
    for export_id in exports:
        export = Export.objects.get(pk=export_id)
        answer = director.request("GET", f"/reports/export/{export_id}/download/")
        assert answer.status_code == 200 and hashlib.sha256(answer.content).hexdigest() == export.blob_id

    # Notifications: each forward told its receiver once, each registration the director once.
    # (A link opens the document at the item in its tree: `/incoming/<d>/#item-<n>`; counted by document.)
    assigned = Counter((recipient, link.split("#")[0]) for recipient, link in
                       Notification.objects.filter(kind="assigned").values_list("recipient", "link"))
    expected = Counter({(demo.giamdoc.pk, f"/incoming/{d}/"): 1 for d in registered})
    expected.update({(deputy.pk, f"/incoming/{d}/"): 1 for d, deputy in forwarded})
    assert assigned == expected

    # Digests: two slots, each delivered once per person (a Delivery and one notification each).
    runs = JobRun.objects.filter(job="digest")
    assert runs.count() == 2 and not runs.filter(finished_at__isnull=True).exists()
    deliveries = Counter(Delivery.objects.filter(run__in=runs).values_list("person", flat=True))
    assert deliveries, "the digests reached nobody"
    assert {deputy.pk for _d, deputy in forwarded} <= set(deliveries)  # they have work open
    assert Counter(Notification.objects.filter(kind="digest").values_list("recipient", flat=True)) == deliveries

    # E-mail: each notification to be e-mailed went out exactly once (the hung one after its retry).
    sent = Counter((n.recipient.email, " ".join(f"[QLVB] {n.text[:120]}".split()))
                   for n in to_mail().select_related("recipient"))
    assert mails_received(cluster.smtp) == sent
    assert not FailedJobRegistry(queue=RetryingQueue("default", connection=redis)).get_job_ids()

    assert takeover < 15, f"the second scheduler took {takeover:.1f} s to take over"
    print(f"\nmulti-node: ready in {ready - started:.0f} s; takeover {takeover:.1f} s (first digest "
          f"{'cut off and resumed' if cut_off else 'finished before the kill'}); killed worker's task retried "
          f"and drained {drained - killed_at:.0f} s after the kill; total {time.monotonic() - started:.0f} s; "
          f"{len(registered)} documents, {len(exports)} exports, {sum(deliveries.values())} digests, "
          f"{sum(sent.values())} e-mails")
    redis.close()

