from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

URGENCY_BADGES = {"urgent": "warning", "very_urgent": "danger", "flash": "danger"}
DEADLINE = {
    "overdue": ("qlvb-overdue", "exclamation-octagon-fill", _("Quá hạn")),
    "due_soon": ("qlvb-due-soon", "hourglass-split", _("Sắp đến hạn")),
}


@register.inclusion_tag("core/_deadline.html")
def deadline(value, status):
    css, icon, label = DEADLINE.get(status, ("", "calendar3", ""))
    return {"value": value, "css": css, "icon": icon, "label": label}


@register.simple_tag
def urgency_badge(value):
    return URGENCY_BADGES.get(value, "")


@register.simple_tag(takes_context=True)
def query(context, **changes):
    """The current query string with some parameters replaced (for tabs, sorting, pages)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode()


@register.simple_tag
def days(duration):
    """A duration as days with one decimal (average processing time)."""
    return f"{duration.total_seconds() / 86400:.1f}" if duration else "—"
