"""Account security actions: second factor, unlocking, sessions."""

import base64
import io

import qrcode
import qrcode.image.svg
from axes.utils import reset as axes_reset
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from qlvb.access import Action, require
from qlvb.audit.services import record

from .models import SessionRecord

RECOVERY_CODES = 10


def totp_device(person) -> TOTPDevice:
    """The person's authenticator; an unconfirmed one is created for enrolment."""
    device = TOTPDevice.objects.filter(user=person).order_by("-confirmed", "id").first()
    return device or TOTPDevice.objects.create(user=person, name="Ứng dụng xác thực", confirmed=False)


def qr_data_uri(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def secret_text(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


@transaction.atomic
def confirm_totp(*, actor, request, token: str) -> list[str]:
    """Confirm the authenticator with its first code; returns the recovery codes, shown once."""
    device = totp_device(actor)
    if not device.verify_token((token or "").strip()):
        record(actor=actor, action="accounts.2fa_failed", obj=actor)
        raise ValidationError(_("Mã xác thực không đúng hoặc đã hết hạn. Kiểm tra giờ trên điện thoại rồi thử lại."))
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    StaticDevice.objects.filter(user=actor).delete()
    static = StaticDevice.objects.create(user=actor, name="Mã khôi phục", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    otp_login(request, device)
    record(actor=actor, action="accounts.2fa_enrolled", obj=actor)
    return codes


def verify_second_factor(*, actor, request, token: str) -> None:
    """Check a 6-digit code or a recovery code (used once) and mark the session verified."""
    device = match_token(actor, (token or "").strip().replace(" ", ""))
    if device is None:
        record(actor=actor, action="accounts.2fa_failed", obj=actor)
        raise ValidationError(_("Mã xác thực không đúng."))
    otp_login(request, device)
    kind = "recovery_code" if isinstance(device, StaticDevice) else "totp"
    record(actor=actor, action="accounts.2fa_verified", obj=actor, changes={"method": kind})


@transaction.atomic
def reset_two_factor(*, actor, person) -> None:
    """An administrator removes a person's authenticator (lost phone); they enrol again at next login."""
    require(actor, Action.ADMINISTER)
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    record(actor=actor, action="accounts.2fa_reset", obj=person)


def unlock(*, actor, username: str) -> int:
    """An administrator lifts a login lockout of an account."""
    require(actor, Action.ADMINISTER)
    removed = axes_reset(username=username)
    record(actor=actor, action="accounts.unlock", changes={"username": username, "attempts": removed})
    return removed


@transaction.atomic
def sign_out_elsewhere(*, actor, current_session_key: str) -> int:
    """End every other session of the person."""
    others = SessionRecord.objects.filter(person=actor).exclude(session_key=current_session_key)
    keys = list(others.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    others.delete()
    record(actor=actor, action="accounts.sign_out_elsewhere", obj=actor, changes={"sessions": len(keys)})
    return len(keys)


# ---- saved searches (Circular 01/2019 F-6.f) ---------------------------------------------------------------

def _search_settings(kind_name: str, params: dict, columns, order: str) -> dict:
    """What a saved search keeps, checked as a search is: criteria typed and named by field when wrong,
    unknown columns dropped, an order the kind cannot sort by replaced by its default."""
    from qlvb.documents import search

    kind = search.KINDS.get(kind_name)
    if kind is None:
        raise ValidationError({"kind": _("“Loại văn bản” phải là văn bản đến hoặc văn bản đi.")})
    return {"kind": kind.name, "params": search.as_params(search.parse(kind, params or {})),
            "columns": [c.key for c in search.columns_of(kind, columns)], "order": search.order_of(kind, order)}


def _search_name(owner, name: str, *, excluding=None) -> str:
    from .models import SavedSearch

    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("“Tên tìm kiếm” là bắt buộc.")})
    if len(name) > 100:
        raise ValidationError({"name": _("“Tên tìm kiếm” chỉ được có tối đa 100 ký tự.")})
    if SavedSearch.objects.filter(owner=owner, name=name).exclude(pk=getattr(excluding, "pk", None)).exists():
        raise ValidationError({"name": _("Bạn đã có một tìm kiếm tên “%(name)s”.") % {"name": name}})
    return name


def _own(actor, saved) -> None:
    if saved.owner_id != actor.pk:  # the selectors answer 404 first; this keeps a stray caller out
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


@transaction.atomic
def save_search(*, actor, name: str, kind: str, params: dict, columns=(), order: str = ""):
    """Keep the actor's search under a name, to run it again later with the same columns and order."""
    from .models import SavedSearch

    require(actor, Action.HANDLE_DOCUMENTS)
    saved = SavedSearch.objects.create(owner=actor, name=_search_name(actor, name),
                                       **_search_settings(kind, params, columns, order))
    record(actor=actor, action="accounts.search_saved", obj=saved, changes={"name": saved.name, "kind": saved.kind})
    return saved


@transaction.atomic
def rename_search(*, actor, saved, name: str):
    _own(actor, saved)
    old, saved.name = saved.name, _search_name(actor, name, excluding=saved)
    saved.save(update_fields=["name", "updated_at"])
    record(actor=actor, action="accounts.search_renamed", obj=saved, changes={"name": [old, saved.name]})
    return saved


@transaction.atomic
def delete_search(*, actor, saved) -> None:
    _own(actor, saved)
    record(actor=actor, action="accounts.search_deleted", obj=saved, changes={"name": saved.name})
    saved.delete()
