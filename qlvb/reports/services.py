"""Report actions: choose what a person may report on, request an export, manage API tokens."""

import hashlib
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb.access import Action, require
from qlvb.audit.services import record
from qlvb.core.taskqueue import enqueue_on_commit
from qlvb.organization.models import Role, Unit

from .models import ApiToken, Export
from .selectors import Period


def period_for(*, actor, start, end, unit: Unit | None) -> Period:
    """The period a person may see: heads (without a wider role) only their own unit."""
    require(actor, Action.VIEW_REPORTS)
    if not start or not end or end < start:
        raise ValidationError(_("Chọn khoảng thời gian hợp lệ (từ ngày ≤ đến ngày)."))
    if (end - start).days > 3660:
        raise ValidationError(_("Khoảng thời gian tối đa 10 năm."))
    wide = actor.has_role(Role.LEADER, Role.CLERK, Role.ADMIN, Role.REPORTER)
    if not wide:
        unit = actor.unit
    return Period(start=start, end=end, unit=unit)


@transaction.atomic
def request_export(*, actor, period: Period, fmt: str) -> Export:
    from .tasks import build_export

    if fmt not in ("xlsx", "pdf"):
        raise ValidationError(_("Định dạng không hỗ trợ."))
    export = Export.objects.create(requested_by=actor, fmt=fmt, params={
        "start": period.start.isoformat(), "end": period.end.isoformat(),
        "unit": period.unit.pk if period.unit else None})
    record(actor=actor, action="reports.export", changes=export.params | {"format": fmt})
    enqueue_on_commit(build_export, export_id=export.pk)  # a worker must find the committed row
    return export


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue_token(*, actor, name: str) -> tuple[ApiToken, str]:
    """A new read-only reports token; the clear token is returned once and never stored."""
    require(actor, Action.ADMINISTER)
    token = "qlvb_" + secrets.token_urlsafe(32)
    item = ApiToken.objects.create(name=name.strip() or _("Khóa API"), token_hash=_hash(token), created_by=actor)
    record(actor=actor, action="reports.token_issued", obj=item)
    return item, token


@transaction.atomic
def revoke_token(*, actor, token: ApiToken) -> None:
    require(actor, Action.ADMINISTER)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record(actor=actor, action="reports.token_revoked", obj=token)


def token_holder(token: str) -> ApiToken | None:
    item = ApiToken.objects.filter(token_hash=_hash(token or ""), revoked_at__isnull=True).first()
    if item:
        ApiToken.objects.filter(pk=item.pk).update(last_used_at=timezone.now())
    return item
