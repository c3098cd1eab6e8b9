"""The signed-in person, read once per request with what every page asks of them.

Every page asks the person's roles (`Person.roles`: the position's and the role grants) and, for the
lists, the delegations they act under (`access.delegations_held`). Most people hold neither a role
grant nor a delegation, yet each question was a query per request. The person's own query now also
answers whether they have any (two EXISTS subqueries on indexed foreign keys), and the questions are
asked of the database only when the answer is yes: the data is read at the request, never kept
between requests, so a grant or delegation given or withdrawn counts from the next page on.
"""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

PATH = "qlvb.accounts.backends.PersonBackend"
# Sessions signed in before this backend name the one it replaced: they are carried over, not signed out.
REPLACED = "django.contrib.auth.backends.ModelBackend"


class PersonBackend(ModelBackend):
    def get_user(self, user_id):
        from qlvb.core.request_memo import remembered
        from qlvb.organization.models import Delegation, Person, RoleGrant

        person = (
            Person.objects.annotate(
                has_role_grants=Exists(RoleGrant.objects.filter(person=OuterRef("pk"))),
                acts_under_delegation=Exists(Delegation.objects.active().filter(delegate=OuterRef("pk"))),
            )
            .filter(pk=user_id)
            .first()
        )
        if person is None or not self.user_can_authenticate(person):
            return None
        if not person.acts_under_delegation:
            # Answered for this request (the memo is cleared if a delegation changes during it).
            remembered(("delegations_held", person.pk), list)
        return person


class CarryOverSessionsMiddleware:
    """Renames the backend in sessions signed in before `PersonBackend` (placed before the
    authentication middleware); the session is written once, then the rename is a dictionary look-up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(BACKEND_SESSION_KEY) == REPLACED:
            session[BACKEND_SESSION_KEY] = PATH
        return self.get_response(request)
