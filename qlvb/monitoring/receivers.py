"""Notifications for processing-tree events (sent after the action commits)."""

from django.dispatch import receiver
from django.utils.translation import gettext as _

from qlvb.assignments.models import OPEN_STATES
from qlvb.assignments.signals import assignment_event

from .services import notify


@receiver(assignment_event)
def on_assignment_event(sender, event, assignment, actor, note="", **kwargs):
    # The document's page opened at the item the event is about (its node in the processing tree).
    document, link = assignment.document, f"/incoming/{assignment.document_id}/#item-{assignment.pk}"
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
    elif event == "closed":  # left open on a finished document; closed by a head or a leader
        notify(recipients=[assignment.receiver], kind="closed", link=link,
               text=_("%(who)s đóng phần việc của bạn trên văn bản đã xử lý xong: %(doc)s — %(why)s") % {
                   "who": actor, "doc": summary, "why": _last_note(assignment)})
    elif event == "extended":  # the holders of the open items learn the document's new deadline
        holders = [a.receiver for a in document.assignments.filter(state__in=OPEN_STATES).select_related("receiver")]
        notify(recipients=[p for p in holders if p.pk != actor.pk], kind="extended", link=link, about=document,
               text=_("%(who)s gia hạn xử lý văn bản: %(doc)s — %(note)s") % {"who": actor, "doc": summary,
                                                                                 "note": note})


def _last_note(assignment) -> str:
    last = assignment.events.order_by("-at", "-id").first()
    return last.note if last else ""
