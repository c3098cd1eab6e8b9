"""Read queries for outgoing documents: the lists and the report figures."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext as _

from qlvb.documents.models import Correction

from .models import OutgoingDocument


def report_figures(period) -> dict:
    """Issued in the period: all, sent electronically (electronic, or paper and electronic), digitally
    signed (none until the signing module lands: the figure is honestly zero)."""
    qs = OutgoingDocument.objects.filter(issued_on__gte=period.start, issued_on__lte=period.end)
    if period.unit:
        qs = qs.filter(drafting_unit=period.unit)
    figures = qs.aggregate(total=Count("id"), electronic=Count("id", filter=Q(sending__in=[
        OutgoingDocument.Sending.ELECTRONIC, OutgoingDocument.Sending.PAPER_AND_ELECTRONIC])))
    figures["signed"] = 0
    return figures


def issued_list(person, *, q: str = ""):
    """Issued documents the person may see: all non-confidential ones for staff; confidential ones
    only for their drafting chain and the keepers of the confidential register."""
    from qlvb import access
    from qlvb.core.text import containing, terms

    qs = OutgoingDocument.objects.select_related("document_type", "drafting_unit").filter(
        draft__record__in=access.visible_records(person)) | OutgoingDocument.objects.filter(confidentiality="normal")
    qs = containing(qs, terms(q))
    replaced = OutgoingDocument.objects.filter(replaces=OuterRef("pk"), correction=Correction.REPLACE)
    return qs.distinct().annotate(is_replaced=Exists(replaced)).order_by("-issued_at")


def visible(person, pk) -> OutgoingDocument | None:
    """One issued document, or None when it does not exist or the person may not see it."""
    return issued_list(person).filter(pk=pk).first()


def for_administrator(person, pk) -> OutgoingDocument | None:
    """An issued document for an administrator's metadata correction; None when it does not exist or is
    in a confidential register the administrator does not keep."""
    document = OutgoingDocument.objects.select_related("register").filter(pk=pk).first()
    if document is None or (document.register.is_confidential
                            and not document.register.keepers.filter(pk=person.pk).exists()):
        return None
    return document


def in_force_problem(document) -> str:
    """Why the document can no longer be corrected (it was replaced), or an empty string."""
    replacement = document.replaced_by.filter(correction=Correction.REPLACE).first()
    return _("Văn bản đã bị thay thế bởi văn bản %(n)s.") % {"n": replacement.notation} if replacement else ""
