"""Watching access-right changes (F-3.c: alert on access-right changes until confirmed).

A person's rights are their roles (position's, granted ones, superuser), their unit, their position and the
confidential registers they keep. They change through the Django admin (person form and its role inline,
positions, registers' keepers), the CSV/XLSX import and services, and whatever comes later. So the hook is
at the root: model signals on Person, RoleGrant, Position, Register and the Register.keepers m2m. A service
every path must call would miss the admin's own forms and any new path; signals cannot be bypassed by
anything that goes through the ORM.

Each touch takes the person's rights before (pre_* signal) and after (post_* signal). Within one
transaction the touches of one person make one `RightsChange` (before = first, after = last), each touch
writes an audit entry with its own before/after (in the same transaction as the change), and when the
transaction commits the person and the administrators are notified (in-app, e-mail by preference); a
rolled-back change leaves nothing and tells nobody.

A change is watched when someone made it: the signed-in person of a request (`ActorMiddleware`) or the
actor a service is given (`acting`). Loaders without an actor (the demo data, migrations, a backup
restore) are not changes to anyone's rights; code that loads data inside a request (a restore page, if
one is added: loaddata sets m2m relations through signals that are not raw) runs under `acting(None, "")`.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from .models import Person, Position, RightsChange, Role, RoleGrant

# (actor, origin): who is acting and through what (the page's path, or a service's name).
_acting: ContextVar[tuple[object, str]] = ContextVar("qlvb_rights_acting", default=(None, ""))

NO_RIGHTS = {"exists": False, "roles": [], "unit": None, "position": None, "keeps": []}


@contextmanager
def acting(actor, origin: str):
    """Attribute the rights changes made inside to `actor` (for services called outside a request)."""
    token = _acting.set((actor, origin))
    try:
        yield
    finally:
        _acting.reset(token)


class ActorMiddleware:
    """The signed-in person is the one changing rights in this request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with acting(request.user, request.path[:255]):
            return self.get_response(request)


def _actor():
    actor, origin = _acting.get()
    return (actor, origin) if getattr(actor, "pk", None) else (None, origin)


def _watching() -> bool:
    return _actor()[0] is not None


def snapshot(person_id) -> dict:
    """The person's rights as stored now, in a form that compares and reads well in the audit trail."""
    from qlvb.documents.models import Register

    person = Person.objects.filter(pk=person_id).first()
    if person is None:
        return dict(NO_RIGHTS)
    roles = set(RoleGrant.objects.filter(person_id=person_id).values_list("role", flat=True))
    if person.position_id:
        roles.add(person.position.role)
    if person.is_superuser:
        roles.add(Role.ADMIN)
    keeps = Register.objects.filter(keepers=person_id, is_confidential=True).order_by("year", "kind", "code")
    return {
        "exists": True,
        "roles": sorted(roles),
        "unit": {"id": person.unit_id, "name": person.unit.name} if person.unit_id else None,
        "position": {"id": person.position_id, "name": person.position.name} if person.position_id else None,
        "keeps": [{"id": r.pk, "name": f"{r.name} {r.year}"} for r in keeps],
    }


def describe(before: dict, after: dict) -> list[tuple[str, str, str]]:
    """(what, before, after) in words for each part of the rights that differs."""
    labels = dict(Role.choices)

    def words(key, value):
        if key == "roles":
            return ", ".join(str(labels.get(r, r)) for r in value) or "—"
        if key == "keeps":
            return ", ".join(r["name"] for r in value) or "—"
        return value["name"] if value else "—"

    parts = [("roles", _("Vai trò")), ("unit", _("Đơn vị")), ("position", _("Chức vụ")),
             ("keeps", _("Quản lý sổ văn bản mật"))]
    return [(label, words(key, before.get(key) or NO_RIGHTS[key]), words(key, after.get(key) or NO_RIGHTS[key]))
            for key, label in parts if (before.get(key) or NO_RIGHTS[key]) != (after.get(key) or NO_RIGHTS[key])]


# --- the touches of one transaction -------------------------------------------------------------------

def _pending() -> dict:
    """{person_id: {"first", "current", "change", "marker"}} for the current transaction, on the connection."""
    connection = transaction.get_connection()
    return connection.__dict__.setdefault("qlvb_rights_pending", {})


