"""Read queries for incoming documents: the register book, duplicates, the default recipient."""

from django.db.models import Q
from django.utils import timezone

from qlvb import access
from qlvb.incoming.search import matching
from qlvb.organization.selectors import director


def default_recipient(document):
    """The leader in charge of the document's field, else the Director."""
    field = document.field
    if field and field.leader_id and field.leader.is_active:
        return field.leader
    return director()


def register_book(person, register, *, q: str = "", status: str = "", date_from=None, date_to=None):
    """The clerk's register book: a register's documents by arrival number, newest first."""
    qs = access.visible_incoming(person).filter(register=register)
    qs = matching(qs, q)
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(arrived_at__date__gte=date_from)
    if date_to:
        qs = qs.filter(arrived_at__date__lte=date_to)
    return qs.select_related("document_type").order_by("-arrival_number")


def registers_for(person, year=None):
    """Incoming registers the clerk may use this year (confidential ones only for their keepers)."""
    from qlvb.documents.models import Register
    from qlvb.documents.services import registers_for_year
    from qlvb.organization.models import Agency

    agency = Agency.objects.first()
    if agency is None:
        return []
    registers_for_year(agency=agency, kind=Register.Kind.INCOMING, year=year or timezone.localdate().year)
    return list(Register.objects.filter(agency=agency, kind=Register.Kind.INCOMING,
                                        year=year or timezone.localdate().year, is_active=True)
                .filter(Q(is_confidential=False) | Q(keepers=person)).distinct().order_by("is_confidential", "code"))


def home_widget(person):
    from qlvb.assignments.selectors import counts

    if not person.has_role("leader", "head", "officer", "clerk"):
        return None
    return {"template": "incoming/_home_widget.html", "counts": counts(person)}
