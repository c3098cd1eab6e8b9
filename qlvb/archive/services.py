"""Business actions on the file plan (Danh mục hồ sơ): drafted by the office, approved and issued by the
head of the agency at the start of the year (Decree 30 Art 28). One transaction each, permission first,
audit last. Once approved, a plan never changes: records opened from it keep its codes."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb import access
from qlvb.access import Action
from qlvb.audit.services import record as audit
from qlvb.core.text import field_text
from qlvb.organization.models import Agency

from .models import FilePlan, PlanHeading, PlanItem

ROMAN = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
         (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(n: int) -> str:
    out = ""
    for value, letters in ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _text(value, field: str, label: str, *, required=True, limit=500) -> str:
    return field_text(value, field, label, limit, required=required)


def _locked(actor, plan) -> FilePlan:
    """The plan's row locked for a change by the office; refused once approved."""
    access.require(actor, Action.EDIT, plan)
    plan = FilePlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_draft:
        raise ValidationError(_("Danh mục hồ sơ năm %(y)d đã được phê duyệt, ban hành: không sửa được.")
                              % {"y": plan.year})
    return plan


def ordered(plan) -> list[tuple[PlanHeading, list[PlanItem]]]:
    """The plan in reading order: each heading (big, then its sub-headings) with its items."""
    headings = list(plan.headings.all())
    items = list(plan.items.select_related("responsible").order_by("position", "id"))
    by_heading = {}
    for item in items:
        by_heading.setdefault(item.heading_id, []).append(item)
    rows = []
    for big in (h for h in headings if h.parent_id is None):
        rows.append((big, by_heading.get(big.pk, [])))
        for sub in (h for h in headings if h.parent_id == big.pk):
            rows.append((sub, by_heading.get(sub.pk, [])))
    return rows


def renumber(plan) -> None:
    """Numbers I, II… for big headings, 1, 2… for sub-headings, and each item's ordinal and code
    (`01.TCCB`: two digits at least, then the big heading's abbreviation), by the plan's numbering."""
    ordinal, big_count, sub_count = 0, 0, 0
    for heading, items in ordered(plan):
        if heading.parent_id is None:
            big_count, sub_count = big_count + 1, 0
            number = roman(big_count)
            if plan.numbering == FilePlan.Numbering.PER_HEADING:
                ordinal = 0
        else:
            sub_count += 1
            number = str(sub_count)
        if heading.number != number:
            heading.number = number
            heading.save(update_fields=["number"])
        suffix = heading.big.abbreviation if heading.parent_id else heading.abbreviation
        for item in items:
            ordinal += 1
            code = f"{ordinal:02d}.{suffix}" if suffix else f"{ordinal:02d}"
            if (item.ordinal, item.code) != (ordinal, code):
                item.ordinal, item.code = ordinal, code
                item.save(update_fields=["ordinal", "code"])


@transaction.atomic
def create_plan(*, actor, year: int, numbering: str = FilePlan.Numbering.CONTINUOUS) -> FilePlan:
    access.require(actor, Action.DRAFT_PLAN)
    year = int(year)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Năm không hợp lệ.")})
    if numbering not in FilePlan.Numbering.values:
        raise ValidationError({"numbering": _("Chọn cách đánh số hồ sơ.")})
    agency = Agency.objects.get()
    if FilePlan.objects.filter(agency=agency, year=year).exists():
        raise ValidationError({"year": _("Đã có danh mục hồ sơ năm %(y)d.") % {"y": year}})
    plan = FilePlan.objects.create(agency=agency, year=year, numbering=numbering, drafted_by=actor)
    audit(actor=actor, action="archive.plan_create", obj=plan, changes={"year": year})
    return plan


