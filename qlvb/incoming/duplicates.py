"""The duplicate-registration check (Decree 30 PL VI I.III.1.h; regulations-detail §1.3, F-1.h): before a
document is entered, warn the clerk when the same document seems registered already — the same document
identifier (edXML DocumentId), or the same number, notation and issuing agency, whatever the dates.

Notations are compared folded (case, spaces, Vietnamese accents, đ → d) and numbers without leading
zeros (`IncomingDocument.code_key`); agencies by the catalogue entry, the identifier code or the folded
name. Cancelled registrations do not count. The clerk sees the matches they may see; of the others
(a confidential register they do not keep) only how many there are, never their content."""

import dataclasses

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from qlvb import access
from qlvb.core.text import fold
from qlvb.documents.identifiers import code_key

from .models import IncomingDocument


@dataclasses.dataclass
class Candidate:
    """What identifies the document about to be registered (or corrected)."""

    notation: str
    issuer_name: str = ""
    issuer_code: str = ""
    issuer: object = None
    document_identifier: str = ""
    exclude_pk: int | None = None


@dataclasses.dataclass
class Duplicates:
    visible: list  # IncomingDocument rows the person may see
    hidden: int  # how many more exist that they may not see

    def __bool__(self):
        return bool(self.visible or self.hidden)

    @property
    def ids(self) -> list[int]:
        return [d.pk for d in self.visible]


class DuplicateSuspected(ValidationError):
    """Registration stopped until the clerk confirms: the document seems registered already."""

    def __init__(self, duplicates: Duplicates):
        self.duplicates = duplicates
        super().__init__(message(duplicates), code="duplicate")


def find(person, candidate: Candidate) -> Duplicates:
    """The registered documents that look like `candidate`, split into those `person` may see and a count
    of the others."""
    rule = Q(code_key=code_key(candidate.notation)) if candidate.notation.strip() else Q(pk__in=[])
    identifier = candidate.document_identifier.strip()
    if identifier:
        rule |= Q(document_identifier=identifier)
    rows = (IncomingDocument.objects.filter(rule).exclude(status=IncomingDocument.Status.CANCELLED)
            .exclude(pk=candidate.exclude_pk)
            .only("pk", "issuer_id", "issuer_code", "issuer_name", "document_identifier"))
    ids = [row.pk for row in rows if (identifier and row.document_identifier == identifier)
           or _same_agency(row, candidate)]
    if not ids:  # the usual case: no need to build the person's visible set
        return Duplicates(visible=[], hidden=0)
    visible = list(access.visible_incoming(person).filter(pk__in=ids).select_related("register")
                   .order_by("arrived_at", "pk"))
    return Duplicates(visible=visible, hidden=len(ids) - len(visible))


def _same_agency(row, candidate: Candidate) -> bool:
    if candidate.issuer is not None and row.issuer_id == candidate.issuer.pk:
        return True
    if candidate.issuer_code and row.issuer_code == candidate.issuer_code.strip().upper():
        return True
    return bool(candidate.issuer_name.strip()) and fold(row.issuer_name) == fold(candidate.issuer_name)


def message(duplicates: Duplicates) -> str:
    """The warning, in Vietnamese, naming the visible matches (arrival number, register, arrival date)."""
    parts = [_("số đến %(n)d (%(register)s), ngày đến %(date)s") % {
        "n": d.arrival_number, "register": d.register.name,
        "date": timezone.localtime(d.arrived_at).strftime("%d/%m/%Y")} for d in duplicates.visible]
    if duplicates.hidden:
        parts.append(ngettext("%(count)d văn bản trong sổ bạn không được xem",
                              "%(count)d văn bản trong sổ bạn không được xem",
                              duplicates.hidden) % {"count": duplicates.hidden})
    return _("Văn bản này có thể đã được vào sổ (cùng mã định danh văn bản, hoặc cùng số, ký hiệu và cơ "
             "quan ban hành): %(matches)s. Kiểm tra lại; nếu đúng là văn bản khác, xác nhận để vẫn vào sổ.") % {
        "matches": "; ".join(parts)}


def as_json(duplicates: Duplicates) -> dict:
    """The API's 409 body: the visible matches with their details and link, the others only counted."""
    return {
        "detail": [message(duplicates)],
        "duplicates": [{"id": d.pk, "arrival_number": d.arrival_number, "register_id": d.register_id,
                        "register_name": d.register.name, "arrived_at": d.arrived_at.isoformat(),
                        "notation": d.notation, "issuer_name": d.issuer_name,
                        "url": reverse("incoming:detail", args=[d.pk])} for d in duplicates.visible],
        "hidden_count": duplicates.hidden,
        "confirm_with": {"confirm_duplicate": True},
    }
