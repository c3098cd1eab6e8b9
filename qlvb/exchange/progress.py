"""Status 04 (assigned), 05 (being processed) and 06 (completed) sent to the sender of a document that
arrived by the exchange, from the processing tree (`assignments.services` calls `report` at the end of
forward, seen, update and completion). `report` only queues a task after COMMIT, so the workflow never
waits for, nor fails with, the exchange; the task writes the notice (once per code) and queues it in the
outbox when the sender is a peer."""

from django.db import transaction

from qlvb.core.taskqueue import enqueue_on_commit

from .edxml import codes

ORDER = [codes.ASSIGNED, codes.PROCESSING, codes.COMPLETED]


def report(document, code: str, actor=None) -> None:
    """Queue status `code` about an incoming document, if it came as a package (cheap no-op otherwise)."""
    if not getattr(document, "document_identifier", ""):
        return
    from .tasks import report_progress

    enqueue_on_commit(report_progress, incoming_id=document.pk, code=code,
                      actor_id=getattr(actor, "pk", None))


def send(*, incoming_id: int, code: str, actor_id: int | None) -> None:
    """Write status `code` for the package registered as `incoming_id`, once; never a step back (05 after
    06 is not sent). Safe to run twice (the package row is locked, the codes sent are looked at)."""
    from qlvb.organization.models import Person

    from . import services
    from .models import Package, StatusMessage

    package = Package.objects.filter(direction=Package.Direction.IN, incoming_id=incoming_id,
                                     state=Package.State.REGISTERED).first()
    if package is None:
        return
    actor = Person.objects.filter(pk=actor_id).first() if actor_id else None
    with transaction.atomic():
        package = Package.objects.select_for_update().get(pk=package.pk)
        sent = set(package.statuses.filter(direction=StatusMessage.Direction.OUT, code__in=ORDER)
                   .values_list("code", flat=True))
        if code in sent or any(ORDER.index(s) > ORDER.index(code) for s in sent):
            return
        services.send_status(actor=actor, package=package, code=code)
