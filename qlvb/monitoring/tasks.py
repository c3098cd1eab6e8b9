from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django_tasks import task


@task()
def email_notification(*, notification_id: int) -> None:
    """A notification's e-mail, sent by the worker (a slow mail server never slows a page) once per
    notification: the row is claimed (locked, emailed_at still empty) for the length of the send and
    marked in the same transaction, so a second run, or a retry after a worker died, finds it sent;
    a send that failed or was cut off rolls back and is tried again."""
    from .models import Notification

    with transaction.atomic():
        # Only the notification's row: FOR UPDATE on the joined person would hold every insert naming
        # that person (their forwards, their audit entries) for the length of a slow send.
        item = (Notification.objects.select_for_update(of=("self",)).select_related("recipient")
                .filter(pk=notification_id, emailed_at__isnull=True).first())
        if item is None or not item.recipient.email:
            return  # sent already (or the address was removed meanwhile)
        send_mail(f"[QLVB] {item.text[:120]}", f"{item.text}\n\n{item.link}", settings.DEFAULT_FROM_EMAIL,
                  [item.recipient.email], fail_silently=False)
        Notification.objects.filter(pk=item.pk).update(emailed_at=timezone.now())


@task()
def send_email(*, to: str, subject: str, body: str) -> None:
    """Kept so that e-mails queued before the upgrade to email_notification are still sent."""
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)


@task()
def run_due_jobs() -> dict:
    from .scheduler import run_due

    return run_due()
