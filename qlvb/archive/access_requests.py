"""Access to archived records by request (F-6.c; Decree 30 Art 31 and the archive's rules of use): a person
outside the record's creating unit finds it in the archive's catalogue and asks with the purpose; the
archivist, the head of the creating unit or the head of the agency approves until a day (a grant that
`access.readable_archived_records` honours while it runs) or refuses with a reason. One function per
action: permission first, audit and notifications last."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb import access
from qlvb.access import Action
from qlvb.audit.services import record as audit
from qlvb.core.text import field_text

from .models import AccessRequest

GRANT_DAYS = 30        # the period proposed when the approver does not choose one
MAX_GRANT_DAYS = 365   # a grant runs at most a year; a longer need is asked again


def _notify(**kwargs):
    from qlvb.monitoring.services import notify

    notify(**kwargs)


def approvers(record) -> list:
    """Who decides on access to the record: the archivists and the heads of its unit."""
    from qlvb.organization.models import Person, Role

    return list(Person.objects.filter(Q(position__role=Role.ARCHIVIST) | Q(role_grants__role=Role.ARCHIVIST)
                                      | Q(unit=record.unit_id, position__role=Role.HEAD), is_active=True).distinct())


@transaction.atomic
def request_access(*, actor, record, reason: str) -> AccessRequest:
    """Ask to read an archived record, saying what for; the approvers are told."""
    from qlvb.records.models import WorkRecord

    access.require(actor, Action.REQUEST_ACCESS, record)
    reason = field_text(reason, "reason", _("mục đích khai thác"), 1000, required=True)
    record = WorkRecord.objects.select_for_update().get(pk=record.pk)  # one pending request per person
    if AccessRequest.objects.filter(record=record, requested_by=actor, state=AccessRequest.State.PENDING).exists():
        raise ValidationError(_("Bạn đã đề nghị khai thác hồ sơ “%(t)s”, đang chờ phê duyệt.") % {"t": record.title})
    made = AccessRequest.objects.create(record=record, requested_by=actor, reason=reason)
    audit(actor=actor, action="archive.access_request", obj=record, changes={"request": made.pk, "reason": reason})
    _notify(recipients=[p for p in approvers(record) if p.pk != actor.pk], kind="archive",
            link=reverse("archive:access_requests"),
            text=_("%(who)s đề nghị khai thác hồ sơ lưu trữ “%(t)s”: %(r)s")
            % {"who": actor.full_name, "t": record.title, "r": reason[:150]})
    return made


@transaction.atomic
def decide_access(*, actor, request: AccessRequest, approve: bool, until=None, note: str = "") -> AccessRequest:
    """Approve until a day (default GRANT_DAYS from today, at most MAX_GRANT_DAYS) or refuse with the
    reason; the requester is told."""
    access.require(actor, Action.APPROVE, request)
    request = AccessRequest.objects.select_for_update().select_related("record").get(pk=request.pk)
    if request.state != AccessRequest.State.PENDING:
        raise ValidationError(_("Đề nghị khai thác hồ sơ đã được xử lý (%(s)s).") % {"s": request.get_state_display()})
    if approve:
        note = field_text(note, "note", _("ý kiến"), 1000)
        today = timezone.localdate()
        until = until or today + timedelta(days=GRANT_DAYS)
        if not today <= until <= today + timedelta(days=MAX_GRANT_DAYS):
            raise ValidationError({"until": _("Được khai thác đến ngày: từ hôm nay đến %(d)s (tối đa %(n)d ngày).")
                                   % {"d": f"{today + timedelta(days=MAX_GRANT_DAYS):%d/%m/%Y}",
                                      "n": MAX_GRANT_DAYS}})
        request.state, request.until = AccessRequest.State.APPROVED, until
    else:
        note = field_text(note, "note", _("lý do không đồng ý"), 1000)
        if not note:  # said as a sentence: the API's "required" would only name the field "Ghi chú"
            raise ValidationError({"note": _("Nhập lý do không đồng ý.")})
        request.state = AccessRequest.State.REFUSED
    request.decided_by, request.decided_at, request.decision_note = actor, timezone.now(), note
    request.save(update_fields=["state", "until", "decided_by", "decided_at", "decision_note"])
    audit(actor=actor, action="archive.access_decide", obj=request.record,
          changes={"request": request.pk, "state": request.state,
                   "until": until.isoformat() if approve else None, "note": note})
    record = request.record
    text = (_("Đồng ý cho khai thác hồ sơ “%(t)s” đến hết ngày %(d)s.") % {"t": record.title, "d": f"{until:%d/%m/%Y}"}
            if approve else _("Không đồng ý cho khai thác hồ sơ “%(t)s”: %(r)s") % {"t": record.title, "r": note})
    _notify(recipients=[request.requested_by], kind="archive",
            link=reverse("archive:archived", args=[record.pk]), text=text)
    return request


def latest_for(person, record):
    """The person's last request on the record (shown on the record's archive page), or None."""
    return AccessRequest.objects.filter(record=record, requested_by=person).order_by("-requested_at", "-id").first()
