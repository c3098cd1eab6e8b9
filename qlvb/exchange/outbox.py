"""The outbox of the direct transport: what we owe a peer (a package, a status notice), kept on its row
until delivered or refused, retried with exponential backoff while the peer is down.

`deliver(item_id)` is what the task runs. It first claims the row (a conditional UPDATE that pushes
`next_attempt_at` past the send's time-out), so two workers, a retry and the scheduler's sweep never
post the same row at once; a worker that dies mid-send leaves the row due again after the lease. The
peer's receipt is idempotent anyway (DocumentId + sender), so a post repeated after a lost answer is
registered once and answered the same."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from qlvb.audit.services import record as audit
from qlvb.core.taskqueue import enqueue_on_commit
from qlvb.files.storage import open_checked
from qlvb.outgoing.models import Recipient

from . import transport
from .edxml import codes
from .models import OutboxItem, Package, Peer, StatusMessage

log = logging.getLogger(__name__)
REFUSALS = {400, 409, 413, 422}  # the peer read it and said no: not retried


def peer_for(organ_id: str) -> Peer | None:
    return Peer.objects.filter(organ_id=(organ_id or "").strip().upper(), is_active=True).first()


def enqueue(*, peer, package, status_message=None) -> OutboxItem:
    """Queue a delivery (call inside the business transaction: the task starts after COMMIT)."""
    item = OutboxItem.objects.create(peer=peer, package=package, status_message=status_message,
                                     next_attempt_at=timezone.now())
    _schedule(item.pk)
    return item


def _schedule(item_id, at=None) -> None:
    from .tasks import deliver_outbox

    if at is not None and deliver_outbox.get_backend().supports_defer:
        transaction.on_commit(lambda: deliver_outbox.using(run_after=at).enqueue(item_id=item_id), robust=False)
    elif at is None:
        enqueue_on_commit(deliver_outbox, item_id=item_id)
    # else: a backend without deferral (immediate, in tests): the scheduler's sweep takes it when due


def backoff(attempts: int) -> timedelta:
    """The wait after the n-th failed attempt: first, doubled each time, capped."""
    first, cap = settings.QLVB_EXCHANGE_RETRY_FIRST, settings.QLVB_EXCHANGE_RETRY_MAX
    return timedelta(seconds=min(cap, first * 2 ** max(0, attempts - 1)))


def _claim(item_id) -> OutboxItem | None:
    now = timezone.now()
    lease = now + timedelta(seconds=settings.QLVB_EXCHANGE_SEND_TIMEOUT + 30)
    claimed = OutboxItem.objects.filter(pk=item_id, state=OutboxItem.State.PENDING,
                                        next_attempt_at__lte=now).update(next_attempt_at=lease)
    if not claimed:
        return None
    return OutboxItem.objects.select_related("peer", "package__blob", "status_message__blob").get(pk=item_id)


def deliver(item_id) -> str:
    """Post one due row to its peer; returns its state after (or "" when it was not due / taken)."""
    item = _claim(item_id)
    if item is None:
        return ""
    blob = item.status_message.blob if item.status_message_id else item.package.blob
    ours = item.package.receiver_organ_id if item.status_message_id else item.package.sender_organ_id
    try:
        with open_checked(blob) as source:
            answer = transport.send(item.peer, source=source, size=blob.size, organ_id=ours)
    except transport.Unreachable as exc:
        return _failed(item, str(exc))
    except OSError as exc:  # our own file store: keep it, say why
        return _failed(item, f"{type(exc).__name__}: {exc}")
    if 200 <= answer.status < 300:
        return _sent(item, answer)
    if answer.status in REFUSALS:
        return _refused(item, answer)
    return _failed(item, f"HTTP {answer.status} {answer.body.get('detail', '')}".strip())


def _failed(item, error: str) -> str:
    with transaction.atomic():
        item = OutboxItem.objects.select_for_update().get(pk=item.pk)
        item.attempts += 1
        item.last_error = error[:500]
        item.next_attempt_at = timezone.now() + backoff(item.attempts)
        item.save(update_fields=["attempts", "last_error", "next_attempt_at"])
        _schedule(item.pk, at=item.next_attempt_at)
    log.info("exchange: delivery %s to %s failed (attempt %s): %s", item.pk, item.peer.organ_id, item.attempts,
             error)
    return item.state


@transaction.atomic
def _sent(item, answer) -> str:
    item = OutboxItem.objects.select_for_update(of=("self",)).select_related("package__recipient").get(pk=item.pk)
    item.attempts += 1
    item.state, item.sent_at, item.last_error = OutboxItem.State.SENT, timezone.now(), ""
    item.save(update_fields=["attempts", "state", "sent_at", "last_error"])
    package = item.package
    if not item.status_message_id:
        Package.objects.filter(pk=package.pk).update(state=Package.State.SENT)
        recipient = package.recipient
        if recipient is not None and recipient.status == Recipient.Status.PENDING:
            recipient.status = Recipient.Status.SENT
            recipient.save(update_fields=["status", "updated_at"])
        audit(actor=None, action="exchange.delivered", obj=package.outgoing,
              changes={"recipient": package.receiver_organ_id, "document_id": package.document_id,
                       "attempts": item.attempts, "answer": answer.body.get("status", "")})
    return item.state


@transaction.atomic
def _refused(item, answer) -> str:
    """The peer read it and refused it (a modified signature, not addressed to it…): kept as status 02
    with its reason on our package, so the clerk sees why; not retried."""
    item = OutboxItem.objects.select_for_update().get(pk=item.pk)
    reason = str(answer.body.get("reason") or answer.body.get("detail") or f"HTTP {answer.status}")[:500]
    item.attempts += 1
    item.state, item.last_error = OutboxItem.State.REFUSED, reason
    item.save(update_fields=["attempts", "state", "last_error"])
    if not item.status_message_id:
        StatusMessage.objects.get_or_create(
            package=item.package, direction=StatusMessage.Direction.IN, code=codes.REFUSED,
            timestamp=timezone.now().replace(microsecond=0),
            defaults={"description": reason, "organ_id": item.peer.organ_id, "department": "", "staff": ""})
        audit(actor=None, action="exchange.refused_by_peer", obj=item.package.outgoing,
              changes={"recipient": item.peer.organ_id, "reason": reason})
    return item.state


def due(now=None):
    return OutboxItem.objects.filter(state=OutboxItem.State.PENDING, next_attempt_at__lte=now or timezone.now())


def enqueue_due(now=None) -> int:
    """The scheduler's sweep: queue every due row (a backend without deferral, a lost task, a dead worker's
    lease run out). Safe to run twice: `deliver` claims each row before posting."""
    from .tasks import deliver_outbox

    ids = list(due(now).values_list("pk", flat=True)[:500])
    for pk in ids:
        deliver_outbox.enqueue(item_id=pk)
    return len(ids)


def describe(item: OutboxItem | None) -> str:
    """"Đã gửi" / "Đang chờ gửi lại (lần 3, lỗi …)" for the recipient's line."""
    from django.utils.translation import gettext as _

    if item is None:
        return ""
    if item.state == OutboxItem.State.SENT:
        return _("Đã gửi")
    if item.state == OutboxItem.State.REFUSED:
        return _("Bị từ chối: %(reason)s") % {"reason": item.last_error}
    if item.attempts:
        return _("Đang chờ gửi lại (lần %(n)s, lỗi %(error)s)") % {"n": item.attempts + 1, "error": item.last_error}
    return _("Đang gửi")
