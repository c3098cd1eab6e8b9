from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django_otp import user_has_device
from django_otp.models import Device

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


@receiver(post_save)
@receiver(post_delete)
def keep_second_factor_flag(sender, instance, **kwargs):
    """Person.has_second_factor follows the person's confirmed devices, in the same transaction."""
    if isinstance(instance, Device) and instance.user_id:
        from qlvb.organization.models import Person

        has = user_has_device(instance.user, confirmed=True)
        Person.objects.filter(pk=instance.user_id).exclude(has_second_factor=has).update(has_second_factor=has)