@transaction.atomic
def copy_plan(*, actor, source: FilePlan, year: int | None = None) -> FilePlan:
    """Carry a plan forward (normally last year's into this year's): the same headings and planned
    records, renumbered, as a draft the office then edits and the head approves."""
    access.require(actor, Action.VIEW, source)
    plan = create_plan(actor=actor, year=year or source.year + 1, numbering=source.numbering)
    plan.copied_from = source
    plan.save(update_fields=["copied_from"])
    new_heading = {}
    for heading, items in ordered(source):
        copy = PlanHeading.objects.create(
            plan=plan, parent=new_heading.get(heading.parent_id), position=heading.position, title=heading.title,
            abbreviation=heading.abbreviation, unit=heading.unit)
        new_heading[heading.pk] = copy
        PlanItem.objects.bulk_create(PlanItem(
            plan=plan, heading=copy, position=item.position, title=item.title, notes=item.notes,
            retention_permanent=item.retention_permanent, retention_years=item.retention_years,
            responsible=item.responsible if item.responsible and item.responsible.is_active else None,
            responsible_name=item.responsible_name) for item in items)
    renumber(plan)
    audit(actor=actor, action="archive.plan_copy", obj=plan, changes={"from": source.pk})
    return plan


@transaction.atomic
def set_numbering(*, actor, plan: FilePlan, numbering: str) -> FilePlan:
    plan = _locked(actor, plan)
    if numbering not in FilePlan.Numbering.values:
        raise ValidationError({"numbering": _("Chọn cách đánh số hồ sơ.")})
    plan.numbering = numbering
    plan.save(update_fields=["numbering"])
    renumber(plan)
    audit(actor=actor, action="archive.plan_numbering", obj=plan, changes={"numbering": numbering})
    return plan


def _next_position(qs) -> int:
    last = qs.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


@transaction.atomic
def add_heading(*, actor, plan: FilePlan, title: str, abbreviation: str = "", parent: PlanHeading | None = None,
                unit=None) -> PlanHeading:
    plan = _locked(actor, plan)
    title = _text(title, "title", _("tên đề mục"))
    abbreviation = _text(abbreviation, "abbreviation", _("ký hiệu đề mục"), required=False, limit=15).upper()
    if parent is not None:
        if parent.plan_id != plan.pk or parent.parent_id is not None:
            raise ValidationError({"parent": _("Đề mục lớn không thuộc danh mục này.")})
        abbreviation = ""  # codes end with the big heading's abbreviation
    elif not abbreviation and unit is not None:
        abbreviation = unit.abbreviation.upper()
    if parent is None and abbreviation and plan.headings.filter(parent=None, abbreviation=abbreviation).exists():
        raise ValidationError({"abbreviation": _("Ký hiệu đề mục “%(a)s” đã dùng trong danh mục.")
                               % {"a": abbreviation}})
    heading = PlanHeading.objects.create(plan=plan, parent=parent, title=title, abbreviation=abbreviation,
                                         unit=unit, position=_next_position(plan.headings.filter(parent=parent)))
    renumber(plan)
    audit(actor=actor, action="archive.heading_add", obj=plan, changes={"heading": heading.pk, "title": title})
    return heading


def _item_values(item: PlanItem, *, title, retention, responsible, responsible_name, notes) -> None:
    item.title = _text(title, "title", _("tiêu đề hồ sơ"))
    item.set_retention(retention)
    if not item.has_retention:
        raise ValidationError({"retention": _("Nhập thời hạn bảo quản: “Vĩnh viễn” hoặc số năm.")})
    item.responsible = responsible
    item.responsible_name = _text(responsible_name, "responsible_name", _("người lập hồ sơ"), required=False,
                                  limit=100)
    item.notes = _text(notes, "notes", _("ghi chú"), required=False)


@transaction.atomic
def add_item(*, actor, plan: FilePlan, heading: PlanHeading, title: str, retention: str, responsible=None,
             responsible_name: str = "", notes: str = "") -> PlanItem:
    plan = _locked(actor, plan)
    if heading.plan_id != plan.pk:
        raise ValidationError({"heading": _("Đề mục không thuộc danh mục này.")})
    item = PlanItem(plan=plan, heading=heading, position=_next_position(heading.items.all()))
    _item_values(item, title=title, retention=retention, responsible=responsible,
                 responsible_name=responsible_name, notes=notes)
    item.save()
    renumber(plan)
    item.refresh_from_db()
    audit(actor=actor, action="archive.item_add", obj=plan, changes={"item": item.pk, "code": item.code})
    return item


@transaction.atomic
def update_item(*, actor, item: PlanItem, title: str, retention: str, responsible=None, responsible_name: str = "",
                notes: str = "") -> PlanItem:
    _locked(actor, item.plan)
    _item_values(item, title=title, retention=retention, responsible=responsible,
                 responsible_name=responsible_name, notes=notes)
    item.save()
    audit(actor=actor, action="archive.item_update", obj=item.plan, changes={"item": item.pk})
    return item


