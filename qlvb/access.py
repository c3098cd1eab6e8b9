"""The one place that answers "may this person do this action (on this object)?".

Services call `require(...)` first; pages and the API call `can(...)` to show or hide controls;
lists start from `visible_incoming(person)`. Objects a person may not see are answered with 404,
the same as missing ones (`get_incoming_for`).
"""

from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
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
    VIEW_ACCESS_LOG = "view_access_log"
    EXTEND_DEADLINE = "extend_deadline"
    DRAFT_PLAN = "draft_plan"
    APPROVE = "approve"
    SUBMIT = "submit"
    RECEIVE_RECORDS = "receive_records"
    DISPOSE_RECORDS = "dispose_records"
    READ_ARCHIVED = "read_archived"
    REQUEST_ACCESS = "request_access"


# Actions granted by role alone.
ROLE_ACTIONS: dict[Action, set[str]] = {
    Action.ADMINISTER: {Role.ADMIN},
    Action.VIEW_REPORTS: {Role.LEADER, Role.HEAD, Role.CLERK, Role.ADMIN, Role.REPORTER},
    Action.REGISTER_INCOMING: {Role.CLERK},
    Action.ISSUE: {Role.CLERK},
    Action.VIEW_REGISTER: {Role.CLERK},
    Action.MONITOR: {Role.LEADER, Role.HEAD, Role.CLERK},
    Action.HANDLE_DOCUMENTS: {Role.LEADER, Role.HEAD, Role.OFFICER, Role.CLERK},
    Action.RECEIVE_RECORDS: {Role.ARCHIVIST},
    Action.DISPOSE_RECORDS: {Role.ARCHIVIST},
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
    """Active delegations the person acts under, with the delegators (read once per request)."""
    from qlvb.core.request_memo import remembered
    from qlvb.organization.models import Delegation

    if not _active(person):
        return []
    return list(remembered(("delegations_held", person.pk), lambda: list(
        Delegation.objects.active().filter(delegate=person).select_related("delegator").prefetch_related("fields"))))


def rule_shape(person) -> tuple:
    """Everything the visibility rules' SQL depends on for this person (`request_memo.compiled_row`
    keys a compiled statement with it): who they are, their roles and unit, and the delegations they
    act under with their fields."""
    held = tuple(sorted((d.delegator_id, tuple(sorted(f.pk for f in d.fields.all())))
                        for d in delegations_held(person)))
    return person.pk, tuple(sorted(person.roles)), person.unit_id, held


def can(person, action: Action, obj=None) -> bool:
    if not _active(person):
        return False
    if obj is None:
        if action in PERSON_RULES:
            return PERSON_RULES[action](person)
        return person.has_role(*ROLE_ACTIONS.get(action, ()))
    rule = OBJECT_RULES.get((type(obj).__name__, action))
    return bool(rule and rule(person, obj))


def require(person, action: Action, obj=None) -> None:
    """Raise PermissionDenied (shown as the 403 page and audited) unless `can(...)`."""
    if not can(person, action, obj):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


# ---- incoming documents -------------------------------------------------------------------------

def _items_on_document(path, match: Q):
    """Whether the document (itself with `path=""`, or the one `path` leads to) has an item matching
    `match`. A correlated EXISTS probes the document's few items through the document index; an
    `IN (SELECT document_id ...)` would collect every document the person or unit ever handled (the
    whole archive for the Director) on every query, and PostgreSQL rebuilt that list per worker."""
    from qlvb.assignments.models import Assignment

    return Exists(Assignment.objects.filter(match, document=OuterRef(f"{path}pk")))


def _in_tree(person, path=""):
    """Documents on the person's tree, or on the tree of someone they act for under delegation
    (`path` prefixes the fields when the rule is applied to a model that points to the document)."""

    def tree_of(who):
        return Q(_items_on_document(path, Q(receiver=who) | Q(sender=who)))

    rule = tree_of(person)
    for delegation in delegations_held(person):
        fields = [f.pk for f in delegation.fields.all()]
        rule |= tree_of(delegation.delegator) & (Q(**{f"{path}field__in": fields}) if fields else Q())
    return rule


def _incoming_rule(person, path=""):
    """The rule behind `visible_incoming`, on the document itself (`path=""`) or through a foreign key
    to it (`path="document__"`), so that every list of documents or of their items applies one rule.
    The tests on the document's own columns come first: the databases stop at the first true branch of
    an OR, so most rows never reach the subqueries."""
    normal = Q(**{f"{path}confidentiality": "normal"})
    rule = _in_tree(person, path)
    if person.has_role(Role.CLERK):
        from qlvb.documents.models import Register

        kept = Register.objects.filter(keepers=person).values("pk")
        rule = normal | Q(**{f"{path}register__in": kept}) | rule
    elif person.has_role(Role.LEADER):
        rule = normal | rule
    elif person.has_role(Role.HEAD) and person.unit_id:
        rule |= normal & Q(_items_on_document(path, Q(receiver_unit_id=person.unit_id)))
    return rule


def visible_incoming(person):
    """Incoming documents the person may see: their processing tree; all non-confidential ones for
    clerks and leaders; their unit's for a head; confidential ones only on the tree or to the keepers
    of the confidential register."""
    from qlvb.incoming.models import IncomingDocument

    if not _active(person):
        return IncomingDocument.objects.none()
    return IncomingDocument.objects.filter(_incoming_rule(person))


def visible_assignments(person):
    """Processing items the person may see: those of the documents they may see (an item shows its
    document's summary, handler and deadline). Every list, count and digest of items starts here."""
    from qlvb.assignments.models import Assignment

    if not _active(person):
        return Assignment.objects.none()
    # The item itself often settles it, before any subquery: one's own items (received or sent) are on
    # one's tree, and a head's unit holds every non-confidential item addressed to the unit.
    own = Q(receiver=person) | Q(sender=person)
    if person.has_role(Role.HEAD) and person.unit_id:
        own |= Q(receiver_unit_id=person.unit_id, document__confidentiality="normal")
    return Assignment.objects.filter(own | _incoming_rule(person, "document__"))


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


def _may_withdraw(person, document) -> bool:
    """Withdraw an incoming document on its issuer's recall order (Art 18.4.b): the clerks who keep its
    register (every clerk sees a normal register; a confidential one only its keepers) or a leader of
    the agency, among those who may open it."""
    return person.has_role(Role.CLERK, Role.LEADER) and _may_view_incoming(person, document)


def incoming_files_hidden(person, document) -> bool:
    """A withdrawn incoming document's files stay readable for clerks and administrators only; everyone
    else who may open the document sees its metadata and no file (docs/architecture.md)."""
    return document.is_withdrawn and not (_active(person) and person.has_role(Role.CLERK, Role.ADMIN))


def incoming_files_for(person, document):
    """The files of an incoming document `person` may read (the page, the download, the API, the print)."""
    if incoming_files_hidden(person, document):
        return document.attachments.none()
    return document.attachments.all()
def deadline_setter(document):
    """Who set the document's processing deadline: the last one who extended it (or the person they
    acted for), else the clerk who registered it with the deadline."""
    from qlvb.assignments.models import Event

    last = (Event.objects.filter(assignment__document=document, kind=Event.Kind.EXTENDED)
            .select_related("actor", "on_behalf_of").order_by("-at", "-id").first())
    if last is not None:
        return last.on_behalf_of or last.actor
    return document.registered_by


def _may_extend_deadline(person, document) -> bool:
    """Only the person who set a document's deadline extends it (with a reason, in the tree)."""
    return acts_for(person, deadline_setter(document), document.field_id) and _may_view_incoming(person, document)


def may_close_left_open(person, item) -> bool:
    """Close an item left open on a finished document: a leader any in the agency, a head their unit's."""
    if not _active(person):
        return False
    return person.has_role(Role.LEADER) or (person.has_role(Role.HEAD) and person.unit_id is not None
                                            and item.receiver_unit_id == person.unit_id)


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


def _keeps_confidential_outgoing(person) -> bool:
    from qlvb.documents.models import Register

    return Register.objects.filter(kind="outgoing", is_confidential=True, keepers=person).exists()


def _delegators(person):
    return [d.delegator for d in delegations_held(person)]


def visible_drafts(person):
    """Drafts the person may see (docs/architecture.md, "Who sees which drafts"):
    - the people who write the record (its owner and those it is shared with for editing, or someone
      acting for them): all its drafts;
    - those it is shared with for reading: its non-confidential drafts;
    - everyone a draft has been in front of (holder, deciders, people asked for an opinion): that draft;
      its signer too once it has been submitted, not while it is being written;
    - clerks: signed and issued drafts, confidential ones only for the confidential register's keepers.
    A record's page, the API and search list only these; opening the record shows no other draft."""
    from qlvb.records.models import Draft, OpinionRequest, Share, Step

    if not _active(person):
        return Draft.objects.none()
    people = [person, *_delegators(person)]
    writers = Share.objects.filter(person=person, can_edit=True).values("record_id")
    readers = Share.objects.filter(person__in=people).values("record_id")
    rule = (Q(record__owner__in=people) | Q(record__in=writers)
            | Q(confidentiality="normal", record__in=readers)
            | Q(holder__in=people) | (Q(signer__in=people) & ~Q(state="drafting"))
            | Q(pk__in=Step.objects.filter(Q(actor__in=people) | Q(to__in=people)).values("draft_id"))
            | Q(pk__in=OpinionRequest.objects.filter(person__in=people).values("draft_id")))
    if person.has_role(Role.CLERK):
        signed = Q(state__in=["approved", "issued"])
        rule |= signed & (Q() if _keeps_confidential_outgoing(person) else Q(confidentiality="normal"))
    return Draft.objects.filter(rule)


def _may_view_draft(person, draft) -> bool:
    return visible_drafts(person).filter(pk=draft.pk).exists()


def _may_view_record(person, record) -> bool:
    return visible_records(person).filter(pk=record.pk).exists()


def visible_records(person):
    """Work records the person owns or shares (themselves or for whom they act), or with a draft they
    may see."""
    from qlvb.records.models import Share, WorkRecord

    if not _active(person):
        return WorkRecord.objects.none()
    people = [person, *_delegators(person)]
    shared = Share.objects.filter(person__in=people).values("record_id")
    return WorkRecord.objects.filter(Q(owner__in=people) | Q(pk__in=shared)
                                     | Q(pk__in=visible_drafts(person).values("record_id")))


def visible_outgoing(person):
    """Issued documents: every non-confidential one for the staff; a confidential one only to those who
    may see its draft (its writers and approval chain, the confidential register's keepers)."""
    from qlvb.outgoing.models import OutgoingDocument

    if not _active(person):
        return OutgoingDocument.objects.none()
    return OutgoingDocument.objects.filter(Q(confidentiality="normal")
                                           | Q(draft__in=visible_drafts(person).values("pk")))


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


def _may_view_outgoing(person, document) -> bool:
    return visible_outgoing(person).filter(pk=document.pk).exists()


def _is_agency_head(person) -> bool:
    position = person.position if person.position_id else None
    return bool(position and position.role == Role.LEADER and not position.is_deputy)


def _may_recall_outgoing(person, document) -> bool:
    """Recall an issued document (Art 18.4.b): its signer (or whoever acts for the signer under a
    delegation), or the head of the agency, who answers for every document the agency issues; and
    only a document they may open."""
    return ((acts_for(person, document.signer) or _is_agency_head(person))
            and _may_view_outgoing(person, document))


# ---- access history (F-5.a, F-6.l) -----------------------------------------------------------------

def _on_draft_chain(person, draft) -> bool:
    """Wrote the draft's record (or acts for its owner), holds or signs the draft, or took a step on it."""
    people = {person.pk, *(d.pk for d in _delegators(person))}
    if _may_edit_record(person, draft.record) or {draft.holder_id, draft.signer_id} & people:
        return True
    return draft.steps.filter(Q(actor__in=people) | Q(to__in=people)).exists()


def _on_incoming_tree(person, document) -> bool:
    from qlvb.incoming.models import IncomingDocument

    return IncomingDocument.objects.filter(_in_tree(person), pk=document.pk).exists()


# Who reads an object's access history (docs/architecture.md, "Access history"), on top of being able to
# open the object: the roles that keep or direct that kind of object, and the object's own handlers.
# The administrator reads every entry in the administration area; here only on objects they may open.
ACCESS_LOG_READERS = {
    "IncomingDocument": ({Role.CLERK, Role.LEADER, Role.ADMIN}, _on_incoming_tree),
    "OutgoingDocument": ({Role.CLERK, Role.LEADER, Role.ADMIN}, lambda p, d: _on_draft_chain(p, d.draft)),
    "WorkRecord": ({Role.LEADER, Role.ADMIN}, _may_edit_record),
    "Draft": ({Role.LEADER, Role.ADMIN}, _on_draft_chain),
}


def _may_view_access_log(person, obj) -> bool:
    roles, handles = ACCESS_LOG_READERS[type(obj).__name__]
    if type(obj).__name__ == "WorkRecord" and obj.is_archived and archive_scope(person) in ("all", obj.unit_id):
        return True  # who grants access to an archived record reads its history
    return can(person, Action.VIEW, obj) and (person.has_role(*roles) or handles(person, obj))


# ---- registers (sổ đăng ký) -------------------------------------------------------------------------

def keeps_registers(person) -> bool:
    """Who reads and closes the register books: the clerks, and the head of the office (Chánh Văn
    phòng and deputies), who answers for the clerks' work (Decree 30 Art 16.2.b, 22.3.b)."""
    from qlvb.organization.models import Unit

    if not _active(person):
        return False
    return person.has_role(Role.CLERK) or (person.has_role(Role.HEAD) and person.unit_id is not None
                                           and person.unit.kind == Unit.Kind.OFFICE)


def visible_registers(person):
    """Registers whose books the person may read: every ordinary one for those who keep the registers,
    a confidential one only for its keepers (Art 16.3, 22.4)."""
    from qlvb.documents.models import Register

    if not keeps_registers(person):
        return Register.objects.none()
    kept = Register.objects.filter(keepers=person).values("pk")
    return Register.objects.filter(Q(is_confidential=False) | Q(pk__in=kept))


def get_register_for(person, pk):
    """A register whose book the person may read; 404 otherwise (same answer as a missing one)."""
    register = visible_registers(person).filter(pk=pk).select_related("agency").first()
    if register is None:
        raise Http404(_("Không tìm thấy sổ."))
    return register


# ---- the file plan (Danh mục hồ sơ, Decree 30 Art 28) ---------------------------------------------

def in_office(person) -> bool:
    """The office drafts the file plan: the clerks and the staff of the office unit (Văn phòng)."""
    from qlvb.organization.models import Unit

    if not _active(person):
        return False
    return person.has_role(Role.CLERK) or (person.unit_id is not None and person.unit.kind == Unit.Kind.OFFICE
                                           and person.has_role(Role.HEAD, Role.OFFICER))


def visible_plans(person):
    """File plans the person may read: approved (issued) ones for all the staff; drafts for the office,
    who write them, and the agency's leaders, who approve them."""
    from qlvb.archive.models import FilePlan

    if not _active(person):
        return FilePlan.objects.none()
    if in_office(person) or person.has_role(Role.LEADER):
        return FilePlan.objects.all()
    if person.has_role(Role.HEAD, Role.OFFICER, Role.ADMIN):
        return FilePlan.objects.filter(state="approved")
    return FilePlan.objects.none()


def get_plan_for(person, pk):
    plan = visible_plans(person).filter(pk=pk).select_related("drafted_by", "approved_by", "agency").first()
    if plan is None:
        raise Http404(_("Không tìm thấy danh mục hồ sơ."))
    return plan


def _may_view_plan(person, plan) -> bool:
    return visible_plans(person).filter(pk=plan.pk).exists()


def _may_edit_plan(person, plan) -> bool:
    return in_office(person)


def _may_approve_plan(person, plan) -> bool:
    """The head of the agency approves and issues the file plan (Art 28.1)."""
    return _is_agency_head(person)


# ---- nộp lưu (submission to the agency archive, Decree 30 Art 31) -----------------------------------

def _may_submit_record(person, record) -> bool:
    """The owner (or whoever acts for the owner) submits their record or asks to keep it longer (the
    service refuses a record not closed, or archived, with its message)."""
    return acts_for(person, record.owner)


def _may_approve_keep(person, request) -> bool:
    """Keeping a record past its deadline needs the head's consent: the head of the record's unit or
    the head of the agency."""
    record = request.record
    return _active(person) and (_is_agency_head(person) or (
        person.has_role(Role.HEAD) and person.unit_id == record.unit_id))


def get_submission_for(person, pk):
    """A submitted record for the archivist; 404 for everyone else (same as a missing one)."""
    from qlvb.archive.models import Submission

    if not can(person, Action.RECEIVE_RECORDS):
        raise Http404(_("Không tìm thấy hồ sơ nộp lưu."))
    submission = Submission.objects.filter(pk=pk).select_related("record", "submitted_by").first()
    if submission is None:
        raise Http404(_("Không tìm thấy hồ sơ nộp lưu."))
    return submission


# ---- disposal of expired records and the records' figures (issue 13 items 6, 7) --------------------

def sees_disposals(person) -> bool:
    """The archivist, who proposes and carries out disposals, and the head of the agency, who decides."""
    return _active(person) and (person.has_role(Role.ARCHIVIST) or _is_agency_head(person))


def visible_holdings(person):
    """Records held by the agency archive, as the disposal work lists them (metadata: code, title,
    retention, dates): all archived records for the archivist and the head of the agency; none for others."""
    from qlvb.records.models import WorkRecord

    if not sees_disposals(person):
        return WorkRecord.objects.none()
    return WorkRecord.objects.filter(status=WorkRecord.Status.ARCHIVED)


def visible_disposals(person):
    from qlvb.archive.models import Disposal

    if not sees_disposals(person):
        return Disposal.objects.none()
    return Disposal.objects.all()


def get_disposal_for(person, pk):
    disposal = visible_disposals(person).filter(pk=pk).select_related(
        "proposed_by", "decided_by", "disposed_by", "report").first()
    if disposal is None:
        raise Http404(_("Không tìm thấy đề nghị hủy tài liệu."))
    return disposal


def _may_decide_disposal(person, disposal) -> bool:
    """The head of the agency decides on the council's advice (a deputy does not)."""
    return _is_agency_head(person)


def visible_record_figures(person):
    """The records counted in the records' figures (F-4.đ, F-6.a), counts only: the whole agency's for
    its leaders, a unit's for its heads, one's own (and those of whom one acts for) for everyone else."""
    from qlvb.records.models import WorkRecord

    if not _active(person):
        return WorkRecord.objects.none()
    if person.has_role(Role.LEADER):
        return WorkRecord.objects.all()
    own = Q(owner__in=[person, *_delegators(person)])
    if person.has_role(Role.HEAD) and person.unit_id:
        return WorkRecord.objects.filter(own | Q(unit_id=person.unit_id))
    return WorkRecord.objects.filter(own)
# ---- the agency archive: reading archived records (F-6.c) -------------------------------------------

ARCHIVE_READERS = (Role.LEADER, Role.HEAD, Role.OFFICER, Role.CLERK, Role.ARCHIVIST)


def _archived():
    from qlvb.records.models import WorkRecord

    return WorkRecord.objects.filter(status=WorkRecord.Status.ARCHIVED)


def archive_scope(person):
    """Whose archived records the person grants access to (and reads whole): "all" for the archivist
    and the head of the agency, the unit's id for the head or a deputy head of a unit, else None."""
    if not _active(person):
        return None
    if person.has_role(Role.ARCHIVIST) or _is_agency_head(person):
        return "all"
    if person.has_role(Role.HEAD) and person.unit_id:
        return person.unit_id
    return None


def _holds_secrets() -> Q:
    """Records holding a confidential document (filed, linked or drafted in them): their titles often
    repeat the document's summary, so only their readers find them in the archive."""
    from qlvb.documents.models import Confidentiality
    from qlvb.incoming.models import IncomingDocument
    from qlvb.records.models import Draft, RecordDocument

    levels = [v for v in Confidentiality.values if v != Confidentiality.NORMAL]
    filed = RecordDocument.objects.filter(Q(incoming__confidentiality__in=levels)
                                          | Q(outgoing__confidentiality__in=levels)
                                          | Q(version__draft__confidentiality__in=levels), record=OuterRef("pk"))
    linked = IncomingDocument.objects.filter(records=OuterRef("pk"), confidentiality__in=levels)
    drafted = Draft.objects.filter(record=OuterRef("pk"), confidentiality__in=levels)
    return Q(Exists(filed)) | Q(Exists(linked)) | Q(Exists(drafted))


def readable_archived_records(person):
    """Archived records whose documents the person may read in the archive (F-6.c): all for the
    archivist and the head of the agency; their unit's for a unit's head; for everyone who handles
    documents, those they could open before (`visible_records`), their own unit's and the public
    (Công khai) ones unless Mật or holding a confidential document, and those they were granted by
    an approved access request still running (`archive.AccessRequest`, personal: no delegation)."""
    from django.utils import timezone

    from qlvb.archive.models import AccessRequest

    archived = _archived()
    if not _active(person) or not person.has_role(*ARCHIVE_READERS):
        return archived.none()
    scope = archive_scope(person)
    if scope == "all":
        return archived
    granted = AccessRequest.objects.filter(requested_by=person, state=AccessRequest.State.APPROVED,
                                           until__gte=timezone.localdate()).values("record_id")
    ordinary = ~Q(rights="confidential") & ~_holds_secrets()
    rule = (Q(pk__in=visible_records(person).values("pk")) | Q(pk__in=granted)
            | (ordinary & (Q(rights="public") | Q(unit_id=person.unit_id))))
    if scope is not None:
        rule |= Q(unit_id=scope)
    return archived.filter(rule)


def visible_archived_records(person):
    """The archive's catalogue the person searches (the records' metadata): the records they may read,
    and every other archived record that is neither Mật nor holds a confidential document (to ask for
    access to it). Every list, count and search of the archive starts here."""
    archived = _archived()
    if not _active(person) or not person.has_role(*ARCHIVE_READERS):
        return archived.none()
    if archive_scope(person) == "all":
        return archived
    return archived.filter(Q(pk__in=readable_archived_records(person).values("pk"))
                           | (~Q(rights="confidential") & ~_holds_secrets()))


def get_archived_for(person, pk):
    """An archived record of the person's catalogue; 404 otherwise (the same answer as a missing one)."""
    record = visible_archived_records(person).filter(pk=pk).select_related("owner", "unit", "field").first()
    if record is None:
        raise Http404(_("Không tìm thấy hồ sơ lưu trữ."))
    return record


def get_readable_archived_for(person, pk):
    """An archived record whose documents the person may read; 404 otherwise, also when they only find it
    in the catalogue (its documents, files and exports are not theirs to open)."""
    record = get_archived_for(person, pk)
    if not can(person, Action.READ_ARCHIVED, record):
        raise Http404(_("Không tìm thấy hồ sơ lưu trữ."))
    return record


def archived_documents_rule(person) -> Q:
    """Which documents of an archived record the person reads there (the record being readable): every
    document for the archivist, who keeps them; for others the ordinary ones and the confidential ones
    they may open by the documents' own rules (a grant never opens a confidential document)."""
    from qlvb.documents.models import Confidentiality

    if not _active(person):
        return Q(pk__in=[])
    if person.has_role(Role.ARCHIVIST):
        return Q()
    normal = Confidentiality.NORMAL
    return (Q(kind="file")
            | Q(incoming__confidentiality=normal) | Q(incoming__in=visible_incoming(person).values("pk"))
            | Q(outgoing__confidentiality=normal) | Q(outgoing__in=visible_outgoing(person).values("pk"))
            | Q(version__draft__confidentiality=normal) | Q(version__draft__in=visible_drafts(person).values("pk")))


def _may_read_archived(person, record) -> bool:
    return readable_archived_records(person).filter(pk=record.pk).exists()


def _may_request_access(person, record) -> bool:
    """Ask to read an archived record one finds in the catalogue but may not read yet."""
    return (visible_archived_records(person).filter(pk=record.pk).exists()
            and not _may_read_archived(person, record))


def _may_decide_access(person, request) -> bool:
    """The archivist, the head of the agency, or a head of the record's unit; never one's own request."""
    scope = archive_scope(person)
    if scope is None or request.requested_by_id == person.pk:
        return False
    return scope == "all" or request.record.unit_id == scope


def visible_access_requests(person):
    """Access requests the person made, and those they decide."""
    from qlvb.archive.models import AccessRequest

    if not _active(person):
        return AccessRequest.objects.none()
    scope = archive_scope(person)
    rule = Q(requested_by=person)
    if scope == "all":
        rule = Q()
    elif scope is not None:
        rule |= Q(record__unit_id=scope)
    return AccessRequest.objects.filter(rule)


PERSON_RULES = {
    Action.DRAFT_PLAN: in_office,
}


OBJECT_RULES = {
    ("OutgoingDocument", Action.VIEW): _may_view_outgoing,
    ("IncomingDocument", Action.VIEW): _may_view_incoming,
    ("IncomingDocument", Action.CANCEL): _may_cancel,
    ("IncomingDocument", Action.RECALL): _may_withdraw,
    ("IncomingDocument", Action.EXTEND_DEADLINE): _may_extend_deadline,
    ("OutgoingDocument", Action.RECALL): _may_recall_outgoing,
    ("Assignment", Action.PROCESS): _holder,
    ("Assignment", Action.FORWARD): _may_forward,
    ("Assignment", Action.RECALL): _may_recall,
    ("WorkRecord", Action.VIEW): _may_view_record,
    ("WorkRecord", Action.EDIT): _may_edit_record,
    ("Draft", Action.VIEW): _may_view_draft,
    ("FilePlan", Action.VIEW): _may_view_plan,
    ("FilePlan", Action.EDIT): _may_edit_plan,
    ("FilePlan", Action.APPROVE): _may_approve_plan,
    ("WorkRecord", Action.SUBMIT): _may_submit_record,
    ("KeepRequest", Action.APPROVE): _may_approve_keep,
    ("WorkRecord", Action.READ_ARCHIVED): _may_read_archived,
    ("WorkRecord", Action.REQUEST_ACCESS): _may_request_access,
    ("AccessRequest", Action.APPROVE): _may_decide_access,
    **{(kind, Action.VIEW_ACCESS_LOG): _may_view_access_log for kind in ACCESS_LOG_READERS},
    ("Disposal", Action.APPROVE): _may_decide_disposal,
}


def incoming_reach(person):
    """Where to start looking for the incoming documents a person may see when they are few: the ids of
    the documents with an item the person (or someone they act for) received or sent, read through the
    items' receiver and sender columns. A superset of `visible_incoming` for a person who sees only their
    own processing trees, never a rule of its own: a search narrows with it and still tests
    `visible_incoming` on each row. `None` for a clerk, a leader or a head, who see a whole agency's or
    unit's documents (there the visible set is large and a search starts from its matches)."""
    from qlvb.assignments.models import Assignment

    if not _active(person) or person.has_role(Role.CLERK) or person.has_role(Role.LEADER) or (
            person.has_role(Role.HEAD) and person.unit_id):
        return None
    people = [person, *_delegators(person)]
    return Assignment.objects.filter(Q(receiver__in=people) | Q(sender__in=people)).values("document_id")
