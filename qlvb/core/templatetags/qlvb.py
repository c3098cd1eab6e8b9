from django import template
from django.forms.utils import flatatt
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from qlvb.core import dates
from qlvb.core.forms import DateInput

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


@register.simple_tag
def date_input(name, value="", id="", label="", required=False, small=True, invalid=False, testid="", **attrs):
    """A date input of a hand-written form, the same as the forms' (dd/mm/yyyy, qlvb.core.forms.DateInput):
    `{% date_input "deadline" value id="deadline-1" label="Hạn xử lý" required=True %}`. An ISO or date
    value is shown as dd/mm/yyyy; text that is not a date (typed before a refusal) is shown as typed."""
    css = "form-control" + (" form-control-sm" if small else "") + (" is-invalid" if invalid else "")
    attrs = {"class": css, "id": id or f"id_{name}",
             **{k.replace("_", "-"): v for k, v in attrs.items() if v not in ("", None)}}
    if label:
        attrs["aria-label"] = label
    if required:
        attrs["required"] = True
    if testid:
        attrs["data-testid"] = testid
    # The widget's own template (django/forms/widgets/input.html) written out here: every list page's
    # filter form has two of these, and rendering a widget template costs ~10× this.
    widget = DateInput(attrs).get_context(name, dates.parse_date(value) or value or "", None)["widget"]
    shown = format_html(' value="{}"', widget["value"]) if widget["value"] is not None else ""
    return format_html('<input type="{}" name="{}"{}{}>', widget["type"], widget["name"], shown,
                       flatatt(widget["attrs"]))
