"""Notifications, urging and the one-click fixes that keep the software true to the work."""

import json

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
    people = [person for person in {p.pk: p for p in recipients if p is not None and p.is_active}.values()
              if about is None or can(person, Action.VIEW, about)]
    if not people:
        return []
    now = timezone.now()
    made = [Notification(recipient=person, kind=kind, text=text, link=link, created_at=now) for person in people]
    wanted = _insert(made)
    for notification in made:
        person = notification.recipient
        if person.email and kind in wanted.get(person.pk, DEFAULT_EMAIL_KINDS):
            enqueue_on_commit(email_notification, notification_id=notification.pk)  # once the row is committed
    return made


def _insert(made: list[Notification]) -> dict:
    """INSERT the notifications (one statement) and read the e-mail preferences of their recipients: on
    PostgreSQL in the same statement (every forward and registration tells someone, so this is on the
    path of each), elsewhere with a second one. Returns {recipient id: e-mail kinds} for those who chose."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        Notification.objects.bulk_create(made)
        ids = [n.recipient_id for n in made if n.recipient.email]
        return dict(Preference.objects.filter(person__in=ids).values_list("person_id", "email_kinds")) if ids else {}
    quote = connection.ops.quote_name
    fields = [Notification._meta.get_field(name) for name in ("recipient", "kind", "text", "link", "created_at")]
    rows = ", ".join(["(" + ", ".join(["%s"] * len(fields)) + ")"] * len(made))
    params = [f.get_db_prep_save(getattr(n, f.attname), connection) for n in made for f in fields]
    # Names from the models' metadata only; every value is a parameter.
    sql = (f"WITH made AS (INSERT INTO {quote(Notification._meta.db_table)} "  # noqa: S608
           f"({', '.join(quote(f.column) for f in fields)}) VALUES {rows} RETURNING id, recipient_id) "
           f"SELECT made.id, made.recipient_id, preference.email_kinds FROM made "
           f"LEFT JOIN {quote(Preference._meta.db_table)} preference ON preference.person_id = made.recipient_id")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = {recipient: (pk, kinds) for pk, recipient, kinds in cursor.fetchall()}
    wanted = {}
    for notification in made:
        notification.pk, kinds = found[notification.recipient_id]
        notification._state.adding, notification._state.db = False, connection.alias
        if kinds is not None:
            wanted[notification.recipient_id] = json.loads(kinds) if isinstance(kinds, str) else kinds
    return wanted


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
