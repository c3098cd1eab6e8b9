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
    flush on PostgreSQL) per task afterwards. The same task with the same arguments asked again in one
    transaction is queued once: tasks read the data when they run and are safe to run twice, so the
    second run would do nothing the first did not."""
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
    in_database = _in_database(task)
    if in_database:
        task.enqueue(**kwargs)

    def marker():
        remembered = getattr(connection, "qlvb_queued_tasks", {})
        if remembered.get(key) is marker:  # run: the same task asked later is queued again
            del remembered[key]
        if not in_database:
            task.enqueue(**kwargs)

    queued[key] = marker
    transaction.on_commit(marker, robust=False)


def _in_database(task) -> bool:
    """Whether the task's backend keeps its queue in this database (django_tasks_db)."""
    from django_tasks_db import DatabaseBackend

    return isinstance(task.get_backend(), DatabaseBackend)


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
