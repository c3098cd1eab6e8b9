"""Periodic jobs: the daily check-in digests, the due/overdue reminders and the nightly backup.

`run_due(now)` is called every half minute by `manage.py run_scheduler` (one process per
deployment, beside the task workers; on PostgreSQL several wait their turn, see `leadership`; running
two is harmless anyway). Each job claims its slot in
JobRun (unique per job and slot) and each person's share in Delivery (unique), inside a
transaction, so a restart or a second scheduler never sends anything twice and a run interrupted
half-way is finished by the next call. Non-working days are skipped.
"""

import logging
from datetime import datetime, timedelta
from itertools import groupby

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb.assignments.models import Assignment, due_soon_q, governing_deadline, main_below, overdue_q
from qlvb.assignments.selectors import unit_items
from qlvb.core.taskqueue import enqueue_on_commit
from qlvb.organization.models import Person, Role
from qlvb.workdays.calendar import add_working_days, is_working_day

from .models import CheckTime, Delivery, JobRun
from .services import notify

log = logging.getLogger(__name__)
LATE_LIMIT = timedelta(hours=2)  # a check-in missed by more than this (machine down) is skipped
DEFAULT_TIMES = ["07:30", "11:00", "13:30", "16:30"]


def check_times():
    times = list(CheckTime.objects.filter(is_active=True).values_list("at", flat=True))
    return times or [datetime.strptime(t, "%H:%M").time() for t in DEFAULT_TIMES]


def run_due(now=None) -> dict:
    now = timezone.localtime(now or timezone.now())
    today = now.date()
    done = {"digests": 0, "reminders": 0, "backup": run_nightly(now), "exchange": _exchange_due()}
    if not is_working_day(today):
        return done
    for at in check_times():
        moment = timezone.make_aware(datetime.combine(today, at), now.tzinfo)
        if moment <= now < moment + LATE_LIMIT:
            done["digests"] += _run("digest", f"{today:%Y-%m-%d} {at:%H:%M}", _digest_people(today),
                                    _send_digest, today)
    first = min(check_times())
    if now.time() >= first:
        done["reminders"] += _run("reminders", f"{today:%Y-%m-%d}", _reminder_items(today), _send_reminder, today)
        done["submission"] = run_submission_reminders(today)
    return done


def run_submission_reminders(today) -> int:
    """Nộp lưu due within 30 days: the owner and the head of the record's unit are told once per record
    and deadline (the JobRun slot is the record and its deadline, so an approved keep request that moves
    the deadline brings one new reminder)."""
    from qlvb.archive.submission import due_for_reminder
    from qlvb.organization.selectors import unit_heads

    sent = 0
    for record, due in due_for_reminder(today):
        people = [record.owner, *list(unit_heads(record.unit)[:1])]
        targets = [(person, "", (record, due)) for person in {p.pk: p for p in people}.values()]
        sent += _run("submission_due", f"{record.pk}:{due:%Y-%m-%d}", targets, _send_submission_reminder, today)
    return sent


def _send_submission_reminder(person, payload, today):
    record, due = payload
    notify(recipients=[person], kind="archive", link=f"/records/{record.pk}/",
           text=_("Hồ sơ “%(t)s” phải nộp lưu vào lưu trữ cơ quan trước ngày %(d)s.")
           % {"t": record.title, "d": f"{due:%d/%m/%Y}"})


def _exchange_due() -> int:
    """The exchange outbox rows due again (a peer was down), every run, holidays too."""
    from qlvb.exchange.outbox import enqueue_due

    return enqueue_due()


def run_nightly(now=None) -> bool:
    """The daily backup, every day (holidays too), once, at QLVB_BACKUP_AT, queued for the worker."""
    from django.conf import settings

    from qlvb.backup.tasks import scheduled_backup

    now = timezone.localtime(now or timezone.now())
    at = datetime.strptime(settings.QLVB_BACKUP_AT, "%H:%M").time()
    if not at <= now.time() or _claim("backup", f"{now:%Y-%m-%d}") is None:
        return False
    enqueue_on_commit(scheduled_backup)
    JobRun.objects.filter(job="backup", slot=f"{now:%Y-%m-%d}").update(finished_at=timezone.now())
    return True


def _claim(job, slot):
    run, _created = JobRun.objects.get_or_create(job=job, slot=slot)
    return None if run.finished_at else run


