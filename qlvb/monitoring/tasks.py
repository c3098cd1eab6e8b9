from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task


@task()
def send_email(*, to: str, subject: str, body: str) -> None:
    """E-mail leaves through the worker, so a slow mail server never slows a page."""
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [to], fail_silently=False)


@task()
def run_due_jobs() -> dict:
    from .scheduler import run_due

    return run_due()
