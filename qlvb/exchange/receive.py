"""`POST /api/exchange/receive`: where a peer installation delivers a package or a status notice.

Authenticated by the peer's token (`Authorization: Bearer …`, and `X-Edxml-Organ-Id` naming which peer);
no session, no CSRF (a server calls it). The body is the raw `.edxml`, streamed to the file store while
counted against QLVB_EXCHANGE_MAX_PACKAGE_BYTES (the declared Content-Length is checked first). Answers:
201 received now (status 01 queued back), 200 received before (the same package delivered twice is
registered once and answered the same), 422 refused with status "02" and the reason (malformed, hostile,
modified signature, not for us), 413 too large, 401 unknown peer or wrong token."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services, transport
from .edxml import codes
from .models import Peer


def _reason(exc: ValidationError) -> str:
    return " ".join(exc.messages)


@csrf_exempt
@require_POST
def receive(request):
    organ_id = (request.headers.get(transport.ORGAN_HEADER) or "").strip().upper()
    auth = request.headers.get("Authorization") or ""
    token = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    peer = Peer.objects.filter(organ_id=organ_id, is_active=True).first() if organ_id else None
    if peer is None or not transport.token_matches(peer, token):
        return JsonResponse({"detail": "Cơ quan gửi chưa được khai báo liên thông hoặc mã xác thực không đúng."},
                            status=401)
    try:
        declared = int(request.headers.get("Content-Length") or 0) or None
    except ValueError:
        declared = None
    too_large = declared is not None and declared > settings.QLVB_EXCHANGE_MAX_PACKAGE_BYTES
    try:
        result = services.receive_from_peer(peer=peer, stream=request, declared_size=declared)
    except ValidationError as exc:
        return JsonResponse({"status": codes.REFUSED, "reason": _reason(exc)}, status=413 if too_large else 422)
    if result.status is not None:
        return JsonResponse({"kind": "status", "created": result.created, "code": result.status.code},
                            status=201 if result.created else 200)
    package = result.package
    return JsonResponse({"kind": "package", "created": result.created, "status": codes.RECEIVED,
                         "document_id": package.document_id, "state": package.state,
                         "signature": package.signature_verdict}, status=201 if result.created else 200)
