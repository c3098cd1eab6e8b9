import html
from functools import lru_cache

from django import template
from django.forms.utils import flatatt
from django.template.defaultfilters import floatformat
from django.urls import NoReverseMatch, get_script_prefix
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
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
    # The widget's own template (django/forms/widgets/input.html) written out here, the widget and its
    # attributes built once per process and language: every list page's filter form has two of these.
    widget, start, rest = _date_widget(name, tuple(attrs.items()), get_language())
    value = widget.format_value(dates.parse_date(value) or value or "")
    shown = format_html(' value="{}"', value) if value is not None else ""
    return format_html("{}{}{}>", start, shown, rest)


@lru_cache(maxsize=256)
def _date_widget(name, attrs, language):
    """A date input's widget and its markup before and after the value: `<input type="text" name="…"`,
    then the attributes (some translated: the language is part of the key)."""
    widget = DateInput(dict(attrs))
    context = widget.get_context(name, "", None)["widget"]
    return widget, format_html('<input type="{}" name="{}"', context["type"], context["name"]), \
        flatatt(context["attrs"])


def escaped(value) -> str:
    """`conditional_escape` without its lazy-string wrapper (a third of its cost): for tags that write
    many values (a lazy label is translated by `str`)."""
    return value.__html__() if hasattr(value, "__html__") else html.escape(str(value))


OPTION = '<option value="{}"{}>{}</option>'


@register.simple_tag
def options(choices, selected=None, value="", label=""):
    """A filter's `<option>`s in one tag (a list page's form has dozens; one through the template language
    costs ~15× this): `{% options urgencies filters.urgency %}` for (value, label) pairs, or
    `{% options types filters.document_type value="pk" label="name" %}` for objects."""
    if value:
        choices = ((getattr(item, value), getattr(item, label)) for item in choices)
    return mark_safe("".join(OPTION.format(escaped(v), " selected" if selected == v else "", escaped(text))  # noqa: S308
                             for v, text in choices))


MENU_ITEM = """
        <li class="nav-item">
          <a class="nav-link{}"
             href="{}"><i class="bi bi-{}"></i> {}<span id="menu-count-{}" data-testid="menu-count-{}"></span></a>
        </li>"""


@register.simple_tag
def main_menu(menu, path):
    """The main menu's entries (`core.navigation.menu_for`), the one whose URL starts as the page's
    (first four characters, not the home page) marked active. One tag: every page shows it."""
    return mark_safe("".join(MENU_ITEM.format(  # noqa: S308 - every value escaped
        " active" if path[:4] == item["url"][:4] and item["url"] != "/" else "", escaped(item["url"]),
        escaped(item["icon"]), escaped(item["label"]), escaped(item["slug"]), escaped(item["slug"])) for item in menu))


@register.simple_tag
def fixed_url(name):
    """`{% url name %}` for a view without arguments, reversed once per process (`core.navigation`):
    the page frame shows ten of these on every page."""
    from qlvb.core.navigation import url_of

    url = url_of(name, get_script_prefix())
    if url is None:
        raise NoReverseMatch(name)
    return escaped(url)
