"""Read queries for outgoing documents: the lists and the report figures."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb.documents.models import Confidentiality, Correction

from .models import OutgoingDocument


def report_figures(period, counted: Q) -> dict:
    """Issued in the period: all; confidential; and, among those `counted` towards the ICT shares (all, or
    the non-confidential ones), how they were sent. There is no paper-only sending: every issued document
    has its electronic original. Digitally signed: those whose issued file's stored signature check says
    valid (`signing.Verification`, made at issuing): a file changed or signed by an unknown root does not
    count."""
    from qlvb.signing.models import Verdict, Verification

    qs = OutgoingDocument.objects.filter(issued_on__gte=period.start, issued_on__lte=period.end)
    if period.unit:
        qs = qs.filter(drafting_unit=period.unit)
    sending = OutgoingDocument.Sending
    qs = qs.annotate(signed_ok=Exists(Verification.objects.filter(sha256=OuterRef("blob_id"), verdict=Verdict.VALID)))
    figures = qs.aggregate(
        total=Count("id"), confidential=Count("id", filter=~Q(confidentiality=Confidentiality.NORMAL)),
        counted=Count("id", filter=counted),
        electronic_only=Count("id", filter=counted & Q(sending=sending.ELECTRONIC)),
        paper_and_electronic=Count("id", filter=counted & Q(sending=sending.PAPER_AND_ELECTRONIC)),
        signed=Count("id", filter=counted & Q(signed_ok=True)))
    return figures


def issued_list(person, *, q: str = ""):
    """Issued documents the person may see (`access.visible_outgoing`), newest first."""
    from qlvb import access
    from qlvb.core.text import containing, terms

    qs = access.visible_outgoing(person).select_related("document_type", "drafting_unit")
    # The documents it answers, as far as the person may open them.
    qs = qs.prefetch_related(Prefetch("replies_to", queryset=access.visible_incoming(person)))
    qs = containing(qs, terms(q))
    replaced = OutgoingDocument.objects.filter(replaces=OuterRef("pk"), correction=Correction.REPLACE)
    return qs.annotate(is_replaced=Exists(replaced)).order_by("-issued_at")


def get_for(person, pk) -> OutgoingDocument:
    """One issued document the person may see (pages and API); 404 when it does not exist or they may not."""
    from qlvb import access

    access.require(person, access.Action.HANDLE_DOCUMENTS)
    document = issued_list(person).select_related("recalled_by").filter(pk=pk).first()
    if document is None:
        raise Http404(_("Không tìm thấy văn bản."))
    return document


def get_for_administrator(person, pk) -> OutgoingDocument:
    """An issued document for an administrator's metadata correction; 404 when it does not exist or is in
    a confidential register the administrator does not keep."""
    from qlvb import access

    access.require(person, access.Action.ADMINISTER)
    document = OutgoingDocument.objects.select_related("register").filter(pk=pk).first()
    if document is None or (document.register.is_confidential
                            and not document.register.keepers.filter(pk=person.pk).exists()):
        raise Http404(_("Không tìm thấy văn bản."))
    return document


def in_force_problem(document) -> str:
    """Why the document can no longer be corrected (it was recalled or replaced), or an empty string."""
    if problem := recall_problem(document):
        return problem
    replacement = document.replaced_by.filter(correction=Correction.REPLACE).first()
    return _("Văn bản đã bị thay thế bởi văn bản %(n)s.") % {"n": replacement.notation} if replacement else ""


def recall_problem(document) -> str:
    """Why a recalled document is frozen (no date correction, dispatch, correction or copy), or ""."""
    if document.recalled_at is None:
        return ""
    return _("Văn bản %(n)s đã bị thu hồi ngày %(d)s, không thao tác thêm được.") % {
        "n": document.notation, "d": timezone.localtime(document.recalled_at).strftime("%d/%m/%Y")}


def corrections_of(person, document):
    """The issued documents that amend or replace this one, as far as the person may see them."""
    from qlvb import access

    return access.visible_outgoing(person).filter(replaces=document).order_by("issued_at")
