"""Nộp lưu (Decree 30 Art 31): closed records kept 5 years or more (or permanently) are submitted to the
agency archive within a deadline (QLVB_SUBMISSION_MONTHS after closing, QLVB_SUBMISSION_MONTHS_CONSTRUCTION
for construction-project records), unless the head approved keeping them longer (at most 2 years). The
archivist (role Lưu trữ) accepts them into a handover (Biên bản giao nhận) or returns them with a reason;
accepted, the record is archived and read-only. One function per action: permission first, audit and
notifications last."""

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb import access
from qlvb.access import Action
from qlvb.audit.services import record as audit
from qlvb.documents.fulltext import request_reindex
from qlvb.documents.models import FullTextEntry

from .models import Handover, KeepRequest, Submission

MIN_YEARS = 5          # Art 31: records kept 5 years or more are submitted
KEEP_MAX_YEARS = 2     # Art 31: kept longer with the head's consent, at most 2 years
REMIND_DAYS = 30       # Annex VI I.III.5.b: notify 30 days before the deadline


def _notify(**kwargs):
    from qlvb.monitoring.services import notify

    notify(**kwargs)


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def must_submit(record) -> bool:
    return bool(record.retention_permanent or (record.retention_years or 0) >= MIN_YEARS)


def base_due(record) -> date | None:
    """The legal deadline, from the day the record was closed."""
    if record.closed_at is None:
        return None
    months = (settings.QLVB_SUBMISSION_MONTHS_CONSTRUCTION if record.construction
              else settings.QLVB_SUBMISSION_MONTHS)
    return add_months(timezone.localdate(record.closed_at), months)


def due_date(record) -> date | None:
    """The deadline that applies: the legal one, or the day an approved keep request runs to."""
    due = base_due(record)
    kept = record.keep_requests.filter(state=KeepRequest.State.APPROVED).aggregate(m=Max("until"))["m"]
    return max(due, kept) if due and kept else due


def pending(record):
    return record.submissions.filter(state=Submission.State.SUBMITTED).first()


def _closed_record(record):
    from qlvb.records.models import WorkRecord

    record = WorkRecord.objects.select_for_update().get(pk=record.pk)
    if record.status != WorkRecord.Status.CLOSED:
        raise ValidationError(_("Hồ sơ “%(t)s” chưa đóng hoặc đã nộp lưu: không nộp lưu được.") % {"t": record.title})
    return record


@transaction.atomic
def submit(*, actor, record):
    """The owner submits a closed record to the agency archive; the archivists are told."""
    access.require(actor, Action.SUBMIT, record)
    record = _closed_record(record)
    if not must_submit(record):
        raise ValidationError(_("Hồ sơ “%(t)s” có thời hạn bảo quản dưới %(n)d năm: không thuộc diện nộp lưu.")
                              % {"t": record.title, "n": MIN_YEARS})
    if pending(record):
        raise ValidationError(_("Hồ sơ “%(t)s” đã nộp lưu, đang chờ lưu trữ tiếp nhận.") % {"t": record.title})
    submission = Submission.objects.create(record=record, submitted_by=actor)
    audit(actor=actor, action="archive.submit", obj=record, changes={"submission": submission.pk})
    _notify(recipients=archivists(), kind="archive", link="/archive/submissions/",
            text=_("Hồ sơ nộp lưu chờ tiếp nhận: %(t)s") % {"t": record.title})
    return submission


def archivists():
    from qlvb.organization.models import Person, Role

    return list(Person.objects.filter(Q(position__role=Role.ARCHIVIST) | Q(role_grants__role=Role.ARCHIVIST),
                                      is_active=True).distinct())


def _waiting(submissions):
    subs = list(Submission.objects.select_for_update().filter(pk__in=[s.pk for s in submissions])
                .select_related("record"))
    if not subs:
        raise ValidationError(_("Chọn hồ sơ nộp lưu."))
    for sub in subs:
        if sub.state != Submission.State.SUBMITTED:
            raise ValidationError(_("Hồ sơ “%(t)s” đã được xử lý (%(s)s).")
                                  % {"t": sub.record.title, "s": sub.get_state_display()})
    return subs


@transaction.atomic
def accept(*, actor, submissions) -> Handover:
    """The archivist accepts records submitted by one person: one handover (Biên bản giao nhận) with
    the number of records and files; each record becomes archived (read-only)."""
    from qlvb.records.index import rows
    from qlvb.records.models import WorkRecord

    access.require(actor, Action.RECEIVE_RECORDS)
    subs = _waiting(submissions)
    if len({s.submitted_by_id for s in subs}) > 1:
        raise ValidationError(_("Một biên bản giao nhận chỉ gồm hồ sơ của một người nộp: chọn lại hồ sơ."))
    now = timezone.now()
    year = timezone.localdate(now).year
    files = sum(len(row.files) for sub in subs for row in rows(sub.record.documents.all()))
    # PostgreSQL refuses FOR UPDATE with an aggregate: lock the year's rows, then count (the unique
    # constraint on year and number answers a race on the first handover of a year).
    numbers = Handover.objects.select_for_update().filter(year=year).values_list("number", flat=True)
    number = max(numbers, default=0) + 1
    handover = Handover.objects.create(number=number, year=year, handed_by=subs[0].submitted_by, received_by=actor,
                                       received_at=now, record_count=len(subs), file_count=files)
    for sub in subs:
        sub.state, sub.decided_by, sub.decided_at, sub.handover = Submission.State.ACCEPTED, actor, now, handover
        sub.save(update_fields=["state", "decided_by", "decided_at", "handover"])
        WorkRecord.objects.filter(pk=sub.record_id).update(status=WorkRecord.Status.ARCHIVED)
        request_reindex(FullTextEntry.Kind.RECORD, sub.record_id)  # update() sends no signal: its status facet
        audit(actor=actor, action="archive.accept", obj=sub.record, changes={"handover": str(handover)})
    _notify(recipients=[handover.handed_by], kind="archive", link="/records/",
            text=_("Lưu trữ cơ quan đã tiếp nhận %(n)d hồ sơ (%(h)s).") % {"n": len(subs), "h": handover})
    return handover


