"""Business actions on the organisation: importing units and people, delegations, confirming rights changes."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from qlvb.access import Action, require
from qlvb.audit.services import record

from . import imports, rights
from .models import Agency, Delegation, Person, Position, RightsChange, Role, RoleGrant, Unit


class ImportFailed(ValidationError):
    """Some rows are wrong; `row_errors` lists (row number, message). Nothing was imported."""

    def __init__(self, row_errors: list[tuple[int, str]]):
        self.row_errors = row_errors
        super().__init__([_("Dòng %(row)d: %(msg)s") % {"row": n, "msg": m} for n, m in row_errors])


def _choice(value: str, choices, label: str) -> str:
    for key, text in choices:
        if value.casefold() in (key.casefold(), str(text).casefold()):
            return key
    raise ValueError(_("%(label)s “%(value)s” không hợp lệ.") % {"label": label, "value": value})


@transaction.atomic
def import_units(*, actor, upload, agency: Agency) -> list[Unit]:
    """Create or update units from the file; parents may be earlier rows or existing units."""
    require(actor, Action.ADMINISTER)
    rows = imports.read_rows(upload, imports.UNIT_COLUMNS, imports.UNIT_REQUIRED)
    known = {u.abbreviation.casefold(): u for u in Unit.objects.filter(agency=agency)}
    errors, saved = [], []
    for number, row in rows:
        try:
            unit = known.get(row["abbreviation"].casefold()) or Unit(agency=agency)
            unit.abbreviation, unit.name = row["abbreviation"], row["name"]
            if row.get("kind"):
                unit.kind = _choice(row["kind"], Unit.Kind.choices, _("Loại đơn vị"))
            if row.get("order"):
                unit.order = int(row["order"]) if row["order"].isdigit() else 0
            parent_code = row.get("parent", "").casefold()
            if parent_code and parent_code not in known:
                raise ValueError(_("Không có đơn vị cấp trên ký hiệu “%(code)s”.") % {"code": row["parent"]})
            unit.parent = known.get(parent_code) if parent_code else None
            unit.full_clean(validate_unique=False)
            unit.save()
            known[unit.abbreviation.casefold()] = unit
            saved.append(unit)
        except (ValueError, ValidationError) as exc:
            errors.append((number, _message(exc)))
    _finish(errors)
    record(actor=actor, action="organization.import_units", changes={"rows": len(saved)})
    return saved


@transaction.atomic
def import_people(*, actor, upload) -> list[Person]:
    """Create or update people; a person without a temporary password cannot sign in until one is set."""
    require(actor, Action.ADMINISTER)
    rows = imports.read_rows(upload, imports.PEOPLE_COLUMNS, imports.PEOPLE_REQUIRED)
    units = {u.abbreviation.casefold(): u for u in Unit.objects.all()}
    positions = {p.name.casefold(): p for p in Position.objects.all()}
    errors, saved, seen = [], [], set()
    with rights.acting(actor, _("Nhập cán bộ từ tệp %(name)s") % {"name": getattr(upload, "name", "")}):
        for number, row in rows:
            try:
                person = _person_from_row(row, units, positions, seen)
                saved.append(person)
            except (ValueError, ValidationError) as exc:
                errors.append((number, _message(exc)))
    _finish(errors)
    record(actor=actor, action="organization.import_people", changes={"rows": len(saved)})
    return saved


def _person_from_row(row, units, positions, seen) -> Person:
    username = row["username"]
    if username.casefold() in seen:
        raise ValueError(_("Tên đăng nhập “%(u)s” bị lặp trong tệp.") % {"u": username})
    seen.add(username.casefold())
    unit = units.get(row["unit"].casefold())
    if unit is None:
        raise ValueError(_("Không có đơn vị ký hiệu “%(code)s”.") % {"code": row["unit"]})
    position = positions.get(row["position"].casefold())
    if position is None:
        raise ValueError(_("Không có chức vụ “%(name)s”.") % {"name": row["position"]})
    if row.get("email"):
        validate_email(row["email"])
    person = Person.objects.filter(username__iexact=username).first() or Person(username=username)
    person.full_name, person.email, person.phone = row["full_name"], row.get("email", ""), row.get("phone", "")
    person.unit, person.position = unit, position
    if row.get("password"):
        validate_password(row["password"], person)
        person.set_password(row["password"])
    elif not person.pk:
        person.set_unusable_password()
    person.full_clean(exclude=["password"], validate_unique=False)
    person.save()
    roles = [r.strip() for r in row.get("extra_roles", "").split(",") if r.strip()]
    for role in roles:
        RoleGrant.objects.get_or_create(person=person, role=_choice(role, Role.choices, _("Vai trò")))
    return person


def _message(exc) -> str:
    if isinstance(exc, ValidationError):
        if hasattr(exc, "message_dict"):
            return "; ".join(f"{k}: {' '.join(v)}" if k != "__all__" else " ".join(v)
                             for k, v in exc.message_dict.items())
        return " ".join(exc.messages)
    return str(exc)


def _finish(errors):
    """Any bad row aborts the whole import: the transaction rolls back."""
    if errors:
        raise ImportFailed(errors)


@transaction.atomic
def delegate(*, actor, delegator: Person, delegate_to: Person, starts_at, ends_at, fields=(), note="") -> Delegation:
    """A leader (or head) hands their authority to another for a period; administrators may record it for them."""
    if actor.pk != delegator.pk:
        require(actor, Action.ADMINISTER)
    if not delegator.has_role(Role.LEADER, Role.HEAD):
        raise ValidationError(_("Chỉ lãnh đạo mới được ủy quyền xử lý văn bản."))
    if not delegate_to.is_active or not delegate_to.has_role(Role.LEADER, Role.HEAD):
        raise ValidationError(_("Người được ủy quyền phải là lãnh đạo đang làm việc."))
    if delegate_to.pk == delegator.pk:
        raise ValidationError(_("Không thể tự ủy quyền cho chính mình."))
    if ends_at <= starts_at:
        raise ValidationError(_("Thời điểm kết thúc phải sau thời điểm bắt đầu."))
    delegation = Delegation.objects.create(delegator=delegator, delegate=delegate_to, starts_at=starts_at,
                                           ends_at=ends_at, note=note, created_by=actor)
    delegation.fields.set(fields)
    record(actor=actor, action="organization.delegate", obj=delegation, on_behalf_of=None,
           changes={"delegator": delegator.pk, "delegate": delegate_to.pk, "from": starts_at, "to": ends_at,
                    "fields": [f.pk for f in fields]})
    return delegation


@transaction.atomic
def revoke_delegation(*, actor, delegation: Delegation) -> Delegation:
    """End a delegation early; only its delegator or an administrator may."""
    from django.utils import timezone

    if actor.pk != delegation.delegator_id:
        require(actor, Action.ADMINISTER)
    delegation.revoked_at = timezone.now()
    delegation.save(update_fields=["revoked_at"])
    record(actor=actor, action="organization.revoke_delegation", obj=delegation)
    return delegation


@transaction.atomic
def confirm_rights_changes(*, actor, changes) -> int:
    """An administrator confirms rights changes (F-3.c); a change to one's own rights needs another."""
    require(actor, Action.ADMINISTER)
    items = list(RightsChange.objects.select_for_update().filter(pk__in=[c.pk for c in changes],
                                                                 confirmed_at__isnull=True).order_by("id"))
    if not items:
        raise ValidationError(_("Chọn ít nhất một thay đổi quyền chưa xác nhận."))
    if any(item.person_id == actor.pk for item in items):
        raise PermissionDenied(_("Thay đổi quyền của chính bạn phải do quản trị viên khác xác nhận."))
    from django.utils import timezone

    now = timezone.now()
    for item in items:
        item.confirmed_by, item.confirmed_at = actor, now
        item.save(update_fields=["confirmed_by", "confirmed_at"])
        record(actor=actor, action="organization.rights_change_confirmed", obj=item,
               changes={"person": item.person_id, "before": item.before, "after": item.after})
    return len(items)
