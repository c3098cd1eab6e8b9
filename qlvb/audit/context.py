"""Where the current request came from, for audit entries written deep inside services."""

import ipaddress
from contextvars import ContextVar
from functools import cache

from django.conf import settings
from ipware import get_client_ip

request_origin: ContextVar[tuple[str | None, str]] = ContextVar("request_origin", default=(None, ""))


@cache
def _networks(proxies: tuple[str, ...]):
    return [ipaddress.ip_network(proxy, strict=False) for proxy in proxies]


def _trusted_proxy(ip: str | None) -> bool:
    if not ip:
        return False
    address = ipaddress.ip_address(ip)
    return any(address in network for network in _networks(tuple(settings.QLVB_TRUSTED_PROXIES)))


def client_ip(request) -> str | None:
    """The address the request came from (audit entries, login throttling, lockout).

    REMOTE_ADDR, unless it is one of our reverse proxies (QLVB_TRUSTED_PROXIES, set behind a proxy):
    then the hop that proxy appended to X-Forwarded-For, walking left past our other proxies. Hops
    further left were written by the client and are never believed."""
    peer, _ = get_client_ip(request, request_header_order=["REMOTE_ADDR"])
    hops = 0
    while _trusted_proxy(peer):
        hop, _ = get_client_ip(request, proxy_count=hops, request_header_order=["HTTP_X_FORWARDED_FOR"],
                               strict=False)
        if not hop:
            break
        peer, hops = hop, hops + 1
    return peer


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_origin.set((client_ip(request), request.META.get("HTTP_USER_AGENT", "")[:255]))
        try:
            return self.get_response(request)
        finally:
            request_origin.reset(token)
