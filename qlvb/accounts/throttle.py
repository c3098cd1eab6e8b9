"""Failed logins per client address (axes locks per account; this brakes guessing across accounts)."""

from django.conf import settings
from django.core.cache import cache

WINDOW = 15 * 60


def _key(ip) -> str:
    return f"login-failures:{ip}"


def record_failure(ip) -> None:
    if ip:
        cache.add(_key(ip), 0, WINDOW)
        cache.incr(_key(ip))


def address_blocked(ip) -> bool:
    return bool(ip) and cache.get(_key(ip), 0) >= settings.QLVB_LOGIN_ADDRESS_LIMIT
