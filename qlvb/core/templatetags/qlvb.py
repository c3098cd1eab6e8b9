from django import template
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

register = template.Library()

URGENCY_BADGES = {"urgent": "warning", "very_urgent": "danger", "flash": "danger"}
DEADLINE = {
    "overdue": ("qlvb-overdue", "exclamation-octagon-fill", _("Quá hạn")),
    "due_soon": ("qlvb-due-soon", "hourglass-split", _("Sắp đến hạn")),
}


NO_DEADLINE = mark_safe('<span class="text-muted">—</span>')  # noqa: S308 - a constant


@register.simple_tag
def deadline(value, status):
    """A deadline with the colour, icon and spoken label of its status (overdue, due soon). Built in
    Python, not an included template: list pages show it on every row."""
    if not value:
        return NO_DEADLINE
    css, icon, label = DEADLINE.get(status, ("", "calendar3", ""))
    label = str(label)  # translated once, not at each of its two uses
    spoken = format_html('<span class="visually-hidden"> ({})</span>', label) if label else ""
    return format_html('<span class="{} text-nowrap" title="{}"><i class="bi bi-{}"></i> {}{}</span>',
                       css, label, icon, value.strftime("%d/%m/%Y"), spoken)


@register.simple_tag
def urgency_badge(value):
    return URGENCY_BADGES.get(value, "")


@register.simple_tag
def days(duration):
    """A duration as days with one decimal (average processing time)."""
    return floatformat(duration.total_seconds() / 86400, 1) if duration else "—"  # rounded; 11,0 in Vietnamese
