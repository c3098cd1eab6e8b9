"""Read queries for the file plan, from the viewer's visible set (`access.visible_plans`)."""

from qlvb import access

from .models import FilePlan, PlanItem
from .services import ordered


def plans_for(person):
    return access.visible_plans(person).select_related("drafted_by", "approved_by").order_by("-year")


def current_plan(person, year: int):
    """The approved plan of a year the person may read, or None: records are opened from it."""
    return plans_for(person).filter(year=year, state=FilePlan.State.APPROVED).first()


def openable_items(person, year: int):
    """The planned records of the year's approved plan, for "Lập hồ sơ theo danh mục" (the person's own
    first)."""
    plan = current_plan(person, year)
    if plan is None:
        return PlanItem.objects.none()
    return plan.items.select_related("heading", "responsible").order_by("ordinal", "id")


def rows(plan):
    return ordered(plan)
