"""The one place that answers "may this person do this action (on this object)?".

Services call `require(...)` first; pages and the API call `can(...)` to show or hide controls;
lists start from `visible_incoming(person)`. Objects a person may not see are answered with 404,
the same as missing ones (`get_incoming_for`).
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from qlvb.organization.models import Role


class Action(StrEnum):
    ADMINISTER = "administer"
    VIEW_REPORTS = "view_reports"
    REGISTER_INCOMING = "register_incoming"
    VIEW_REGISTER = "view_register"
    MONITOR = "monitor"
    HANDLE_DOCUMENTS = "handle_documents"
    VIEW = "view"
    FORWARD = "forward"
    PROCESS = "process"
    RECALL = "recall"
    CANCEL = "cancel"
    EDIT = "edit"
    ISSUE = "issue"


# Actions granted by role alone.
ROLE_ACTIONS: dict[Action, set[str]] = {
    Action.ADMINISTER: {Role.ADMIN},
    Action.VIEW_REPORTS: {Role.LEADER, Role.HEAD, Role.CLERK, Role.ADMIN, Role.REPORTER},
    Action.REGISTER_INCOMING: {Role.CLERK},
    Action.ISSUE: {Role.CLERK},
    Action.VIEW_REGISTER: {Role.CLERK},
    Action.MONITOR: {Role.LEADER, Role.HEAD, Role.CLERK},
    Action.HANDLE_DOCUMENTS: {Role.LEADER, Role.HEAD, Role.OFFICER, Role.CLERK},
}


def _active(person) -> bool:
    return person is not None and person.is_authenticated and person.is_active


def acts_for(actor, holder, field_id=None) -> bool:
    """May `actor` act on `holder`'s items: themselves, or under an active delegation from the holder
    (limited to its fields when it names some)."""
    if not _active(actor) or holder is None:
        return False
    if actor.pk == holder.pk:
        return True
    from qlvb.organization.models import Delegation

    delegations = Delegation.objects.active().filter(delegator=holder, delegate=actor)
    return delegations.filter(Q(fields=None) | Q(fields=field_id)).exists()


def delegations_held(person):
    """Active delegations the person acts under, with the delegators."""
    from qlvb.organization.models import Delegation

    if not _active(person):
        return []
    return list(Delegation.objects.active().filter(delegate=person).select_related("delegator")
                .prefetch_related("fields"))


def can(person, action: Action, obj=None) -> bool:
    if not _active(person):
        return False
    if obj is None:
        return person.has_role(*ROLE_ACTIONS.get(action, ()))
    rule = OBJECT_RULES.get((type(obj).__name__, action))
    return bool(rule and rule(person, obj))


def require(person, action: Action, obj=None) -> None:
    """Raise PermissionDenied (shown as the 403 page and audited) unless `can(...)`."""
    if not can(person, action, obj):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


# ---- incoming documents -------------------------------------------------------------------------

def _in_tree(person):
    """Documents on the person's tree, or on the tree of someone they act for under delegation."""
    from qlvb.assignments.models import Assignment

    def tree_of(who):
        return Q(pk__in=Assignment.objects.filter(Q(receiver=who) | Q(sender=who)).values("document_id"))

    rule = tree_of(person)
    for delegation in delegations_held(person):
        fields = [f.pk for f in delegation.fields.all()]
        rule |= tree_of(delegation.delegator) & (Q(field__in=fields) if fields else Q())
    return rule


def visible_incoming(person):
    """Incoming documents the person may see: their processing tree; all non-confidential ones for
    clerks and leaders; their unit's for a head; confidential ones only on the tree or to the keepers
    of the confidential register."""
    from qlvb.assignments.models import Assignment
    from qlvb.incoming.models import IncomingDocument

    if not _active(person):
        return IncomingDocument.objects.none()
    normal = Q(confidentiality="normal")
    rule = _in_tree(person)
    if person.has_role(Role.CLERK):
        from qlvb.documents.models import Register

        rule |= normal | Q(register__in=Register.objects.filter(keepers=person).values("pk"))
    elif person.has_role(Role.LEADER):
        rule |= normal
    elif person.has_role(Role.HEAD) and person.unit_id:
        unit_docs = Assignment.objects.filter(receiver_unit_id=person.unit_id).values("document_id")
        rule |= normal & Q(pk__in=unit_docs)
    return IncomingDocument.objects.filter(rule)


def _may_view_incoming(person, document) -> bool:
    return visible_incoming(person).filter(pk=document.pk).exists()


def get_incoming_for(person, pk):
    """The document if the person may see it; 404 otherwise (same answer as a missing one)."""
    document = visible_incoming(person).filter(pk=pk).select_related(
        "register", "document_type", "registered_by").first()
    if document is None:
        raise Http404(_("Không tìm thấy văn bản."))
    return document


def _may_cancel(person, document) -> bool:
    return person.has_role(Role.CLERK) and _may_view_incoming(person, document)


