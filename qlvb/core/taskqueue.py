"""Task queue helpers: enqueue after COMMIT, and retries on the Redis (RQ) backend.

A task is enqueued with `enqueue_on_commit`, never straight from inside a transaction: with a broker
a worker may start it before the COMMIT, and it would not find the row it was queued for (or the
transaction rolls back and the task runs for nothing). Every task is also safe to run twice: a worker
that dies mid-task leaves it to be run again (RetryingQueue below; db_worker leaves it RUNNING).
"""

from django.conf import settings
from django.db import transaction
from django_rq.queues import DjangoRQ
from rq import Retry
from rq import Worker as RQWorker


def enqueue_on_commit(task, /, **kwargs) -> None:
    """Queue `task(**kwargs)` once the current transaction commits (at once outside one).

    With the database backend the task's row is written inside the transaction instead: a worker
    cannot see it before the COMMIT either, a rollback (of the transaction or of a savepoint) removes
    it with the rest, and it lands with the transaction's own COMMIT rather than one COMMIT (a WAL
    flush on PostgreSQL) per task afterwards. The rows of a transaction are written together, by one
    INSERT just before its COMMIT (or before the release of the savepoint that asked for them:
    `_flush`), rather than one INSERT each (issue 16 item 9: a registration queues four). The same task
    with the same arguments asked again in one transaction is queued once: tasks read the data when
    they run and are safe to run twice, so the second run would do nothing the first did not."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        task.enqueue(**kwargs)
        return
    key = (task.module_path, task.backend, tuple(sorted((k, repr(v)) for k, v in kwargs.items())))
    # What this transaction queued: each task's marker is among its on-commit callbacks until the COMMIT
    # runs it, or a rollback (even of a savepoint) drops it with the task (the audit trail's tail uses
    # the same trick).
    pending = {id(callback) for _sids, callback, _robust in connection.run_on_commit}
    queued = {k: m for k, m in getattr(connection, "qlvb_queued_tasks", {}).items() if id(m) in pending}
    connection.qlvb_queued_tasks = queued
    if key in queued:
        return
    row = _database_row(task, kwargs)

    def marker():
        remembered = getattr(connection, "qlvb_queued_tasks", {})
        if remembered.get(key) is marker:  # run: the same task asked later is queued again
            del remembered[key]
        if row is None:
            task.enqueue(**kwargs)

    queued[key] = marker
    transaction.on_commit(marker, robust=False)
    if row is not None:
        _before_commit(connection)
        connection.qlvb_task_rows = [*getattr(connection, "qlvb_task_rows", []), (marker, row)]


def _database_row(task, kwargs):
    """The queue's row for the task when its backend keeps the queue in this database (django_tasks_db),
    not written yet; else None. Built (and checked) as `DatabaseBackend.enqueue` builds it."""
    from django_tasks_db import DatabaseBackend
    from django_tasks_db.compat import normalize_json
    from django_tasks_db.models import DBTaskResult, get_date_max

    backend = task.get_backend()
    if not isinstance(backend, DatabaseBackend):
        return None
    backend.validate_task(task)
    return DBTaskResult(id=backend._get_id(), args_kwargs=normalize_json({"args": (), "kwargs": kwargs}),
                        priority=task.priority, task_path=task.module_path, queue_name=task.queue_name,
                        # what the package's pre_save handler does, which bulk_create does not call
                        run_after=task.run_after or get_date_max(), backend_name=backend.alias)


def write_queued() -> None:
    """Write the task rows the current transaction queued so far, now rather than just before its
    COMMIT: an action calls it before it takes a lock that it holds to the COMMIT (the audit chain's
    head), so that this INSERT is not made under the lock. Tasks queued later are written at the COMMIT."""
    _flush(transaction.get_connection())


def _flush(connection) -> None:
    """Write the task rows queued so far in this transaction, except those of rolled-back savepoints
    (their markers are gone from the on-commit callbacks), in one INSERT."""
    rows = getattr(connection, "qlvb_task_rows", None)
    if not rows:
        return
    connection.qlvb_task_rows = []
    live = {id(callback) for _sids, callback, _robust in connection.run_on_commit}
    made = [row for marker, row in rows if id(marker) in live]
    if made:
        from django_tasks_db import DatabaseBackend
        from django_tasks_db.compat import task_enqueued
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.bulk_create(made)
        for row in made:
            task_enqueued.send(DatabaseBackend, task_result=row.task_result)


def _before_commit(connection) -> None:
    """Make the connection write its queued task rows just before each COMMIT and savepoint release
    (Django has no hook there). A failing INSERT fails the COMMIT, which `atomic` then rolls back.
    Installed once per connection object."""
    if getattr(connection, "qlvb_flushes_tasks", False):
        return
    commit, savepoint_commit = connection.commit, connection.savepoint_commit

    def flushing_commit():
        _flush(connection)
        commit()

    def flushing_savepoint_commit(sid):
        _flush(connection)
        savepoint_commit(sid)

    connection.commit, connection.savepoint_commit = flushing_commit, flushing_savepoint_commit
    connection.qlvb_flushes_tasks = True


class RetryingQueue(DjangoRQ):
    """RQ queue whose jobs are retried: after an exception, and when their worker died mid-task (the next
    worker's registry cleanup finds the abandoned job and retries it instead of marking it failed).
    django-tasks and django-tasks-rq do not retry by themselves."""

    def create_job(self, *args, **kwargs):
        if kwargs.get("retry") is None and settings.QLVB_TASK_RETRIES > 0:
            kwargs["retry"] = Retry(max=settings.QLVB_TASK_RETRIES, interval=settings.QLVB_TASK_RETRY_WAITS or 0)
        return super().create_job(*args, **kwargs)


class Worker(RQWorker):
    """RQ worker (settings.RQ["WORKER_CLASS"]) that looks for jobs abandoned by a dead worker every
    QLVB_TASK_MAINTENANCE_SECONDS rather than rq's 10 minutes, also while idle. A job is abandoned once
    its heartbeat lapses, 60 s + the monitoring interval after its worker died (rq's fixed margin), so a
    surviving worker retries it about a minute and a half after the crash."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("maintenance_interval", settings.QLVB_TASK_MAINTENANCE_SECONDS)
        kwargs.setdefault("job_monitoring_interval", min(30, settings.QLVB_TASK_MAINTENANCE_SECONDS))
        super().__init__(*args, **kwargs)

    @property
    def dequeue_timeout(self) -> int:  # an idle worker wakes up for its maintenance
        return max(1, min(self.worker_ttl - 15, self.maintenance_interval))
