"""Read queries of the accounts app: a person's saved searches (only their own)."""

from django.http import Http404
from django.utils.translation import gettext as _

from .models import SavedSearch


def saved_searches(person, kind: str = ""):
    """The person's saved searches, by name; of one kind when `kind` names it."""
    qs = SavedSearch.objects.filter(owner=person) if person.is_authenticated else SavedSearch.objects.none()
    return qs.filter(kind=kind) if kind else qs


def get_saved_search_for(person, pk) -> SavedSearch:
    """One of the person's saved searches; 404 for another person's, as for a missing one."""
    saved = saved_searches(person).filter(pk=pk).first()
    if saved is None:
        raise Http404(_("Không tìm thấy tìm kiếm đã lưu."))
    return saved
