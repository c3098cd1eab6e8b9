"""A small library of documents for the search tests: one document to find with a distinct value in each
Annex VI field, one that differs in every field, and confidential twins of the first that only some
people may open."""

from dataclasses import dataclass
from datetime import date, datetime, time

import pytest
from django.utils import timezone

from qlvb.assignments import services as flow
from qlvb.assignments.services import Target
from qlvb.documents.models import DocumentType, ExternalAgency
from qlvb.organization.models import Field, Unit
from qlvb.outgoing import services as outgoing
from qlvb.records import services as records
from tests.factories import register_doc, root_of

FIND = "Phân luồng giao thông cầu Đồng Nai"  # the words of the documents to find (target and its twins)


@dataclass
class Library:
    incoming: object  # the ordinary incoming document to find
    other_incoming: object
    secret_incoming: object  # confidential, same words as `incoming`
    outgoing: object
    other_outgoing: object
    secret_outgoing: object


def _arrival(day: date):
    return timezone.make_aware(datetime.combine(day, time(9, 0)))


def _issue(demo, *, summary, confidential=False, recipients=None, unit_owner="cv.qlvt.long", clerk="vanthu",
           document_type="Công văn", field=None, urgency="normal"):
    owner = demo[unit_owner]
    record = records.open_record(actor=owner, title=f"Hồ sơ {summary}", field=field)
    data = {"document_type": DocumentType.objects.get(name=document_type), "signer": demo["pgd.mai"],
            "signing_form": "KT.", "summary": summary, "urgency": urgency}
    if confidential:
        data["confidentiality"] = "confidential"
    draft = records.save_draft(actor=owner, record=record, body="Nội dung", data=data, recipients=recipients)
    records.submit(actor=owner, draft=draft)
    head = {"cv.qlvt.long": "tp.qlvt", "cv.khtc.nga": "tp.khtc"}[unit_owner]
    records.approve(actor=demo[head], draft=draft)
    records.sign(actor=demo["pgd.mai"], draft=draft)
    return outgoing.issue(actor=demo[clerk], draft=draft)


@pytest.fixture
def library(demo) -> Library:
    year = timezone.localdate().year
    field = Field.objects.order_by("pk").first()
    decision = DocumentType.objects.get(name="Quyết định")
    common = {"issuer": "Cục Đường bộ Việt Nam", "summary": f"V/v {FIND}", "signer_name": "Nguyễn Văn Khải",
              "signer_position": "Phó Cục trưởng", "document_type": decision, "urgency": "urgent",
              "field": field, "issued_on": date(year, 1, 2), "arrived_at": _arrival(date(year, 1, 5)),
              "deadline": date(year, 2, 27)}
    target = register_doc(demo.vanthu, notation="0417/QĐ-ĐKVN", send_to=demo.giamdoc, **common)
    flow.forward(actor=demo.giamdoc, assignment=root_of(target), targets=[Target("main", person=demo["tp.qlvt"])])
    target.refresh_from_db()
    secret = register_doc(demo["vanthu.mat"], notation="0418/QĐ-ĐKVN", send_to=demo.giamdoc, confidential=True,
                          **common)
    flow.forward(actor=demo.giamdoc, assignment=root_of(secret), targets=[Target("main", person=demo["tp.qlvt"])])
    other = register_doc(demo.vanthu, notation="88/UBND-KT", send_to=demo.giamdoc,
                         arrived_at=_arrival(date(year, 1, 20)), issued_on=date(year, 1, 15))

    agency, _created = ExternalAgency.objects.get_or_create(name="Ban Quản lý dự án Mỹ Thuận")
    khtc = Unit.objects.get(abbreviation="KHTC")
    return Library(
        incoming=target, other_incoming=other, secret_incoming=secret,
        outgoing=_issue(demo, summary=f"V/v {FIND}", recipients={"recipient_agencies": [agency]}, field=field,
                        urgency="urgent"),
        other_outgoing=_issue(demo, summary="Dự toán ngân sách", unit_owner="cv.khtc.nga", document_type="Tờ trình",
                              recipients={"recipient_units": [khtc]}),
        secret_outgoing=_issue(demo, summary=f"V/v {FIND}", confidential=True, clerk="vanthu.mat",
                               recipients={"recipient_agencies": [agency]}),
    )
