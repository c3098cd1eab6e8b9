from axes.models import AccessAttempt
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from qlvb.access import Action, require
from qlvb.audit.context import client_ip
from qlvb.core.forms import LoginForm
from qlvb.organization.models import Person

from . import services, throttle
from .middleware import two_factor_required
from .models import SessionRecord


class LoginView(auth_views.LoginView):
    """Django's login, refused early for an address with too many recent failures."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if throttle.address_blocked(client_ip(request)):
            return render(request, "accounts/lockout.html", {"by_address": True}, status=429)
        return super().post(request, *args, **kwargs)


def _next(request, default="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse_lazy(default)


@login_required
def account(request):
    return render(request, "accounts/account.html", {
        "has_2fa": user_has_device(request.user), "required": two_factor_required(request.user),
        "sessions": SessionRecord.objects.filter(person=request.user),
        "current": request.session.session_key,
    })


@login_required
def setup(request):
    device = services.totp_device(request.user)
    if device.confirmed:
        return redirect("accounts:account")
    if request.method == "POST":
        try:
            codes = services.confirm_totp(actor=request.user, request=request, token=request.POST.get("token"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return render(request, "accounts/recovery_codes.html", {"codes": codes, "next": _next(request)})
    return render(request, "accounts/setup.html", {
        "qr": services.qr_data_uri(device), "secret": services.secret_text(device),
        "required": two_factor_required(request.user), "next": request.GET.get("next", ""),
    })


@login_required
def verify(request):
    if request.user.is_verified():
        return redirect(_next(request))
    if request.method == "POST":
        try:
            services.verify_second_factor(actor=request.user, request=request, token=request.POST.get("token"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            return redirect(_next(request))
    return render(request, "accounts/verify.html", {"next": request.GET.get("next", "")})


@login_required
@require_POST
def sign_out_elsewhere(request):
    count = services.sign_out_elsewhere(actor=request.user, current_session_key=request.session.session_key)
    messages.success(request, _("Đã đăng xuất %(n)d phiên khác.") % {"n": count})
    return redirect("accounts:account")


@login_required
def security_admin(request):
    """Administrator: locked accounts (unlock) and second-factor reset."""
    require(request.user, Action.ADMINISTER)
    if request.method == "POST":
        username = request.POST.get("username", "")
        if request.POST.get("action") == "unlock":
            services.unlock(actor=request.user, username=username)
            messages.success(request, _("Đã mở khóa tài khoản %(u)s.") % {"u": username})
        elif request.POST.get("action") == "reset_2fa":
            person = get_object_or_404(Person, username=username)
            services.reset_two_factor(actor=request.user, person=person)
            messages.success(request, _("Đã xóa xác thực hai lớp của %(u)s.") % {"u": person})
        return redirect("accounts:security_admin")
    locked = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).order_by(
        "-attempt_time")[:200]
    return render(request, "accounts/security_admin.html", {"locked": locked})


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        from qlvb.audit.services import record

        response = super().form_valid(form)
        record(actor=self.request.user, action="accounts.password_changed", obj=self.request.user)
        messages.success(self.request, _("Đã đổi mật khẩu."))
        return response
