"""Notifications, urging and the one-click fixes that keep the software true to the work."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb.access import Action, can, require, visible_assignments
from qlvb.assignments.models import OPEN_STATES, Assignment, Event
from qlvb.audit.services import record
from qlvb.core.taskqueue import enqueue_on_commit
from qlvb.organization.models import Role

from .models import DEFAULT_EMAIL_KINDS, Kind, Notification, Preference
from .tasks import email_notification


def email_kinds(person) -> list[str]:
    preference = Preference.objects.filter(person=person).first()
    return preference.email_kinds if preference else list(DEFAULT_EMAIL_KINDS)


def notify(*, recipients, kind: str, text: str, link: str = "", about=None) -> list[Notification]:
    """In-app notification for each recipient, and an e-mail (through the worker) to those who asked.
    Other apps call this for their events (opinion requested, approval requested, issued…). With
    `about`, only recipients who may open that object are told (the text names it)."""
    made = []
    for person in {p.pk: p for p in recipients if p is not None and p.is_active}.values():
        if about is not None and not can(person, Action.VIEW, about):
            continue
        made.append(Notification.objects.create(recipient=person, kind=kind, text=text, link=link))
        if person.email and kind in email_kinds(person):
            enqueue_on_commit(email_notification, notification_id=made[-1].pk)  # once the row is committed
    return made


def mark_read(*, actor, notification_ids=None) -> int:
    """Mark some (or all) of the actor's notifications read."""
    qs = Notification.objects.filter(recipient=actor, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=notification_ids)
    return qs.update(read_at=timezone.now())


def set_email_kinds(*, actor, kinds) -> Preference:
    valid = {k for k in kinds if k in Kind.values}
    preference, _created = Preference.objects.update_or_create(person=actor, defaults={"email_kinds": sorted(valid)})
    return preference


def may_urge(person, assignment) -> bool:
    """Leaders and clerks (who follow up for the agency) urge anything open; heads their unit's items;
    a sender what they sent."""
    if not can(person, Action.MONITOR) and assignment.sender_id != person.pk:
        return False
    if person.has_role(Role.LEADER, Role.CLERK) or assignment.sender_id == person.pk:
        return True
    return person.has_role(Role.HEAD) and person.unit_id is not None and assignment.receiver_unit_id == person.unit_id


@transaction.atomic
def urge(*, actor, assignments, message: str) -> int:
    """Chase open items: an "urged" line in each tree, a notification to each holder."""
    message = (message or "").strip() or _("Đề nghị khẩn trương xử lý văn bản đã quá hạn.")
    wanted = {a.pk for a in assignments}
    if not wanted:
        raise ValidationError(_("Chọn ít nhất một văn bản để đôn đốc."))
    # Only items the actor may see are read: a refusal names no document they may not open.
    items = list(visible_assignments(actor).select_for_update(of=("self",)).select_related("document", "receiver")
                 .filter(pk__in=wanted))
    for item in items if len(items) == len(wanted) else [None]:
        if item is None or not may_urge(actor, item):
            raise PermissionDenied(_("Bạn không được đôn đốc văn bản không thuộc phạm vi của mình."))
        if item.state not in OPEN_STATES:
            raise ValidationError(_("Văn bản “%(d)s” đã xử lý xong, không cần đôn đốc.") % {"d": item.document})
    for item in items:
        Event.objects.create(assignment=item, kind=Event.Kind.URGED, actor=actor, note=message)
        record(actor=actor, action="monitoring.urge", obj=item.document,
               changes={"assignment": item.pk, "message": message})
        notify(recipients=[item.receiver], kind="urged", link=f"/incoming/{item.document_id}/",
               text=_("%(who)s đôn đốc: %(doc)s — %(msg)s") % {"who": actor, "doc": item.document.summary[:100],
                                                               "msg": message})
    return len(items)


@transaction.atomic
def close_info_items(*, actor, assignments) -> int:
    """A head closes for-information items of their unit in bulk (they were read; nothing to do)."""
    require(actor, Action.MONITOR)
    from qlvb.assignments import services as flow

    visible = visible_assignments(actor).filter(pk__in=[a.pk for a in assignments])
    items = [a for a in visible if a.role == Assignment.Role.INFO and a.state in OPEN_STATES]
    for item in items:
        flow.close_for_information(actor=actor, assignment=item)
    return len(items)
