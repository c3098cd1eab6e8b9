"""The REST API (OpenAPI at /api/docs): routers of each app, calling the same services as the pages."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.security import django_auth
from ninja.throttling import AuthRateThrottle

api = NinjaAPI(
    title="QLVB API",
    version="1",
    description=_("API của phần mềm Quản lý văn bản và hồ sơ công việc."),
    auth=django_auth,
    urls_namespace="api",
    # Per signed-in person; generous for people, a brake on runaway scripts.
    throttle=[AuthRateThrottle(settings.QLVB_API_RATE)],
)


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    return api.create_response(request, {"detail": exc.messages}, status=400)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    from qlvb.audit.services import record

    record(actor=request.user if request.user.is_authenticated else None, action="access.denied",
           changes={"path": request.path, "method": request.method})
    return api.create_response(request, {"detail": str(exc) or _("Không có quyền.")}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Không tìm thấy.")}, status=404)


def _routers():
    from qlvb.assignments.api import router as assignments
    from qlvb.incoming.api import router as incoming
    from qlvb.outgoing.api import router as outgoing
    from qlvb.records.api import router as records
    from qlvb.reports.api import router as reports

    api.add_router("/incoming", incoming)
    api.add_router("/assignments", assignments)
    api.add_router("/records", records)
    api.add_router("/outgoing", outgoing)
    api.add_router("/reports", reports)


_routers()
