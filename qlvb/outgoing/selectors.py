"""Read queries for outgoing documents: the lists and the report figures."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from qlvb.documents.models import Confidentiality, Correction

from .models import OutgoingDocument


def report_figures(period, counted: Q) -> dict:
    """Issued in the period: all; confidential; and, among those `counted` towards the ICT shares (all, or
    the non-confidential ones), how they were sent. There is no paper-only sending: every issued document
    has its electronic original. Digitally signed: none until the signing module lands (honestly zero)."""
    qs = OutgoingDocument.objects.filter(issued_on__gte=period.start, issued_on__lte=period.end)
    if period.unit:
        qs = qs.filter(drafting_unit=period.unit)
    sending = OutgoingDocument.Sending
    figures = qs.aggregate(
        total=Count("id"), confidential=Count("id", filter=~Q(confidentiality=Confidentiality.NORMAL)),
        counted=Count("id", filter=counted),
        electronic_only=Count("id", filter=counted & Q(sending=sending.ELECTRONIC)),
        paper_and_electronic=Count("id", filter=counted & Q(sending=sending.PAPER_AND_ELECTRONIC)))
    figures["signed"] = 0
    return figures


def issued_list(person, *, q: str = ""):
    """Issued documents the person may see: all non-confidential ones for staff; confidential ones
    only for their drafting chain and the keepers of the confidential register."""
    from qlvb import access
    from qlvb.core.text import containing, terms

    qs = OutgoingDocument.objects.select_related("document_type", "signer", "drafting_unit").filter(
        draft__record__in=access.visible_records(person)) | OutgoingDocument.objects.filter(confidentiality="normal")
    qs = containing(qs, terms(q))
    replaced = OutgoingDocument.objects.filter(replaces=OuterRef("pk"), correction=Correction.REPLACE)
    return qs.distinct().annotate(is_replaced=Exists(replaced)).order_by("-issued_at")


def visible(person, pk) -> OutgoingDocument | None:
    """One issued document, or None when it does not exist or the person may not see it."""
    return issued_list(person).filter(pk=pk).first()


def in_force_problem(document) -> str:
    """Why the document can no longer be corrected (it was replaced), or an empty string."""
    replacement = document.replaced_by.filter(correction=Correction.REPLACE).first()
    return _("Văn bản đã bị thay thế bởi văn bản %(n)s.") % {"n": replacement.notation} if replacement else ""
