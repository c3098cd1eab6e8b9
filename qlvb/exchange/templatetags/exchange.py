"""`{% load exchange %}{% exchange_panel document %}`: the external recipients of an outgoing document with
their latest status notice and a link to the exchange page, for the outgoing document's page."""

from django import template

from qlvb import access
from qlvb.access import Action

from .. import selectors

register = template.Library()


@register.inclusion_tag("exchange/_outgoing_panel.html", takes_context=True)
def exchange_panel(context, document):
    person = context["request"].user
    recipients = selectors.recipients_with_latest_status(person, document.pk)
    return {"document": document, "recipients": recipients, "can_export": access.can(person, Action.ISSUE)}
