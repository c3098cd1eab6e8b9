"""Where the current request came from, for audit entries written deep inside services."""

from contextvars import ContextVar

request_origin: ContextVar[tuple[str | None, str]] = ContextVar("request_origin", default=(None, ""))


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or the first X-Forwarded-For hop when deployed behind a trusted proxy."""
    from django.conf import settings

    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_origin.set((client_ip(request), request.META.get("HTTP_USER_AGENT", "")[:255]))
        try:
            return self.get_response(request)
        finally:
            request_origin.reset(token)
