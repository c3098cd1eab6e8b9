"""Code lists of the edXML package (QCVN 102:2016; regulations-detail §3.4, edxml.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import Urgency


class Priority(models.IntegerChoices):
    """OtherInfo/Priority, the Annex VI `Priority` field (Number 1, "Mức độ khẩn, độ mật")."""

    NORMAL = 0, _("Thường")
    URGENT = 1, _("Khẩn")
    VERY_URGENT = 2, _("Thượng khẩn")
    FLASH = 3, _("Hỏa tốc")
    FLASH_TIMED = 4, _("Hỏa tốc hẹn giờ")


_BY_URGENCY = {
    Urgency.NORMAL: Priority.NORMAL,
    Urgency.URGENT: Priority.URGENT,
    Urgency.VERY_URGENT: Priority.VERY_URGENT,
    Urgency.FLASH: Priority.FLASH,
}


def priority(urgency: str, confidentiality: str = "normal") -> Priority:
    """The Priority code of a document. Annex VI puts urgency and confidentiality in this one field, but
    the only code list in use (edXML, §3.4) has values for urgency alone: 0 thường … 3 hỏa tốc (4, "hỏa
    tốc hẹn giờ", needs a set time we do not record). So the code is the urgency's, whatever the
    confidentiality; the confidentiality travels in its own field, and confidential documents do not go
    out in edXML packages (state-secret law)."""
    del confidentiality  # deliberately not encoded: see above
    return _BY_URGENCY.get(urgency, Priority.NORMAL)


def urgency_of(code: int) -> str:
    """The urgency of a received Priority code; a timed flash (4) is a flash, unknown codes normal."""
    if code == Priority.FLASH_TIMED:
        return Urgency.FLASH
    return next((u for u, p in _BY_URGENCY.items() if p == code), Urgency.NORMAL)
