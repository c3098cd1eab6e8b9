"""Second factor: a person with an authenticator must enter a code after the password; a person
whose role requires it must enrol one before using anything else."""

import time

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

OPEN_PATHS = ("/account/2fa/", "/logout/", "/static/", "/healthz", "/i18n/", "/login/")


def two_factor_required(person) -> bool:
    roles = {r.strip() for r in settings.QLVB_2FA_REQUIRED_ROLES.split(",") if r.strip()}
    return bool(roles) and person.has_role(*roles)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not request.path.startswith(OPEN_PATHS) and not user.is_verified():
            target = None
            if user.has_second_factor:  # kept by accounts.signals: no device query per request
                target = "accounts:verify"
            elif two_factor_required(user):
                target = "accounts:setup"
            if target:
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": _("Cần xác thực hai lớp.")}, status=401)
                return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)


class SessionIdleMiddleware:
    """Slide the inactivity expiry of a signed-in session, writing it at most once a minute
    (reading pages must not take SQLite's write lock on every request)."""

    KEY, EVERY = "_touched", 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and request.user.is_authenticated:
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= self.EVERY:
                session[self.KEY] = now  # marks the session modified: saved with a fresh expiry
                from django.utils import timezone

                from .models import SessionRecord

                SessionRecord.objects.filter(session_key=session.session_key).update(last_seen=timezone.now())
        return self.get_response(request)
