"""Issuing (phát hành): the clerk gives the number and date from the outgoing register, the document
becomes immutable, internal recipients receive it in their inbox, external ones wait in the outbox,
and the incoming documents it answers are completed."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb import access
from qlvb.access import Action
from qlvb.assignments.models import OPEN_STATES, Assignment
from qlvb.assignments.services import complete_with_reply
from qlvb.audit.services import record as audit
from qlvb.documents.models import Register
from qlvb.documents.services import next_number, registers_for_year
from qlvb.incoming.services import deliver_internal
from qlvb.organization.models import Agency
from qlvb.organization.selectors import unit_heads
from qlvb.records.models import Draft, Step

from . import notation
from .models import OutgoingDocument, Recipient
from .selectors import in_force_problem


def _register(agency, draft, year) -> Register:
    confidential = draft.confidentiality != "normal"
    registers = [r for r in registers_for_year(agency=agency, kind=Register.Kind.OUTGOING, year=year)
                 if r.is_confidential == confidential]
    if not registers:
        raise ValidationError(_("Chưa có sổ văn bản đi cho năm %(y)d.") % {"y": year})
    return registers[0]


@transaction.atomic
def issue(*, actor, draft: Draft, sending: str = OutgoingDocument.Sending.ELECTRONIC,
          issued_on: date | None = None) -> OutgoingDocument:
    access.require(actor, Action.ISSUE)
    draft = Draft.objects.select_for_update().select_related("record", "signer", "document_type").get(pk=draft.pk)
    if draft.state != Draft.State.APPROVED:
        raise ValidationError(_("Chỉ phát hành được dự thảo đã được ký duyệt."))
    if sending not in OutgoingDocument.Sending.values:
        raise ValidationError(_("Chọn hình thức gửi."))
    agency = Agency.objects.get()
    issued_on = issued_on or timezone.localdate()
    register = _register(agency, draft, issued_on.year)
    if register.is_confidential and not register.keepers.filter(pk=actor.pk).exists():
        raise PermissionDenied(_("Bạn không được giao quản lý sổ văn bản đi mật."))
    if draft.corrects_id:  # locked: two replacements of one document cannot both be issued
        corrected = OutgoingDocument.objects.select_for_update().get(pk=draft.corrects_id)
        if problem := in_force_problem(corrected):
            raise ValidationError(problem)
    final = draft.latest
    number = next_number(register)
    document = OutgoingDocument.objects.create(
        register=register, number=number, issued_on=issued_on,
        notation=notation.build(number=number, document_type=draft.document_type, agency=agency,
                                drafting_unit=draft.record.unit),
        document_type=draft.document_type, summary=draft.summary, body=final.body if final else "",
        blob=final.blob if final else None, file_name=final.file_name if final else "",
        signer=draft.signer, signer_title=str(draft.signer.position or ""), signing_form=draft.signing_form,
        urgency=draft.urgency, confidentiality=draft.confidentiality, drafting_unit=draft.record.unit,
        sending=sending, draft=draft, replaces=draft.corrects, correction=draft.correction, issued_by=actor,
    )
    draft.state = Draft.State.ISSUED
    draft.save(update_fields=["state"])
    Step.objects.create(draft=draft, actor=actor, decision=Step.Decision.ISSUE, comment=document.notation)
    _deliver(actor, document, draft)
    _link_replies(actor, document, draft)
    audit(actor=actor, action="outgoing.issue", obj=document,
          changes={"number": number, "notation": document.notation, "register": register.code,
                   "corrects": str(draft.corrects or "")})
    return document


def _deliver(actor, document, draft):
    """Internal recipients get it as an incoming document, without retyping; external ones wait."""
    for unit in draft.recipient_units.all():
        head = unit_heads(unit).first()
        incoming = deliver_internal(actor=actor, outgoing=document, receiver=head) if head else None
        Recipient.objects.create(document=document, unit=unit, incoming=incoming,
                                 status=Recipient.Status.DELIVERED if incoming else Recipient.Status.PENDING)
    for person in draft.recipient_people.all():
        incoming = deliver_internal(actor=actor, outgoing=document, receiver=person)
        Recipient.objects.create(document=document, person=person, incoming=incoming,
                                 status=Recipient.Status.DELIVERED)
    for agency in draft.recipient_agencies.all():
        Recipient.objects.create(document=document, agency=agency, status=Recipient.Status.PENDING)


def _link_replies(actor, document, draft):
    """The reply completes its author's open main-handler item on each incoming document it answers."""
    owner = draft.record.owner
    for incoming in draft.record.incoming.all():
        document.replies_to.add(incoming)
        items = Assignment.objects.filter(document=incoming, receiver=owner, role=Assignment.Role.MAIN,
                                          state__in=OPEN_STATES)
        for item in items:
            complete_with_reply(actor=actor, assignment=item, reply=document)


@transaction.atomic
def mark_dispatched(*, actor, recipient: Recipient, status: str) -> Recipient:
    """The clerk records sending to an external recipient (electronic, or paper)."""
    access.require(actor, Action.ISSUE)
    if status not in (Recipient.Status.SENT, Recipient.Status.PAPER_SENT) or recipient.agency_id is None:
        raise ValidationError(_("Trạng thái gửi không hợp lệ."))
    recipient.status = status
    recipient.save(update_fields=["status", "updated_at"])
    audit(actor=actor, action="outgoing.dispatch", obj=recipient.document,
          changes={"recipient": str(recipient), "status": status})
    return recipient
