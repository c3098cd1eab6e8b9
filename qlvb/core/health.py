"""/healthz: is the database answering and the file store writable?"""

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True, connection.vendor
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return False, type(exc).__name__


def _storage() -> tuple[bool, str]:
    """The local store (or the scratch folder) is writable; on S3, the bucket answers too."""
    from qlvb.files import backends

    try:
        return True, backends.current().check()
    except Exception as exc:  # noqa: BLE001 - a disk error or an unreachable bucket: "down"
        return False, type(exc).__name__


@never_cache
def healthz(request):
    checks = {"database": _database(), "storage": _storage()}
    healthy = all(ok for ok, _ in checks.values())
    body = {
        "status": "ok" if healthy else "error",
        "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in checks.items()},
    }
    return JsonResponse(body, status=200 if healthy else 503)
