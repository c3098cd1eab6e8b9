"""The competent person's digital signature at "Duyệt ký" (issue 14, item 3; Decree 30 Art 5, 13.7).

`services.sign` calls this module: the signer's credential is chosen (their own, active), the draft is
rendered (`outgoing.rendering.render`: typed text, Word file or PDF, with its boxes) and signed PAdES
with the signer's visible signature image in the `signer` box (ô 7c, §1.6) by
`signing.services.sign_document` (PIN checked, rate-limited, audited). A remote credential (the phone
confirms) takes two steps: `ask_phone_for` sends the hash and keeps the request on the draft; the task
`records.tasks.follow_remote_signature` polls until it ends (`follow`), then `settle` approves the draft
or tells the signer why nothing was signed.

A Word draft not yet converted is converted here, synchronously, through the same kept conversion
(`documents.Rendition`) the worker fills: the leader clicked "Duyệt ký" once and expects it done, a
conversion takes a few seconds, and the worker usually has it ready (queued when the draft reached the
signer, `prepare`)."""

import datetime as dt
import time

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb.signing import services as signing
from qlvb.signing.models import RemoteSigningRequest, SigningCredential
from qlvb.signing.signers import SigningError, WrongPin

FIELD_NAME = "NguoiKy"  # the signature field of the competent person; the agency's comes at issuing
REASON = "Duyệt ký"


def usable_credentials(person):
    """The person's own credentials they can sign with now (their own, active, in validity)."""
    now = timezone.now()
    return SigningCredential.objects.filter(owner=person, status=SigningCredential.Status.ACTIVE,
                                            not_before__lte=now, not_after__gte=now).order_by("label", "id")


def choose(person, chosen=None) -> SigningCredential | None:
    """The credential to sign with: the one chosen (an id or the object) among the person's usable ones,
    else the first of them; None when they hold none."""
    usable = list(usable_credentials(person))
    if chosen in (None, ""):
        return usable[0] if usable else None
    chosen_id = getattr(chosen, "pk", chosen)
    for credential in usable:
        if str(credential.pk) == str(chosen_id):
            return credential
    raise ValidationError({"credential": _("Chứng thư số đã chọn không phải của bạn hoặc không còn dùng được.")})


def boxes_json(boxes) -> dict:
    """`Rendered.boxes` as stored in `Draft.signed_boxes` (read back by `rendering.boxes.from_json`)."""
    return {key: box.as_dict() for key, box in boxes.items()}


def _render(draft):
    from qlvb.outgoing import rendering

    rendered = rendering.render(draft)
    if "signer" not in rendered.boxes:
        raise ValidationError({"boxes": _("Không xác định được vị trí chữ ký trên văn bản (đặt vị trí trong mẫu "
                                          "văn bản của loại này).")})
    return rendered


def _pades_box(box):
    return box.page, (box.x1, box.y1, box.x2, box.y2)


def sign_now(*, actor, draft, credential: SigningCredential, pin: str | None) -> tuple[bytes, dict]:
    """The draft's PDF signed with `credential` unlocked by `pin`, and the boxes of its rendering. Runs
    outside the approval's transaction so a wrong PIN's count and audit stay when the approval fails.
    Raises ValidationError naming the field ("pin", "credential", "boxes")."""
    if not pin:
        raise ValidationError({"pin": _("Nhập mã PIN của chứng thư số “%(label)s” để ký số.")
                               % {"label": credential.label}})
    rendered = _render(draft)
    try:
        pdf = signing.sign_document(actor=actor, credential=credential, pdf_bytes=rendered.pdf,
                                    field_name=FIELD_NAME, box=_pades_box(rendered.boxes["signer"]), pin=pin,
                                    reason=REASON, obj=draft)
    except WrongPin as exc:
        raise ValidationError({"pin": str(exc)}) from None
    except SigningError as exc:
        raise ValidationError({"pin" if signing.pin_blocked(credential) else "credential": str(exc)}) from None
    return pdf, boxes_json(rendered.boxes)


def waiting(draft) -> RemoteSigningRequest | None:
    """The remote signature the draft still waits for (its phone confirmation not yet in, not expired)."""
    request = draft.signature_request
    if request is None or request.status != RemoteSigningRequest.Status.PENDING:
        return None
    return request if request.expires_at > timezone.now() else None


def ask_phone_for(*, actor, draft, credential: SigningCredential, comment: str):
    """Render the draft and send the hash of its signature to the signer's phone (nothing is signed yet);
    the draft keeps the request and the task that polls it is queued. Raises ValidationError naming the
    field."""
    from qlvb.audit.services import record as audit
    from qlvb.core.taskqueue import enqueue_on_commit

    from .services import _locked, _may_sign
    from .tasks import follow_remote_signature

    if waiting(draft) is not None:
        raise ValidationError({"credential": _("Đang chờ xác nhận trên điện thoại cho dự thảo này.")})
    rendered = _render(draft)
    try:
        request = signing.request_remote_signature(
            actor=actor, credential=credential, pdf_bytes=rendered.pdf, field_name=FIELD_NAME,
            box=_pades_box(rendered.boxes["signer"]), description=f"{REASON}: {draft.summary}"[:100])
    except SigningError as exc:
        raise ValidationError({"credential": str(exc)}) from None
    with transaction.atomic():
        request.context = {"draft": draft.pk, "boxes": boxes_json(rendered.boxes), "comment": comment}
        request.save(update_fields=["context"])
        draft = _locked(draft)
        _may_sign(actor, draft)
        draft.signature_request = request
        draft.save(update_fields=["signature_request"])
        audit(actor=actor, action="records.sign_requested", obj=draft,
              changes={"transaction_id": str(request.transaction_id), "credential": credential.pk})
        enqueue_on_commit(follow_remote_signature, request_id=request.pk)
    return draft


