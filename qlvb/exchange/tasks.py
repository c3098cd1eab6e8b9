from django_tasks import task


@task()
def deliver_outbox(*, item_id: int) -> None:
    """Post one outbox row (a package or a status notice) to its peer; on failure the row is kept with
    its next attempt time (`outbox.deliver`). Safe to run twice."""
    from .outbox import deliver

    deliver(item_id)


@task()
def report_progress(*, incoming_id: int, code: str, actor_id: int | None = None) -> None:
    """Send status 04/05/06 about a registered electronic document to its sender (`progress.send`)."""
    from .progress import send

    send(incoming_id=incoming_id, code=code, actor_id=actor_id)
