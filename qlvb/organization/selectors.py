"""Read queries about the organisation."""

from django.db.models import Count, Q

from .models import Person, RightsChange, Role, Unit


def organization_summary() -> dict:
    return {
        "units": Unit.objects.filter(is_active=True).count(),
        "people": Person.objects.filter(is_active=True).count(),
        "inactive": Person.objects.filter(is_active=False).count(),
        "rights_pending": RightsChange.objects.filter(confirmed_at__isnull=True).count(),
    }


def people_with_role(role: str):
    """Active people holding a role, by position or by separate grant."""
    return Person.objects.filter(Q(position__role=role) | Q(role_grants__role=role), is_active=True).distinct()


def administrators():
    """Active people holding the administrator role (by position, grant, or as superuser)."""
    return Person.objects.filter(Q(position__role=Role.ADMIN) | Q(role_grants__role=Role.ADMIN) | Q(is_superuser=True),
                                 is_active=True).distinct()


def pending_rights_changes():
    """Rights changes no administrator has confirmed yet, oldest first (F-3.c)."""
    return RightsChange.objects.filter(confirmed_at__isnull=True).select_related(
        "person", "changed_by").order_by("changed_at", "id")


def director():
    """The head of the agency: the active leader with the highest rank."""
    return (
        Person.objects.filter(position__role=Role.LEADER, position__is_deputy=False, is_active=True)
        .order_by("position__rank", "id")
        .first()
    )


def unit_heads(unit: Unit):
    """The head and deputy heads of a unit, head first."""
    return Person.objects.filter(unit=unit, position__role=Role.HEAD, is_active=True).order_by(
        "position__rank", "full_name"
    )


def unit_tree() -> list[tuple[Unit, int]]:
    """Active units in tree order with their depth, for pickers."""
    units = list(Unit.objects.filter(is_active=True).annotate(n=Count("people")).order_by("order", "name"))
    children: dict = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    out = []

    def walk(parent_id, depth):
        for unit in children.get(parent_id, []):
            out.append((unit, depth))
            walk(unit.pk, depth + 1)

    walk(None, 0)
    return out
