"""Test data for the exchange: an issued document with an external recipient, received packages."""

from django.core.files.uploadedfile import SimpleUploadedFile

from qlvb.documents.models import ExternalAgency
from qlvb.outgoing import services as outgoing
from qlvb.outgoing.models import Recipient
from tests.exchange import samples
from tests.factories import pdf_bytes, reply_path
from tests.outgoing.issuing import approve

PROVINCE = "000.00.00.H06"


def issued_with_external(demo, identifier=PROVINCE):
    """An issued công văn of the demo department with UBND tỉnh Bắc Kạn (an external agency) as recipient."""
    _incoming, _record, draft = reply_path(demo)
    ExternalAgency.objects.filter(name="UBND tỉnh Bắc Kạn").update(identifier=identifier)
    document = outgoing.issue(actor=demo.vanthu, draft=approve(demo, draft))
    return document, Recipient.objects.get(document=document, agency__isnull=False)


def upload(data: bytes, name="goi-tin.edxml"):
    return SimpleUploadedFile(name, data, content_type="application/xml")


def sample_upload(**kwargs):
    return upload(samples.sample(content=pdf_bytes(), **kwargs))