def settle(*, request):
    """A remote signature asked for at "Duyệt ký" has ended: signed, the draft is approved as with a PIN
    (`services._approve_signed`); refused, expired or failed, the signer is told and the draft stays with
    them. Safe to call twice (settled once, under the draft's lock); a request the draft no longer waits
    for is ignored."""
    from qlvb.audit.services import record as audit
    from qlvb.files.storage import open_verified

    from .models import Draft
    from .services import _approve_signed, _notify

    with transaction.atomic():
        draft = Draft.objects.select_for_update(of=("self",)).filter(signature_request=request).first()
        request = RemoteSigningRequest.objects.select_for_update().get(pk=request.pk)
        if draft is None or request.context.get("settled") or request.status == request.Status.PENDING:
            return draft
        request.context = {**request.context, "settled": True}
        request.save(update_fields=["context"])
        link = f"/records/drafts/{draft.pk}/"
        if request.status != request.Status.SIGNED:
            audit(actor=request.requested_by, action="records.sign_not_done", obj=draft,
                  changes={"transaction_id": str(request.transaction_id), "status": request.status})
            _notify(recipients=[request.requested_by], kind="decided", link=link,
                    text=f"{outcome_text(request)} {draft.summary[:100]}")
            return draft
        try:
            return _approve_signed(actor=request.requested_by, draft=draft, pdf=open_verified(request.result_pdf),
                                   comment=request.context.get("comment", ""), boxes=request.context.get("boxes"))
        except (ValidationError, PermissionDenied) as exc:  # decided otherwise meanwhile (returned…)
            _notify(recipients=[request.requested_by], kind="decided", link=link,
                    text=_("Chữ ký từ điện thoại đã nhận nhưng dự thảo không còn chờ duyệt ký: %(e)s")
                    % {"e": " ".join(getattr(exc, "messages", [str(exc)]))})
            return draft


def follow(request_id: int, poll: int = 0) -> None:
    """Poll the remote request until it ends, then settle the draft. Safe to run twice: a finished
    request is settled once (`settle`), and each poll of the chain is claimed by its number, so a task
    delivered twice does not start a second chain of polls. With a queue that can defer (database,
    Redis) the next poll is queued `QLVB_SIGNING_REMOTE_POLL` seconds later; without one (the immediate
    backend) it waits here."""
    from . import tasks

    request = RemoteSigningRequest.objects.select_related("credential").filter(pk=request_id).first()
    if request is None:
        return
    while True:
        try:
            request = signing.poll_remote_signature(request=request)
        except SigningError:  # the service did not answer this time: try again at the next poll
            if timezone.now() >= request.expires_at:
                return  # past its time: the page shows it expired, the signer may sign again
        if request.status != RemoteSigningRequest.Status.PENDING:
            settle(request=request)
            return
        interval = settings.QLVB_SIGNING_REMOTE_POLL
        task = tasks.follow_remote_signature
        if task.get_backend().supports_defer:
            if _claim_poll(request, poll):
                run_after = timezone.now() + dt.timedelta(seconds=interval)
                task.using(run_after=run_after).enqueue(request_id=request.pk, poll=poll + 1)
            return
        time.sleep(interval)


def _claim_poll(request: RemoteSigningRequest, poll: int) -> bool:
    """Whether this run (poll number `poll`) is the one that queues the next poll: the first of two runs
    of the same task wins, the other stops."""
    with transaction.atomic():
        locked = RemoteSigningRequest.objects.select_for_update().get(pk=request.pk)
        if locked.context.get("poll", 0) != poll:
            return False
        locked.context = {**locked.context, "poll": poll + 1}
        locked.save(update_fields=["context"])
        return True


def outcome_text(request: RemoteSigningRequest) -> str:
    """Why a remote signature ended without a signature, for the signer."""
    Status = RemoteSigningRequest.Status
    if request.status == Status.REFUSED:
        return _("Bạn đã từ chối ký trên điện thoại; dự thảo chưa được ký.")
    if request.status in (Status.EXPIRED, Status.PENDING):  # pending past its time: nobody polled it
        return _("Hết thời gian chờ xác nhận trên điện thoại; dự thảo chưa được ký, hãy duyệt ký lại.")
    return _("Dịch vụ ký số từ xa báo lỗi (%(m)s); dự thảo chưa được ký.") % {"m": request.message or "—"}
