"""Demo catalogues and registers: document types; this year's registers, the confidential ones kept by one clerk."""

from django.utils import timezone

from qlvb.organization.models import Person

from .catalogues import ensure_document_types
from .models import DocumentType, Register
from .services import registers_for_year


def load(agency):
    ensure_document_types(DocumentType)
    keeper = Person.objects.filter(username="vanthu.mat").first()
    for kind in Register.Kind.values:
        for register in registers_for_year(agency=agency, kind=kind, year=timezone.localdate().year):
            if register.is_confidential and keeper:
                register.keepers.add(keeper)
