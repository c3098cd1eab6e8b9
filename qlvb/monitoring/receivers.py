"""Notifications for processing-tree events (sent after the action commits)."""

from django.dispatch import receiver
from django.utils.translation import gettext as _

from qlvb.assignments.signals import assignment_event

from .services import notify


@receiver(assignment_event)
def on_assignment_event(sender, event, assignment, actor, **kwargs):
    document, link = assignment.document, f"/incoming/{assignment.document_id}/"
    summary = document.summary[:100]
    if event == "created":
        notify(recipients=[assignment.receiver], kind="assigned", link=link,
               text=_("%(who)s chuyển văn bản (%(role)s): %(doc)s") % {
                   "who": actor, "role": assignment.get_role_display().lower(), "doc": summary})
    elif event == "returned":
        notify(recipients=[assignment.sender], kind="returned", link=link,
               text=_("%(who)s trả lại văn bản: %(doc)s") % {"who": actor, "doc": summary})
    elif event == "recalled":
        notify(recipients=[assignment.receiver], kind="recalled", link=link,
               text=_("%(who)s thu hồi văn bản: %(doc)s") % {"who": actor, "doc": summary})
