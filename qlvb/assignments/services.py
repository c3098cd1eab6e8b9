"""Business actions on the processing tree: forward, see, pending, update, complete, return, recall.

Each runs in one transaction: permission first, the assignment row locked, the change, its history
event and `assignment_event` (notifications are rows written in the same transaction; e-mail leaves
through the task queue only once it commits), then the audit entries (`announce`).
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb import access
from qlvb.access import Action
from qlvb.audit.services import record
from qlvb.core.taskqueue import write_queued
from qlvb.documents.models import FullTextEntry
from qlvb.exchange.edxml.codes import ASSIGNED, COMPLETED, PROCESSING
from qlvb.incoming.rules import arrival_day, check_deadline
from qlvb.organization.selectors import unit_heads

from . import workflow
from .models import OPEN_STATES, Assignment, Event
from .signals import assignment_event

S = Assignment.State


@dataclass(frozen=True)
class Target:
    """A receiver of a forward: a person, or a whole unit (received by its head)."""

    role: str
    person: object = None
    unit: object = None


def _locked(assignment: Assignment) -> Assignment:
    # The assignment and its document are locked; the receiver (and position, for the permission check)
    # are only read: locking their row would block that person's own login and other work.
    return Assignment.objects.select_for_update(of=("self", "document")).select_related(
        "document", "receiver", "receiver__position").get(pk=assignment.pk)


def _check(actor, assignment, action: str, permission: Action = Action.PROCESS):
    access.require(actor, permission, assignment)
    if not workflow.allowed(assignment, action):
        raise ValidationError(_("Không thể thực hiện thao tác này khi văn bản đang ở trạng thái “%(state)s”.")
                              % {"state": assignment.get_state_display()})


def _set_state(assignment: Assignment, state: str, *, document_status: str | None = None, **fields):
    """Move the item to `state` (and its box), with `fields`; and its document to `document_status` when
    given: on PostgreSQL both in one statement (a forward does both on every first hop)."""
    assignment.state = state
    assignment.box = workflow.box_for(state, assignment.role)
    for name, value in fields.items():
        setattr(assignment, name, value)
    names = ["state", "box", *fields]
    connection = transaction.get_connection()
    if document_status is None or connection.vendor != "postgresql":
        assignment.save(update_fields=names)
        if document_status is not None:
            assignment.document.status = document_status
            assignment.document.save(update_fields=["status"])
        return
    document = assignment.document
    document.status = document_status
    quote, columns = connection.ops.quote_name, [Assignment._meta.get_field(name) for name in names]
    values = [f.get_db_prep_save(getattr(assignment, f.attname), connection) for f in columns]
    # Names from the models' metadata only; every value is a parameter. The document's save() would
    # write this column alone too (update_fields); its reindex is asked for as that save asks for it.
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH moved AS (UPDATE {quote(document._meta.db_table)} SET {quote('status')} = %s "  # noqa: S608
            f"WHERE {quote('id')} = %s) UPDATE {quote(Assignment._meta.db_table)} "
            f"SET {', '.join(f'{quote(f.column)} = %s' for f in columns)} WHERE {quote('id')} = %s",
            [document_status, document.pk, *values, assignment.pk])
    from qlvb.documents.fulltext import request_reindex

    request_reindex(FullTextEntry.Kind.INCOMING, document.pk)


def _log(assignment, kind, actor, note="", *, for_receiver=True):
    """History event, audit entry and signal. `for_receiver`: the actor acts as (or for) the receiver;
    False for an action on the item from outside (a document withdrawn on its issuer's recall)."""
    announce([_event(assignment, kind, actor, note, for_receiver=for_receiver)])


def _event(assignment, kind, actor, note="", *, for_receiver=True) -> Event:
    """The history event of an action on the item, not yet written (`announce` writes it)."""
    on_behalf = assignment.receiver if for_receiver and actor.pk != assignment.receiver_id else None
    return Event(assignment=assignment, kind=kind, actor=actor, note=note, on_behalf_of=on_behalf)


def announce(events: list[Event], *, audit_first=None) -> None:
    """Write the events (one INSERT for all) and send their signals (notifications), write the task rows
    queued so far, then the caller's own audit entry (`audit_first`: the arguments of `record`, or a
    function returning them, called at that point), then each event's audit entry. Called at the end of
    the action: the audit chain's head, locked by the first entry until the COMMIT, is then held for the
    entries and the COMMIT only, not for the action's other writes. The registration takes its number in
    `audit_first`, so that the register's counter is also locked for the last statements only."""
    Event.objects.bulk_create(events)
    for event in events:
        assignment_event.send(Assignment, event=event.kind, assignment=event.assignment, actor=event.actor)
    write_queued()
    if callable(audit_first):
        audit_first = audit_first()
    if audit_first is not None:
        record(**audit_first)
    for event in events:
        assignment = event.assignment
        record(actor=event.actor, action=f"assignment.{event.kind}", obj=assignment.document,
               on_behalf_of=event.on_behalf_of,
               changes={"assignment": assignment.pk, "state": assignment.state, "note": event.note})


def create_root(*, actor, document, receiver, instruction="", deadline=None) -> Assignment:
    """The first hop: the clerk presents a registered document to a leader. Call inside a transaction."""
    root, event = start_root(actor=actor, document=document, receiver=receiver, instruction=instruction,
                             deadline=deadline)
    announce([event])
    return root


def start_root(*, actor, document, receiver, instruction="", deadline=None) -> tuple[Assignment, Event]:
    """`create_root` without its event, audit entry and notification: the caller writes its own audit
    entry first, then passes the event to `announce` (registration)."""
    root = Assignment.objects.create(
        document=document, sender=actor, receiver=receiver, receiver_unit=receiver.unit,
        role=Assignment.Role.MAIN, instruction=instruction, deadline=deadline or document.deadline,
    )
    return root, _event(root, Event.Kind.CREATED, actor)


@transaction.atomic
def forward(*, actor, assignment: Assignment, targets: list[Target], instruction: str = "",
            deadline: date | None = None) -> list[Assignment]:
    """Send the document on to people or units, each as main handler, co-handler or for information."""
    assignment = _locked(assignment)
    _check(actor, assignment, "forward", Action.FORWARD)
    _validate_targets(actor, assignment, targets, deadline)
    children = []
    for target in targets:
        receiver = target.person or _unit_receiver(target.unit)
        child = Assignment.objects.create(
            document=assignment.document, parent=assignment, sender=actor,
            on_behalf_of=assignment.receiver if actor.pk != assignment.receiver_id else None,
            receiver=receiver, receiver_unit=target.unit or receiver.unit, to_unit=target.unit is not None,
            role=target.role, instruction=instruction, deadline=deadline or assignment.deadline,
            box=workflow.box_for(S.NEW, target.role),
        )
        children.append(child)
    document = assignment.document
    _set_state(assignment, S.IN_PROGRESS, seen_at=assignment.seen_at or timezone.now(),
               document_status=document.Status.IN_PROGRESS if document.status == document.Status.REGISTERED else None)
    names = ", ".join(str(c.receiver_unit if c.to_unit else c.receiver) for c in children)
    # The history and the notifications, then the audit entries, last.
    announce([*(_event(child, Event.Kind.CREATED, actor, instruction) for child in children),
              _event(assignment, Event.Kind.FORWARDED, actor, f"{names}. {instruction}".strip())])
    _exchange_status(document, ASSIGNED if assignment.parent_id is None else PROCESSING, actor)
    return children


def _exchange_status(document, code, actor):
    """Tell the sending agency of a document that came by the exchange (status 04/05/06), after COMMIT."""
    from qlvb.exchange.progress import report

    report(document, code, actor)


def _unit_receiver(unit):
    head = unit_heads(unit).first()
    if head is None:
        raise ValidationError(_("Đơn vị “%(unit)s” chưa có lãnh đạo để nhận văn bản.") % {"unit": unit})
    return head


def _validate_targets(actor, assignment, targets, deadline):
    if not targets:
        raise ValidationError(_("Chọn ít nhất một người hoặc đơn vị nhận."))
    people = [t.person for t in targets if t.person is not None]
    units = [t.unit for t in targets if t.unit is not None]
    if not access.forward_targets_allowed(assignment.receiver, people=people, units=units):
        raise PermissionDenied(_("Bạn chỉ được chuyển văn bản cho cán bộ trong đơn vị mình."))
    mains = [t for t in targets if t.role == Assignment.Role.MAIN]
    live_main = assignment.children.filter(role=Assignment.Role.MAIN, state__in=OPEN_STATES | {S.DONE})
    if len(mains) > 1 or (mains and live_main.exists()):
        raise ValidationError(_("Mỗi cấp chỉ có một người (đơn vị) xử lý chính."))
    keys = [(t.person.pk if t.person else None, t.unit.pk if t.unit else None) for t in targets]
    if len(set(keys)) != len(keys):
        raise ValidationError(_("Một người hoặc đơn vị được chọn hai lần."))
    if any(p.pk == assignment.receiver_id for p in people):
        raise ValidationError(_("Không thể chuyển văn bản cho chính mình."))
    check_deadline(deadline, arrived_on=arrival_day(assignment.document), not_past=True)


@transaction.atomic
def mark_seen(*, actor, assignment: Assignment) -> Assignment:
    """Called when the receiver opens the document; a no-op for anyone else or once seen."""
    if assignment.state != S.NEW or not access.acts_for(actor, assignment.receiver, assignment.document.field_id):
        return assignment
    assignment = _locked(assignment)
    if assignment.state == S.NEW:
        _set_state(assignment, S.SEEN, seen_at=timezone.now())
        _log(assignment, Event.Kind.SEEN, actor)
        if assignment.parent_id is not None and assignment.role == Assignment.Role.MAIN:
            _exchange_status(assignment.document, PROCESSING, actor)
    return assignment


def _require_note(note: str, message: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ValidationError(message)
    return note


@transaction.atomic
def mark_pending(*, actor, assignment: Assignment, note: str) -> Assignment:
    """Waiting for something (related records, verification…); the note stays in the history."""
    note = _require_note(note, _("Nhập lý do chờ (ví dụ: chờ hồ sơ liên quan, chờ xác minh)."))
    assignment = _locked(assignment)
    _check(actor, assignment, "pending")
    _set_state(assignment, S.PENDING, seen_at=assignment.seen_at or timezone.now())
    _log(assignment, Event.Kind.PENDING, actor, note)
    return assignment


@transaction.atomic
def add_update(*, actor, assignment: Assignment, note: str) -> Assignment:
    """A progress note; a pending item goes back to in progress."""
    note = _require_note(note, _("Nhập nội dung cập nhật."))
    assignment = _locked(assignment)
    _check(actor, assignment, "update")
    _set_state(assignment, S.IN_PROGRESS, seen_at=assignment.seen_at or timezone.now())
    _log(assignment, Event.Kind.UPDATE, actor, note)
    _exchange_status(assignment.document, PROCESSING, actor)
    return assignment


@transaction.atomic
def complete(*, actor, assignment: Assignment, result: str = "", reply=None) -> Assignment:
    """Finish the item. A for-information item is closed ("đã xem, lưu theo dõi").

    `reply` is the hook for the work-records issue: an issued reply document completing the item.
    Completing the last open main-handler branch completes the level above, up to the document.
    """
    assignment = _locked(assignment)
    _check(actor, assignment, "complete")
    if assignment.role != Assignment.Role.INFO:
        if reply is not None:
            result = result or _("Đã trả lời bằng văn bản %(reply)s") % {"reply": reply}
        result = _require_note(result, _("Nhập kết quả xử lý."))
        if assignment.children.filter(role=Assignment.Role.MAIN, state__in=OPEN_STATES).exists():
            raise ValidationError(_("Người xử lý chính cấp dưới chưa hoàn thành: chờ họ hoàn thành hoặc thu hồi."))
    else:
        result = result or _("Đã xem, lưu theo dõi")
    _finish(assignment, actor, result)
    return assignment


@transaction.atomic
def complete_with_reply(*, actor, assignment: Assignment, reply) -> Assignment:
    """Issuing a reply completes its author's main-handler item (the clerk issues; the reply is the result).
    Called from the issuing transaction, which has checked that the item belongs to the reply's author."""
    assignment = _locked(assignment)
    if assignment.state in OPEN_STATES and not assignment.children.filter(
            role=Assignment.Role.MAIN, state__in=OPEN_STATES).exists():
        _finish(assignment, actor, _("Đã trả lời bằng văn bản %(reply)s") % {"reply": reply})
    return assignment


@transaction.atomic
def close_for_information(*, actor, assignment: Assignment) -> Assignment:
    """Close a for-information item: its holder, or the head of the holder's unit (bulk clean-up)."""
    from qlvb.organization.models import Role

    assignment = _locked(assignment)
    unit_head = actor.has_role(Role.HEAD) and actor.unit_id and actor.unit_id == assignment.receiver_unit_id
    if not (access.can(actor, Action.PROCESS, assignment) or unit_head):
        raise PermissionDenied(_("Chỉ đóng được văn bản để biết của đơn vị mình."))
    if assignment.role != Assignment.Role.INFO or not workflow.allowed(assignment, "complete"):
        raise ValidationError(_("Chỉ đóng được văn bản để biết còn mở."))
    _finish(assignment, actor, _("Đã xem, lưu theo dõi"))
    return assignment


def _finish(assignment, actor, result):
    now = timezone.now()
    _set_state(assignment, S.DONE, done_at=now, done_on=timezone.localdate(now), result=result,
               seen_at=assignment.seen_at or now)
    _log(assignment, Event.Kind.DONE, actor, result)
    if assignment.role != Assignment.Role.MAIN:
        return
    parent = assignment.parent
    if parent is None:
        document = assignment.document
        document.status, document.completed_at, document.completed_on = \
            document.Status.DONE, now, timezone.localdate(now)
        document.save(update_fields=["status", "completed_at", "completed_on"])
        _exchange_status(document, COMPLETED, actor)
    elif parent.role == Assignment.Role.MAIN and parent.state in OPEN_STATES:
        _finish(_locked(parent), actor, _("Hoàn thành theo kết quả của %(name)s: %(result)s")
                % {"name": assignment.receiver, "result": result})


@transaction.atomic
def return_assignment(*, actor, assignment: Assignment, reason: str) -> Assignment:
    """Send a wrongly routed item back to its sender with a reason."""
    reason = _require_note(reason, _("Nhập lý do trả lại."))
    assignment = _locked(assignment)
    _check(actor, assignment, "return")
    _set_state(assignment, S.RETURNED)
    _log(assignment, Event.Kind.RETURNED, actor, reason)
    _reopen_parent(assignment)
    return assignment


@transaction.atomic
def recall(*, actor, assignment: Assignment) -> Assignment:
    """The sender takes back an item its receiver has not acted on yet."""
    assignment = _locked(assignment)
    _check(actor, assignment, "recall", Action.RECALL)
    if assignment.children.exists():
        raise ValidationError(_("Người nhận đã chuyển tiếp văn bản, không thể thu hồi."))
    _set_state(assignment, S.RECALLED)
    _log(assignment, Event.Kind.RECALLED, actor)
    _reopen_parent(assignment)
    return assignment


def withdraw(*, actor, document, reason: str) -> None:
    """Close the open first hop of a document whose registration is cancelled (inside that transaction)."""
    for root in document.assignments.filter(parent=None, state__in=[S.NEW, S.SEEN]).select_for_update():
        _set_state(root, S.RECALLED)
        _log(root, Event.Kind.RECALLED, actor, reason)


def close_open_items(*, actor, document, reason: str, items=None, kind=Event.Kind.RECALLED) -> list[Assignment]:
    """Close the open items of a document (all, or those of `items`), inside the caller's transaction:
    each becomes "recalled" with the reason in its history under `kind`, and its receiver is told
    (monitoring). Used when a document is withdrawn on its issuer's recall, and for the items left open
    on a finished document (`close_left_open`)."""
    qs = document.assignments.filter(state__in=OPEN_STATES)
    if items is not None:
        qs = qs.filter(pk__in=[item.pk for item in items])
    closed = []
    for item in qs.select_for_update().select_related("receiver", "document"):
        _set_state(item, S.RECALLED)
        _log(item, kind, actor, reason, for_receiver=False)
        closed.append(item)
    return closed


@transaction.atomic
def close_left_open(*, actor, items, reason: str) -> int:
    """Close co-handler and for-information items left open on finished documents, with a reason: a head
    those of their unit, a leader the agency's (`selectors.left_open`). Each holder is told; nothing is
    closed without its line in the tree."""
    from .selectors import left_open

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Nhập lý do đóng.")})
    wanted = {item.pk for item in items}
    if not wanted:
        raise ValidationError({"items": _("Chọn ít nhất một việc để đóng.")})
    found = list(left_open(actor).filter(pk__in=wanted).select_related("document"))
    if len(found) != len(wanted):
        raise PermissionDenied(_("Chỉ đóng được việc còn mở trên văn bản đã xử lý xong trong phạm vi của mình."))
    by_document: dict[int, list] = {}
    for item in found:
        by_document.setdefault(item.document_id, []).append(item)
    closed = 0
    for group in by_document.values():
        closed += len(close_open_items(actor=actor, document=group[0].document, reason=reason, items=group,
                                       kind=Event.Kind.CLOSED))
    return closed


@transaction.atomic
def extend_deadline(*, actor, document, deadline: date | None, reason: str):
    """Move a document's own processing deadline later, by the person who set it (or whoever acts for
    them), with a reason: a line in the processing tree, an audit entry, the holders told. Open items
    that carried the old deadline move with it; a deadline given to a sub-assignment never does this."""
    from qlvb.incoming.models import IncomingDocument

    access.require(actor, Action.EXTEND_DEADLINE, document)
    setter = access.deadline_setter(document)
    document = IncomingDocument.objects.select_for_update().get(pk=document.pk)
    reason = (reason or "").strip()
    if document.status not in (document.Status.REGISTERED, document.Status.IN_PROGRESS, document.Status.RETURNED):
        raise ValidationError(_("Văn bản đã xử lý xong hoặc thôi xử lý: không gia hạn được."))
    if document.deadline is None:
        raise ValidationError({"deadline": _("Văn bản chưa có hạn xử lý để gia hạn.")})
    if deadline is None:
        raise ValidationError({"deadline": _("Nhập hạn xử lý mới.")})
    if deadline <= document.deadline:
        raise ValidationError({"deadline": _("Hạn xử lý mới phải sau hạn hiện tại (%(date)s).")
                               % {"date": document.deadline.strftime("%d/%m/%Y")}})
    check_deadline(deadline, arrived_on=arrival_day(document), not_past=True)
    if not reason:
        raise ValidationError({"reason": _("Nhập lý do gia hạn.")})
    old = document.deadline
    document.deadline = deadline
    document.save(update_fields=["deadline"])
    moved = list(document.assignments.filter(state__in=OPEN_STATES, deadline=old).select_for_update())
    Assignment.objects.filter(pk__in=[item.pk for item in moved]).update(deadline=deadline)
    root = document.assignments.filter(parent=None).order_by("-created_at", "-id").first()
    on_behalf = setter if setter and setter.pk != actor.pk else None
    note = _("Từ %(old)s đến %(new)s. Lý do: %(reason)s") % {
        "old": old.strftime("%d/%m/%Y"), "new": deadline.strftime("%d/%m/%Y"), "reason": reason}
    Event.objects.create(assignment=root, kind=Event.Kind.EXTENDED, actor=actor, on_behalf_of=on_behalf, note=note)
    record(actor=actor, action="incoming.deadline_extended", obj=document, on_behalf_of=on_behalf,
           changes={"deadline": [old.isoformat(), deadline.isoformat()], "reason": reason,
                    "assignments": [item.pk for item in moved]})
    assignment_event.send(Assignment, event=Event.Kind.EXTENDED, assignment=root, actor=actor, note=note)
    return document


def _reopen_parent(assignment):
    """The item is back with its sender: the parent needs action again, or the clerk for the first hop."""
    if assignment.parent_id is None:
        document = assignment.document
        document.status = document.Status.RETURNED if assignment.state == S.RETURNED else document.Status.REGISTERED
        document.save(update_fields=["status"])
        return
    parent = _locked(assignment.parent)
    if parent.state == S.DONE:
        return
    if parent.state != S.IN_PROGRESS:
        _set_state(parent, S.IN_PROGRESS)


# The note-taking actions by name, for the pages and the API (one table, one place).
NOTE_ACTIONS = {
    "pending": lambda actor, a, note: mark_pending(actor=actor, assignment=a, note=note),
    "update": lambda actor, a, note: add_update(actor=actor, assignment=a, note=note),
    "complete": lambda actor, a, note: complete(actor=actor, assignment=a, result=note),
    "return": lambda actor, a, note: return_assignment(actor=actor, assignment=a, reason=note),
    "recall": lambda actor, a, note: recall(actor=actor, assignment=a),
}
