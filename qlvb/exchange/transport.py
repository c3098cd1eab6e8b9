"""The direct transport between two QLVB installations (no hub): the HTTPS POST of a package or a status
notice to a peer's `/api/exchange/receive`, authenticated by the peer's shared token.

`SEND` is the seam: tests replace it with a function that posts through Django's test client (one
process playing both agencies); the two-installation test keeps the real one."""

import dataclasses
import hmac
from typing import BinaryIO

import requests
from django.conf import settings

RECEIVE_PATH = "/api/exchange/receive"
ORGAN_HEADER = "X-Edxml-Organ-Id"  # the sender's OrganId: which peer's token to check


@dataclasses.dataclass
class Answer:
    """The peer's answer: HTTP status and its JSON body ({} when not JSON)."""

    status: int
    body: dict


class Unreachable(Exception):
    """No answer (connection refused, time-out, TLS error): retried later."""


def _http_post(peer, *, source: BinaryIO, size: int, organ_id: str) -> Answer:
    url = peer.endpoint.rstrip("/") + RECEIVE_PATH
    headers = {"Authorization": f"Bearer {peer.token}", ORGAN_HEADER: organ_id,
               "Content-Type": "application/xml", "Content-Length": str(size)}
    try:
        response = requests.post(url, data=source, headers=headers, timeout=settings.QLVB_EXCHANGE_SEND_TIMEOUT,
                                 allow_redirects=False)
    except requests.RequestException as exc:
        raise Unreachable(type(exc).__name__ + (f": {exc.args[0]}" if exc.args else "")) from None
    try:
        body = response.json()
    except ValueError:
        body = {}
    return Answer(response.status_code, body if isinstance(body, dict) else {})


SEND = _http_post


def send(peer, *, source: BinaryIO, size: int, organ_id: str) -> Answer:
    return SEND(peer, source=source, size=size, organ_id=organ_id)


def token_matches(peer, presented: str) -> bool:
    return bool(peer.token) and hmac.compare_digest(peer.token.encode(), (presented or "").encode())
