"""Print views of documents: a print-friendly page with the mark of F-6.k on every printed page, and the
print written to the access history (F-6.l)."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import AccessLog
from .services import log_access


def mark(person, at) -> str:
    """The line printed on every page (Decree 30 PL VI I.III.6.k: mark the printed items)."""
    return _("Bản in từ hệ thống QLVB — in bởi %(name)s, %(at)s") % {
        "name": person.full_name or person.username,
        "at": date_format(timezone.localtime(at), "H:i d/m/Y")}


def print_response(request, obj, template: str, context: dict):
    """Render `template` (extending audit/print.html) for a document the viewer has opened, and record the
    print: every call is one entry (prints are never coalesced)."""
    entry = log_access(person=request.user, action=AccessLog.Kind.PRINT, obj=obj)
    return render(request, template, {**context, "print_mark": mark(request.user, entry.at), "object": obj})