@transaction.atomic
def return_submission(*, actor, submission, reason: str) -> Submission:
    """The archivist returns a submitted record with the reason; the owner is told and may submit again."""
    access.require(actor, Action.RECEIVE_RECORDS)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Nhập lý do trả lại hồ sơ.")})
    sub = _waiting([submission])[0]
    sub.state, sub.decided_by, sub.decided_at, sub.reason = Submission.State.RETURNED, actor, timezone.now(), reason
    sub.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    audit(actor=actor, action="archive.return", obj=sub.record, changes={"reason": reason})
    _notify(recipients=[sub.record.owner, sub.submitted_by], kind="archive",
            link=f"/records/{sub.record_id}/",
            text=_("Lưu trữ cơ quan trả lại hồ sơ “%(t)s”: %(r)s") % {"t": sub.record.title, "r": reason})
    return sub


@transaction.atomic
def request_keep(*, actor, record, until: date, reason: str) -> KeepRequest:
    """The owner asks to keep a closed record past its deadline, with a reason, at most 2 years."""
    from qlvb.organization.selectors import unit_heads

    access.require(actor, Action.SUBMIT, record)
    record = _closed_record(record)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Nhập lý do giữ lại hồ sơ.")})
    due = base_due(record)
    if not until or until <= due:
        raise ValidationError({"until": _("Ngày giữ lại đến phải sau hạn nộp lưu %(d)s.") % {"d": f"{due:%d/%m/%Y}"}})
    limit = add_months(due, 12 * KEEP_MAX_YEARS)
    if until > limit:
        raise ValidationError({"until": _("Ngày giữ lại đến: chỉ được giữ lại tối đa %(n)d năm, đến %(d)s.")
                               % {"n": KEEP_MAX_YEARS, "d": f"{limit:%d/%m/%Y}"}})
    if record.keep_requests.filter(state=KeepRequest.State.PENDING).exists():
        raise ValidationError(_("Hồ sơ đã có đề nghị giữ lại đang chờ phê duyệt."))
    keep = KeepRequest.objects.create(record=record, requested_by=actor, until=until, reason=reason)
    audit(actor=actor, action="archive.keep_request", obj=record,
          changes={"until": until.isoformat(), "reason": reason})
    _notify(recipients=list(unit_heads(record.unit)[:1]), kind="archive", link="/archive/keep/",
            text=_("Đề nghị giữ lại hồ sơ “%(t)s” đến %(d)s: %(r)s")
            % {"t": record.title, "d": f"{until:%d/%m/%Y}", "r": reason})
    return keep


@transaction.atomic
def decide_keep(*, actor, keep: KeepRequest, approve: bool) -> KeepRequest:
    """The head approves (the deadline moves to `until`) or refuses; the owner is told."""
    access.require(actor, Action.APPROVE, keep)
    keep = KeepRequest.objects.select_for_update().select_related("record").get(pk=keep.pk)
    if keep.state != KeepRequest.State.PENDING:
        raise ValidationError(_("Đề nghị giữ lại hồ sơ đã được xử lý."))
    keep.state = KeepRequest.State.APPROVED if approve else KeepRequest.State.REFUSED
    keep.decided_by, keep.decided_at = actor, timezone.now()
    keep.save(update_fields=["state", "decided_by", "decided_at"])
    audit(actor=actor, action="archive.keep_decide", obj=keep.record, changes={"state": keep.state})
    text = (_("Đồng ý giữ lại hồ sơ “%(t)s” đến %(d)s.") if approve
            else _("Không đồng ý giữ lại hồ sơ “%(t)s” đến %(d)s."))
    _notify(recipients=[keep.record.owner, keep.requested_by], kind="archive",
            link=f"/records/{keep.record_id}/", text=text % {"t": keep.record.title, "d": f"{keep.until:%d/%m/%Y}"})
    return keep


def due_for_reminder(today: date):
    """(record, due) for closed records to submit whose deadline is at most 30 days away and not yet
    submitted (waiting at the archive)."""
    from qlvb.records.models import WorkRecord

    records = (WorkRecord.objects.filter(status=WorkRecord.Status.CLOSED)
               .filter(Q(retention_permanent=True) | Q(retention_years__gte=MIN_YEARS))
               .exclude(submissions__state=Submission.State.SUBMITTED)
               .select_related("owner", "unit"))
    for record in records.iterator(chunk_size=500):
        due = due_date(record)
        if due and due - timedelta(days=REMIND_DAYS) <= today:
            yield record, due