# ---- assignments --------------------------------------------------------------------------------

def _holder(person, assignment) -> bool:
    return acts_for(person, assignment.receiver, assignment.document.field_id)


def _may_recall(person, assignment) -> bool:
    return acts_for(person, assignment.sender, assignment.document.field_id)


def get_assignment_for(person, pk):
    """An assignment the person receives or sent (themselves or under delegation); 404 otherwise."""
    from qlvb.assignments.models import Assignment

    assignment = Assignment.objects.select_related("document", "receiver", "sender").filter(pk=pk).first()
    if assignment is None or not (_holder(person, assignment) or _may_recall(person, assignment)):
        raise Http404(_("Không tìm thấy."))
    return assignment


def forward_targets_allowed(person, *, people=(), units=()) -> bool:
    """Leaders forward to anyone; heads within their own unit; others to nobody."""
    if person.has_role(Role.LEADER):
        return True
    if person.has_role(Role.HEAD) and person.unit_id:
        return not units and all(p.unit_id == person.unit_id for p in people)
    return False


def _may_forward(person, assignment) -> bool:
    return _holder(person, assignment) and assignment.receiver.has_role(Role.LEADER, Role.HEAD)


# ---- work records and drafts ----------------------------------------------------------------------

def _record_people(record) -> set[int]:
    return {record.owner_id, *record.shares.values_list("person_id", flat=True)}


def _may_edit_record(person, record) -> bool:
    if acts_for(person, record.owner):
        return True
    return record.shares.filter(person=person, can_edit=True).exists()


def _draft_chain(draft) -> set[int]:
    """Everyone the draft has been in front of: holder, signer, deciders, people asked for opinions."""
    ids = {draft.holder_id, draft.signer_id, *draft.steps.values_list("actor_id", flat=True),
           *draft.steps.values_list("to_id", flat=True), *draft.opinions.values_list("person_id", flat=True)}
    return {i for i in ids if i}


def _may_view_draft(person, draft) -> bool:
    if person.pk in _record_people(draft.record) or person.pk in _draft_chain(draft):
        return True
    if person.has_role(Role.CLERK) and draft.state in ("approved", "issued"):
        return draft.confidentiality == "normal" or _keeps_confidential_outgoing(person)
    chain = _record_people(draft.record) | _draft_chain(draft)
    return any(p.pk in chain for p in _delegators(person))


def _keeps_confidential_outgoing(person) -> bool:
    from qlvb.documents.models import Register

    return Register.objects.filter(kind="outgoing", is_confidential=True, keepers=person).exists()


def _delegators(person):
    return [d.delegator for d in delegations_held(person)]


def _may_view_record(person, record) -> bool:
    if person.pk in _record_people(record) or any(p.pk in _record_people(record) for p in _delegators(person)):
        return True
    return any(_may_view_draft(person, d) for d in record.drafts.all())


def visible_records(person):
    """Work records the person owns, shares, or has a draft of in front of them."""
    from qlvb.records.models import Draft, OpinionRequest, Step, WorkRecord

    if not _active(person):
        return WorkRecord.objects.none()
    people = [person, *_delegators(person)]
    on_chain = Draft.objects.filter(Q(holder__in=people) | Q(signer__in=people) | Q(
        pk__in=Step.objects.filter(Q(actor__in=people) | Q(to__in=people)).values("draft_id")) | Q(
        pk__in=OpinionRequest.objects.filter(person__in=people).values("draft_id"))).values("record_id")
    rule = Q(owner__in=people) | Q(shares__person__in=people) | Q(pk__in=on_chain)
    if person.has_role(Role.CLERK):
        rule |= Q(pk__in=Draft.objects.filter(state__in=["approved", "issued"], confidentiality="normal")
                  .values("record_id"))
    return WorkRecord.objects.filter(rule).distinct()


def get_record_for(person, pk):
    from qlvb.records.models import WorkRecord

    record = WorkRecord.objects.select_related("owner", "unit", "field").filter(pk=pk).first()
    if record is None or not _may_view_record(person, record):
        raise Http404(_("Không tìm thấy hồ sơ."))
    return record


def get_draft_for(person, pk):
    from qlvb.records.models import Draft

    draft = Draft.objects.select_related("record", "signer", "holder", "document_type").filter(pk=pk).first()
    if draft is None or not _may_view_draft(person, draft):
        raise Http404(_("Không tìm thấy dự thảo."))
    return draft


OBJECT_RULES = {
    ("IncomingDocument", Action.VIEW): _may_view_incoming,
    ("IncomingDocument", Action.CANCEL): _may_cancel,
    ("Assignment", Action.PROCESS): _holder,
    ("Assignment", Action.FORWARD): _may_forward,
    ("Assignment", Action.RECALL): _may_recall,
    ("WorkRecord", Action.VIEW): _may_view_record,
    ("WorkRecord", Action.EDIT): _may_edit_record,
    ("Draft", Action.VIEW): _may_view_draft,
}
