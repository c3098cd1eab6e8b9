"""Background jobs queued by a business action: with the database queue, in the action's own transaction
(no COMMIT per job afterwards), each job once, and none from a part that was rolled back."""

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from qlvb import settings as production
from qlvb.documents.fulltext import request_reindex
from tests.factories import register_doc

pytestmark = pytest.mark.django_db


def queued(task_name):
    return [row.args_kwargs["kwargs"] for row in DBTaskResult.objects.filter(task_path__endswith=task_name)
            .order_by("enqueued_at")]


def test_a_registration_queues_each_job_once_with_its_rows(demo, settings):
    settings.TASKS = production.TASKS  # the database queue (the suite otherwise runs jobs inline)
    document = register_doc(demo.vanthu)
    # The document and its file are both indexed by one job: saving each asked for it.
    assert queued("reindex_entry") == [{"kind": "incoming", "object_id": document.pk}]


def test_a_job_asked_for_in_a_rolled_back_part_is_not_queued_unless_asked_again(demo, settings):
    settings.TASKS = production.TASKS
    with transaction.atomic():
        request_reindex("incoming", 1)
        try:
            with transaction.atomic():
                request_reindex("incoming", 2)
                raise RuntimeError
        except RuntimeError:
            pass
        assert queued("reindex_entry") == [{"kind": "incoming", "object_id": 1}]
        request_reindex("incoming", 1)
        request_reindex("incoming", 2)  # asked again after its rollback: queued now
    assert queued("reindex_entry") == [{"kind": "incoming", "object_id": 1}, {"kind": "incoming", "object_id": 2}]
