"""Building test data through the services, as users would."""

import io
import itertools
from datetime import date

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from pypdf import PdfWriter

from qlvb.documents.models import DocumentType, Register
from qlvb.incoming import services
from qlvb.incoming.selectors import registers_for


def pdf_bytes(pages: int = 1) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name="van-ban.pdf", pages=1):
    return SimpleUploadedFile(name, pdf_bytes(pages), content_type="application/pdf")


def incoming_register(clerk, confidential=False) -> Register:
    registers_for(clerk)  # opens this year's registers
    return Register.objects.get(kind=Register.Kind.INCOMING, is_confidential=confidential,
                                year=timezone.localdate().year)


_NUMBERS = itertools.count(123)  # each default document is a different one (duplicates are warned about)


def register_doc(clerk, *, notation=None, summary="V/v triển khai kế hoạch bảo trì đường bộ năm 2026",
                 issuer="UBND tỉnh Bắc Kạn", files=None, send_to=None, confidential=False, **extra):
    data = services.IncomingData(
        register=incoming_register(clerk, confidential), issuer_name=issuer,
        notation=f"{next(_NUMBERS)}/UBND-KT" if notation is None else notation,
        issued_on=extra.pop("issued_on", date(2026, 11, 20)),
        document_type=extra.pop("document_type", None) or DocumentType.objects.get(name="Công văn"), summary=summary,
        arrived_at=extra.pop("arrived_at", timezone.now()),
        confidentiality="confidential" if confidential else "normal",
        files=files if files is not None else [pdf_upload()], **extra,
    )
    return services.register_incoming(actor=clerk, data=data, send_to=send_to)


def root_of(document):
    return document.assignments.get(parent=None)


def reply_path(demo, *, document_type="Công văn", recipients=True):
    """Incoming → officer; the officer opens a record, drafts a reply signed by the Deputy in charge."""
    from qlvb.assignments import services as flow
    from qlvb.assignments.services import Target
    from qlvb.documents.models import ExternalAgency
    from qlvb.organization.models import Unit
    from qlvb.records import services as records

    incoming = register_doc(demo.vanthu)
    head = flow.forward(actor=demo.giamdoc, assignment=root_of(incoming),
                        targets=[Target("main", person=demo["tp.qlvt"])])[0]
    flow.forward(actor=demo["tp.qlvt"], assignment=head, targets=[Target("main", person=demo["cv.qlvt.long"])])
    record = records.open_record(actor=demo["cv.qlvt.long"], title="Trả lời UBND tỉnh", incoming=incoming)
    agency, _created = ExternalAgency.objects.get_or_create(name="UBND tỉnh Bắc Kạn")
    draft = records.save_draft(
        actor=demo["cv.qlvt.long"], record=record, body="Sở Giao thông vận tải báo cáo như sau: ...",
        data={"document_type": DocumentType.objects.get(name=document_type), "summary": "V/v báo cáo bảo trì",
              "signer": demo["pgd.mai"], "signing_form": "KT."},
        recipients={"recipient_units": [Unit.objects.get(abbreviation="KHTC")], "recipient_agencies": [agency]}
        if recipients else None)
    return incoming, record, draft