@transaction.atomic
def delete_item(*, actor, item: PlanItem) -> None:
    plan = _locked(actor, item.plan)
    changes = {"item": item.pk, "code": item.code, "title": item.title}
    item.delete()
    renumber(plan)
    audit(actor=actor, action="archive.item_delete", obj=plan, changes=changes)


@transaction.atomic
def delete_heading(*, actor, heading: PlanHeading) -> None:
    plan = _locked(actor, heading.plan)
    if heading.items.exists() or heading.children.exists():
        raise ValidationError(_("Đề mục “%(t)s” còn hồ sơ hoặc đề mục con: xóa chúng trước.") % {"t": heading.title})
    changes = {"heading": heading.pk, "title": heading.title}
    heading.delete()
    renumber(plan)
    audit(actor=actor, action="archive.heading_delete", obj=plan, changes=changes)


@transaction.atomic
def approve_plan(*, actor, plan: FilePlan) -> FilePlan:
    """The head of the agency approves the plan, which is thereby issued to the staff."""
    access.require(actor, Action.APPROVE, plan)
    plan = FilePlan.objects.select_for_update().get(pk=plan.pk)
    if not plan.is_draft:
        raise ValidationError(_("Danh mục hồ sơ năm %(y)d đã được phê duyệt.") % {"y": plan.year})
    if not plan.items.exists():
        raise ValidationError(_("Danh mục hồ sơ chưa có hồ sơ nào."))
    missing = [item.code for item in plan.items.all() if not item.has_retention]
    if missing:
        raise ValidationError({"retention": _("Chưa có thời hạn bảo quản: %(c)s.") % {"c": ", ".join(missing)}})
    plan.state, plan.approved_by, plan.approved_at = FilePlan.State.APPROVED, actor, timezone.now()
    plan.save(update_fields=["state", "approved_by", "approved_at"])
    audit(actor=actor, action="archive.plan_approve", obj=plan, changes={"items": plan.items.count()})
    _notify_staff(plan)
    return plan


def _notify_staff(plan) -> None:
    """Tell the people named in the plan that it is issued, with the records they will keep."""
    from django.urls import reverse

    from qlvb.monitoring.services import notify

    people = {item.responsible for item in plan.items.select_related("responsible") if item.responsible_id}
    if people:
        notify(recipients=list(people), kind="issued", about=plan,
               text=_("Danh mục hồ sơ năm %(y)d đã ban hành") % {"y": plan.year},
               link=reverse("archive:plan", args=[plan.pk]))


@transaction.atomic
def import_xlsx(*, actor, plan: FilePlan, upload) -> FilePlan:
    """Replace a draft plan's headings and records with a spreadsheet's (`exports.read_xlsx`)."""
    from . import exports

    plan = _locked(actor, plan)
    rows = exports.read_xlsx(upload)
    plan.items.all().delete()
    plan.headings.all().delete()
    big = heading = None
    for position, row in enumerate(rows, start=1):
        if row.kind == "big":
            big = heading = PlanHeading.objects.create(plan=plan, title=row.title, abbreviation=row.abbreviation,
                                                       position=position)
        elif row.kind == "sub":
            if big is None:
                raise ValidationError({"file": _("Dòng %(n)d: đề mục con phải nằm dưới một đề mục lớn.")
                                       % {"n": row.line}})
            heading = PlanHeading.objects.create(plan=plan, parent=big, title=row.title, position=position)
        else:
            if heading is None:
                raise ValidationError({"file": _("Dòng %(n)d: hồ sơ phải nằm dưới một đề mục.") % {"n": row.line}})
            item = PlanItem(plan=plan, heading=heading, position=position)
            try:
                _item_values(item, title=row.title, retention=row.retention, responsible=None,
                             responsible_name=row.responsible, notes=row.notes)
            except ValidationError as exc:
                message = _("Dòng %(n)d: %(m)s") % {"n": row.line, "m": " ".join(exc.messages)}
                raise ValidationError({"file": message}) from exc
            item.save()
    renumber(plan)
    audit(actor=actor, action="archive.plan_import", obj=plan, changes={"rows": len(rows)})
    return plan
