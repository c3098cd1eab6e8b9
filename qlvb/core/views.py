from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import requires_csrf_token

from qlvb.audit.services import record

THEME_COLOR = "#0b4f8a"  # the navbar's blue (app.css), also the phone's status bar


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


def manifest(request):
    """The web app manifest: the product can be added to a phone's home screen (issue 11 item 12)."""
    icons = [{"src": static("qlvb/icons/icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
             {"src": static("qlvb/icons/icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
             {"src": static("qlvb/icons/maskable-512.png"), "sizes": "512x512", "type": "image/png",
              "purpose": "maskable"}]
    body = {"name": _("Quản lý văn bản và điều hành"), "short_name": "QLVB", "lang": request.LANGUAGE_CODE,
            "description": _("Văn bản đến, văn bản đi, hồ sơ công việc và theo dõi xử lý"),
            "start_url": reverse("home"), "scope": "/", "display": "standalone", "orientation": "any",
            "background_color": "#ffffff", "theme_color": THEME_COLOR, "icons": icons}
    response = JsonResponse(body, content_type="application/manifest+json",
                            json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "public, max-age=86400"
    return response
