from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.csrf import requires_csrf_token

from qlvb.audit.services import record


@login_required
def home(request):
    return render(request, "core/home.html", {"widgets": home_widgets(request.user)})


def home_widgets(person) -> list:
    """Widgets other apps contribute to the personal home page (see each app's `home_widget`)."""
    from django.apps import apps

    widgets = []
    for config in apps.get_app_configs():
        provider = getattr(config, "home_widget", None)
        if provider and (widget := provider(person)):
            widgets.append(widget)
    return widgets


@requires_csrf_token
def permission_denied(request, exception=None):
    """The 403 page; every refusal is written to the audit trail."""
    user = getattr(request, "user", None)
    record(
        actor=user if user is not None and user.is_authenticated else None,
        action="access.denied",
        changes={"path": request.path, "method": request.method},
    )
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)
