"""The inbox list's rows written in Python: the list is the most rendered piece of the product, and a
row through the template language (~40 variable look-ups, filters, `{% with %}`, `{% if %}`) costs
about ten times this. The markup is the one `_inbox_table.html` had; keep the two readable together.
Every value is escaped (`escaped`) before it goes in."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from qlvb.core.templatetags.qlvb import URGENCY_BADGES, deadline, escaped

register = template.Library()

ROW = (
    '\n  <tr class="{}">'
    '\n    <td class="d-none d-sm-table-cell">{}</td>'
    '\n    <td class="text-nowrap d-none d-md-table-cell">{}'
    '<div class="small text-muted qlvb-clip" title="{}">{}</div></td>'
    '\n    <td><a class="qlvb-clamp-2" href="{}">{}</a>{}{}{}'
    '\n      <div class="d-md-none small text-muted">{} · {} · {}{}{}</div></td>'
    '\n    <td class="d-none d-lg-table-cell small">{}<div class="text-muted">{}</div></td>{}'
    '\n    <td class="small d-none d-md-table-cell">{}</td>'
    '\n    <td class="small d-none d-md-table-cell">{}</td>'
    '\n    <td class="small d-none d-md-table-cell">{}</td>'
    '\n  </tr>'
)
URGENCY = '\n      <span class="badge text-bg-{}">{}</span>'
WITHDRAWN = ' <span class="badge text-bg-danger" data-testid="withdrawn">{}</span>'
CONFIDENTIAL = ' <span class="badge text-bg-dark"><i class="bi bi-lock-fill"></i> {}</span>'
RECEIVER_COLUMN = '\n    <td class="small d-none d-md-table-cell">{}</td>'
HOLDER_COLUMN = '\n    <td class="small d-none d-md-table-cell" data-testid="holder">{}</td>'


@register.simple_tag
def inbox_rows(rows, unit_tab=False, following_tab=False):
    """The `<tr>` of each row built by `incoming.views._rows`; the unit tabs add the handler's column,
    the following tab the holder's."""
    withdrawn = WITHDRAWN.format(escaped(_("Đã thu hồi")))
    return mark_safe("".join(_row(row, unit_tab, following_tab, withdrawn) for row in rows))  # noqa: S308


def _row(row, unit_tab, following_tab, withdrawn):
    a = row["a"]
    d = a.document
    due = deadline(row["deadline"], row["status"]) if row["deadline"] else ""
    badge = URGENCY_BADGES.get(d.urgency, "")
    holder = row["holder"]
    if unit_tab:
        who = " · " + escaped(a.receiver.full_name)
        column = RECEIVER_COLUMN.format(escaped(a.receiver.full_name))
    else:
        who = " · " + escaped(holder.full_name) if holder else ""
        column = HOLDER_COLUMN.format(escaped(holder.full_name if holder and holder.full_name else "—")) \
            if following_tab else ""
    role, state, notation, issuer = escaped(row["role"]), escaped(row["state"]), escaped(d.notation), \
        escaped(d.issuer_name)
    return ROW.format(
        "fw-semibold" if a.state == "new" else "", escaped(d.arrival_number), notation, issuer, issuer,
        escaped(row["url"]), escaped(d.summary),
        URGENCY.format(badge, escaped(row["urgency"])) if badge else "",
        withdrawn if d.status == "withdrawn" else "",
        CONFIDENTIAL.format(escaped(d.get_confidentiality_display())) if d.confidentiality != "normal" else "",
        notation, role, state, who, "<br>" + due if due else "",
        escaped(a.sender.full_name), escaped(row["sent_at"]), column, role, due, state)
