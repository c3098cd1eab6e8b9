"""The suite runs tasks inline (tests/conftest.py); this proves once that they go through the real
database backend and `manage.py db_worker`, in its own process, as `make run` serves them: an export
is queued, not built, until the worker runs; then the file downloads and the urge e-mail is sent."""

import email
import io
import os
import subprocess
import sys
from datetime import timedelta
from email.header import decode_header, make_header
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from qlvb import settings as production
from qlvb.assignments import services as flow
from qlvb.assignments.models import Assignment
from qlvb.assignments.services import Target
from qlvb.reports.models import Export
from tests.factories import register_doc, root_of

pytestmark = pytest.mark.django_db(transaction=True)  # the worker must see committed rows
ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = connection.settings_dict  # the test database
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return (f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}@{db['HOST']}:{db['PORT'] or 5432}"
            f"/{db['NAME']}")


def run_worker(settings) -> str:
    env = {**os.environ, "DATABASE_URL": database_url(), "QLVB_FILES_DIR": str(settings.QLVB_FILES_DIR),
           "QLVB_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    env.pop("QLVB_TASKS_BACKEND", None)
    done = subprocess.run([sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def sent_mail(console_output: str) -> list[email.message.Message]:
    """The messages the console e-mail backend printed, one per block."""
    return [email.message_from_string(block.strip()) for block in console_output.split("-" * 79)
            if block.strip()]


def test_the_database_worker_builds_the_export_and_sends_the_mail(client, demo, settings):
    settings.TASKS = production.TASKS
    document = register_doc(demo.vanthu)
    head = flow.forward(actor=demo.giamdoc, assignment=root_of(document),
                        targets=[Target("main", person=demo["tp.qlvt"])])[0]
    item = flow.forward(actor=demo["tp.qlvt"], assignment=head, targets=[Target("main", person=demo["cv.qlvt.long"])])[0]
    Assignment.objects.filter(pk=item.pk).update(deadline=timezone.localdate() - timedelta(days=2))
    client.force_login(demo["tp.qlvt"])
    client.post(reverse("monitoring:urge"), {"assignment": [item.pk], "message": "Báo cáo trước 16h"})
    client.force_login(demo.giamdoc)
    today = timezone.localdate()
    client.post(reverse("reports:export"), {"fmt": "xlsx", "from": f"{today.year}-01-01", "to": today.isoformat()})

    export = Export.objects.get()
    assert export.status == Export.Status.QUEUED  # queued in the database, not run inline
    assert DBTaskResult.objects.filter(status="READY").count() >= 2

    output = run_worker(settings)

    export.refresh_from_db()
    assert export.status == Export.Status.DONE
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()
    content = b"".join(client.get(reverse("reports:download", args=[export.pk])).streaming_content)
    assert load_workbook(io.BytesIO(content)).sheetnames[0] == "Tổng hợp"
    to_officer = [str(make_header(decode_header(m["Subject"]))) for m in sent_mail(output)
                  if m["To"] == demo["cv.qlvt.long"].email]
    assert any("Báo cáo trước 16h" in subject for subject in to_officer), to_officer
