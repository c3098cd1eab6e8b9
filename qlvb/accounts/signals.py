from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from qlvb.audit.context import client_ip

from . import throttle
from .models import SessionRecord


@receiver(user_logged_in)
def remember_session(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    if not request.session.session_key:
        request.session.save()
    SessionRecord.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={"person": user, "ip": client_ip(request),
                  "user_agent": request.META.get("HTTP_USER_AGENT", "")[:255]},
    )


@receiver(user_logged_out)
def forget_session(sender, request, user, **kwargs):
    if request is not None and getattr(request, "session", None) is not None and request.session.session_key:
        SessionRecord.objects.filter(session_key=request.session.session_key).delete()


@receiver(user_login_failed)
def count_failure(sender, credentials, request=None, **kwargs):
    if request is not None:
        throttle.record_failure(client_ip(request))