def _touch(person_id) -> dict | None:
    """The person's touch in this transaction, if still valid: its marker, left among the on-commit
    callbacks at its last step, is dropped by a commit or by the rollback (even of a savepoint) of that
    step, so a touch never outlives the data it describes (the audit trail's tail uses the same trick)."""
    connection = transaction.get_connection()
    touch = _pending().get(person_id)
    if touch and connection.in_atomic_block and any(
            callback is touch["marker"] for _sids, callback, _robust in connection.run_on_commit):
        return touch
    _pending().pop(person_id, None)
    return None


def _mark(touch: dict) -> None:
    def marker():
        pass

    touch["marker"] = marker
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(marker)


def _begin(person_ids, *, new=False) -> None:
    for person_id in person_ids:
        if _touch(person_id) is None:
            rights = dict(NO_RIGHTS) if new else snapshot(person_id)
            touch = _pending()[person_id] = {"first": rights, "current": rights, "change": None}
            _mark(touch)


def _end(person_ids) -> None:
    for person_id in person_ids:
        touch = _touch(person_id) if transaction.get_connection().in_atomic_block else _pending().get(person_id)
        if touch is None:
            continue
        after = snapshot(person_id)
        if after != touch["current"]:
            _record(person_id, touch, after)
        _mark(touch)
        if not transaction.get_connection().in_atomic_block:
            _pending().pop(person_id, None)


def _record(person_id, touch: dict, after: dict) -> None:
    from qlvb.audit.services import record

    actor, origin = _actor()
    change = touch["change"]
    if after == touch["first"]:  # back to where the transaction started: nothing to confirm
        if change is not None:
            change.delete()
            touch["change"] = None
    elif change is None:
        change = touch["change"] = RightsChange.objects.create(
            person_id=person_id, before=touch["first"], after=after, changed_by_id=actor.pk if actor else None,
            origin=origin)
        pk = change.pk
        transaction.on_commit(lambda: _announce(pk))
    else:
        change.after = after
        change.save(update_fields=["after"])
    record(actor=actor, action="organization.rights_changed", obj=change or Person.objects.get(pk=person_id),
           changes={"person": person_id, "before": touch["current"], "after": after, "origin": origin})
    touch["current"] = after


def _lines(change) -> str:
    return "; ".join(f"{what}: {old} → {new}" for what, old, new in change.differences())


def _announce(change_id) -> None:
    """After commit: the person learns what changed (in-app, and e-mail by preference); the
    administrators, other than the one who made it, that a change waits for them. An administrator's
    unread alert is updated to the number waiting rather than repeated, so a bulk import sends one."""
    from django.urls import reverse

    from qlvb.monitoring.models import Notification
    from qlvb.monitoring.services import notify

    from .selectors import administrators

    change = RightsChange.objects.select_related("person", "changed_by").filter(pk=change_id).first()
    if change is None:  # undone within its transaction
        return
    who = change.changed_by or _("hệ thống")
    notify(recipients=[change.person], kind="rights_changed", link="",
           text=_("Quyền truy cập của bạn đã thay đổi (%(who)s): %(lines)s. Nếu không đúng, báo ngay quản trị "
                  "hệ thống.") % {"who": who, "lines": _lines(change)})
    link = reverse("administration:rights_changes")
    waiting = RightsChange.objects.filter(confirmed_at__isnull=True).count()
    for admin in administrators().exclude(pk=change.changed_by_id):
        unread = Notification.objects.filter(recipient=admin, kind="rights_changed", link=link, read_at__isnull=True)
        if unread.exists():
            unread.update(text=_("%(n)d thay đổi quyền truy cập chờ xác nhận, mới nhất: %(person)s.") % {
                "n": waiting, "person": change.person})
            continue
        notify(recipients=[admin], kind="rights_changed", link=link,
               text=_("Quyền của %(person)s đã thay đổi (%(who)s): %(lines)s — chờ xác nhận.") % {
                   "person": change.person, "who": who, "lines": _lines(change)})


# --- the receivers -------------------------------------------------------------------------------------

PERSON_FIELDS = {"unit", "position", "is_superuser", "unit_id", "position_id"}