def _run(job, slot, targets, send, today) -> int:
    run = _claim(job, slot)
    if run is None:
        return 0
    sent = 0
    for person, key, payload in targets:
        try:
            with transaction.atomic():
                Delivery.objects.create(run=run, person=person, key=key)
                send(person, payload, today)
            sent += 1
        except IntegrityError:
            continue  # delivered before a restart, or by another scheduler
    JobRun.objects.filter(pk=run.pk).update(finished_at=timezone.now())
    return sent


def _digest_people(today):
    """Everyone with open work: (person, "", their counts); heads also get their unit's overdue count."""
    soon = add_working_days(today, 1)
    # The same figures as the person's own tabs: what they hold, late by the item's or the document's deadline.
    held = ~Q(main_below())
    rows = (Assignment.objects.filter(box=Assignment.Box.TODO).values("receiver")
            .annotate(todo=Count("id", filter=held), following=Count("id", filter=~held),
                      overdue=Count("id", filter=held & overdue_q(today)),
                      due_soon=Count("id", filter=held & due_soon_q(today, soon))))
    counts = {r["receiver"]: r for r in rows}
    # Each head's count of the unit's overdue work is their unit-overdue tab: only what they may open.
    heads = Person.objects.filter(position__role=Role.HEAD, is_active=True, unit__isnull=False)
    for head in heads.select_related("unit"):
        n = unit_items(head, head.unit, overdue_only=True, today=today).count()
        if n:
            counts.setdefault(head.pk, {"todo": 0, "overdue": 0, "due_soon": 0})["unit_overdue"] = n
    people = Person.objects.in_bulk(list(counts))
    for pk, row in counts.items():
        if pk in people and people[pk].is_active:
            yield people[pk], "", row


def _send_digest(person, row, today):
    parts = [_("%(n)d văn bản cần xử lý") % {"n": row.get("todo", 0)}]
    if row.get("following"):
        parts.append(_("%(n)d đang theo dõi") % {"n": row["following"]})
    if row.get("overdue"):
        parts.append(_("%(n)d quá hạn") % {"n": row["overdue"]})
    if row.get("due_soon"):
        parts.append(_("%(n)d sắp đến hạn") % {"n": row["due_soon"]})
    if row.get("unit_overdue"):
        parts.append(_("đơn vị có %(n)d văn bản quá hạn") % {"n": row["unit_overdue"]})
    notify(recipients=[person], kind="digest", link="/incoming/", text=_("Việc cần làm: ") + ", ".join(parts) + ".")


def _reminder_items(today):
    """Per person, their overdue items and those due on the next working day: one reminder of each kind
    a day, however many items (the oldest first), so a long overdue list is not a flood of messages."""
    tomorrow = add_working_days(today, 1)
    due = Q(deadline=tomorrow) | (Q(document__deadline=tomorrow) & ~Q(document__status="done"))
    items = (Assignment.objects.filter(box=Assignment.Box.TODO).held().filter(overdue_q(today) | due)
             .select_related("document", "receiver").order_by("receiver", "id"))

    def kind_of(item):  # by the deadline that governs: the item's own or its document's, the earlier
        deadline = governing_deadline(item)
        return "overdue" if deadline < today else "due_tomorrow" if deadline == tomorrow else ""

    for _person, group in groupby(items.iterator(chunk_size=2000), key=lambda item: item.receiver_id):
        kinds: dict[str, list] = {}
        for item in group:
            kinds.setdefault(kind_of(item), []).append(item)
        for kind in ("overdue", "due_tomorrow"):
            if kinds.get(kind):
                ordered = sorted(kinds[kind], key=lambda item: (governing_deadline(item), item.pk))
                yield ordered[0].receiver, kind, (kind, ordered)


def _send_reminder(person, payload, today):
    kind, items = payload
    first = items[0]
    values = {"n": len(items), "d": governing_deadline(first).strftime("%d/%m/%Y"),
              "doc": first.document.summary[:120]}
    if len(items) == 1:
        text = _("Quá hạn từ %(d)s: %(doc)s") if kind == "overdue" else _("Đến hạn ngày %(d)s: %(doc)s")
        link = f"/incoming/{first.document_id}/"
    else:
        text = _("%(n)d văn bản quá hạn, lâu nhất từ %(d)s: %(doc)s…") if kind == "overdue" else \
            _("%(n)d văn bản đến hạn ngày %(d)s: %(doc)s…")
        link = "/incoming/?tab=overdue" if kind == "overdue" else "/incoming/?tab=todo&sort=deadline"
    notify(recipients=[person], kind=kind, text=text % values, link=link)
