"""Read queries of the exchange: the electronic inbox (clerks), one received package, the external
recipients of an outgoing document the viewer may open, with their packages and status history."""

from django.db.models import Prefetch
from django.http import Http404
from django.utils.translation import gettext as _

from qlvb import access
from qlvb.access import Action
from qlvb.outgoing.models import Recipient

from .models import OutboxItem, Package, Peer, StatusMessage


def received(person):
    """The electronic inbox (Văn bản điện tử đến): received packages, for the clerks who register
    incoming documents. Confidential documents never travel by edXML (state-secret law), so every clerk
    sees every received package."""
    if not access.can(person, Action.REGISTER_INCOMING):
        return Package.objects.none()
    return Package.objects.filter(direction=Package.Direction.IN).select_related("incoming")


def inbox(person, *, state: str = ""):
    qs = received(person)
    if state:
        qs = qs.filter(state=state)
    return qs.order_by("-created_at", "-pk")


def get_received_for(person, pk) -> Package:
    """One received package; 404 when missing or the person is not a clerk."""
    package = received(person).prefetch_related("attachments__blob", "statuses", "outbox").filter(pk=pk).first()
    if package is None:
        raise Http404(_("Không tìm thấy gói tin."))
    return package


def external_recipients(person, document_pk):
    """The external recipients of an outgoing document the person may open, each with its packages and
    their status history (sent and received), in a fixed number of queries."""
    statuses = StatusMessage.objects.order_by("timestamp", "pk")
    deliveries = OutboxItem.objects.filter(status_message__isnull=True)
    packages = Package.objects.filter(direction=Package.Direction.OUT).prefetch_related(
        Prefetch("statuses", queryset=statuses), Prefetch("outbox", queryset=deliveries))
    return (Recipient.objects.filter(document__in=access.visible_outgoing(person), document_id=document_pk,
                                     agency__isnull=False)
            .select_related("agency").prefetch_related(Prefetch("packages", queryset=packages)).order_by("pk"))


def recipients_with_latest_status(person, document_pk) -> list[Recipient]:
    """`external_recipients`, each with `latest_status`: the last status notice of its packages, or None;
    `delivery`: how its sending through the direct transport stands; `peer`: whether its agency is a peer."""
    recipients = list(external_recipients(person, document_pk))
    peers = set(Peer.objects.filter(is_active=True).values_list("organ_id", flat=True)) if recipients else set()
    for recipient in recipients:
        recipient.is_peer = (recipient.agency.identifier or "").strip().upper() in peers
        recipient.delivery = next((p.delivery for p in recipient.packages.all() if p.delivery), "")
        statuses = [s for p in recipient.packages.all() for s in p.statuses.all()]
        recipient.latest_status = max(statuses, key=lambda s: (s.timestamp, s.pk), default=None)
    return recipients


def get_recipient_for(person, pk) -> Recipient:
    """An external recipient of an outgoing document the person may open; 404 otherwise."""
    recipient = (Recipient.objects.filter(document__in=access.visible_outgoing(person), pk=pk, agency__isnull=False)
                 .select_related("agency", "document").first())
    if recipient is None:
        raise Http404(_("Không tìm thấy nơi nhận."))
    return recipient


def get_package_file_for(person, pk) -> Package:
    """A package whose file the person may download: a received one for clerks, a sent one to whoever
    may open its outgoing document."""
    package = Package.objects.filter(pk=pk).select_related("blob").first()
    if package is not None and package.direction == Package.Direction.IN:
        allowed = access.can(person, Action.REGISTER_INCOMING)
    else:
        # As the outgoing document's own page (outgoing.selectors.get_for): the staff who handle documents.
        allowed = (package is not None and access.can(person, Action.HANDLE_DOCUMENTS)
                   and access.visible_outgoing(person).filter(pk=package.outgoing_id).exists())
    if not allowed:
        raise Http404(_("Không tìm thấy gói tin."))
    return package


def get_status_file_for(person, pk) -> StatusMessage:
    status = StatusMessage.objects.filter(pk=pk).exclude(blob=None).select_related("package", "blob").first()
    if status is None:
        raise Http404(_("Không tìm thấy thông báo."))
    get_package_file_for(person, status.package_id)
    return status


def external_package(person, recipient_pk) -> Package:
    """The package sent to an external recipient of an outgoing document the person may open."""
    recipient = get_recipient_for(person, recipient_pk)
    return Package.objects.prefetch_related("statuses", "outbox").get(
        direction=Package.Direction.OUT, recipient=recipient, business_type=0)