@receiver(pre_save, sender=Person)
def _person_before(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._rights_touched = False
    if raw or not _watching() or (update_fields is not None and not PERSON_FIELDS & set(update_fields)):
        return
    old = Person.objects.filter(pk=instance.pk).values("unit_id", "position_id", "is_superuser").first() \
        if instance.pk else None
    if old is None:
        instance._rights_touched = "new"
    elif any(old[f] != getattr(instance, f) for f in old):
        _begin([instance.pk])
        instance._rights_touched = True


@receiver(post_save, sender=Person)
def _person_after(sender, instance, raw=False, **kwargs):
    touched = getattr(instance, "_rights_touched", False)
    if touched == "new":
        _begin([instance.pk], new=True)
    if touched:
        _end([instance.pk])


@receiver(pre_save, sender=RoleGrant)
def _grant_before(sender, instance, raw=False, **kwargs):
    instance._rights_touched = not raw and _watching()
    if instance._rights_touched:
        _begin([instance.person_id])


@receiver(pre_delete, sender=RoleGrant)
def _grant_deleting(sender, instance, origin=None, **kwargs):
    # Deleting the person deletes their grants: that is not a change of a living account's rights.
    instance._rights_touched = _watching() and not isinstance(origin, Person) and \
        getattr(origin, "model", None) is not Person
    if instance._rights_touched:
        _begin([instance.person_id])


@receiver(post_save, sender=RoleGrant)
@receiver(post_delete, sender=RoleGrant)
def _grant_after(sender, instance, **kwargs):
    if getattr(instance, "_rights_touched", False):
        _end([instance.person_id])


def _watch_field(model, field: str, people: str) -> None:
    """When `field` of a `model` row changes, so do the rights of the people in its `people` relation
    (a position's role is its holders'; a register turned confidential or not changes its keepers')."""
    def before(sender, instance, raw=False, **kwargs):
        instance._rights_people = []
        if raw or not _watching() or not instance.pk:
            return
        if sender.objects.filter(pk=instance.pk).exclude(**{field: getattr(instance, field)}).exists():
            instance._rights_people = list(getattr(instance, people).values_list("pk", flat=True))
            _begin(instance._rights_people)

    def after(sender, instance, **kwargs):
        _end(getattr(instance, "_rights_people", []))

    uid = f"rights_{model._meta.label_lower}_{field}"
    pre_save.connect(before, sender=model, weak=False, dispatch_uid=f"{uid}_before")
    post_save.connect(after, sender=model, weak=False, dispatch_uid=f"{uid}_after")


def _register_model():
    from qlvb.documents.models import Register

    return Register


def connect_receivers() -> None:
    """Receivers made from `_watch_field`, and those on registers (the documents app's models: their
    keepers are rights, so they are watched from here)."""
    register = _register_model()
    _watch_field(Position, "role", "people")
    _watch_field(register, "is_confidential", "keepers")
    m2m_changed.connect(_keepers_changed, sender=register.keepers.through, dispatch_uid="rights_keepers")


def _keepers_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if not _watching():
        return
    if action.startswith("pre_"):
        instance._rights_keepers = _keepers_touched(instance, action, reverse, pk_set)
        _begin(instance._rights_keepers)
    else:
        _end(getattr(instance, "_rights_keepers", []))


def _keepers_touched(instance, action, reverse, pk_set) -> list:
    """The people whose confidential keeping changes. Keeping next year's register of a register one kept
    this year (the yearly register opened from the last) is the same right, not a new one."""
    register_model = _register_model()
    if reverse:  # person.registers_kept.add/remove/clear(...)
        registers = register_model.objects.filter(keepers=instance) if pk_set is None else \
            register_model.objects.filter(pk__in=pk_set)
        return [instance.pk] if registers.filter(is_confidential=True).exists() else []
    if not instance.is_confidential:
        return []
    people = set(instance.keepers.values_list("pk", flat=True)) if pk_set is None else set(pk_set)
    if action == "pre_add":
        people -= set(register_model.objects.filter(
            agency_id=instance.agency_id, kind=instance.kind, code=instance.code, year=instance.year - 1,
            is_confidential=True).values_list("keepers", flat=True))
    return sorted(people)
