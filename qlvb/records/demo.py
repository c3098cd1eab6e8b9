"""Demo work: a reply waiting for the Deputy's signature, and one already issued."""

from qlvb.documents.models import DocumentType, ExternalAgency
from qlvb.incoming.models import IncomingDocument
from qlvb.organization.models import Person, Unit

from . import services
from .models import WorkRecord


def load(agency):
    if WorkRecord.objects.exists():
        return
    people = {p.username: p for p in Person.objects.all()}
    officer, head, deputy = people["cv.qlvt.long"], people["tp.qlvt"], people["pgd.mai"]
    incoming = IncomingDocument.objects.filter(assignments__receiver=officer).order_by("pk").first()
    from qlvb.archive.models import PlanItem

    planned = PlanItem.objects.filter(plan__state="approved", responsible=officer,
                                      title__startswith="Hồ sơ trả lời UBND tỉnh").order_by("-plan__year").first()
    record = services.open_record(actor=officer, title="Trả lời UBND tỉnh về kế hoạch bảo trì đường bộ",
                                  incoming=incoming, plan_item=planned)
    draft = services.save_draft(
        actor=officer, record=record, body="Thực hiện chỉ đạo của UBND tỉnh, Sở Giao thông vận tải báo cáo ...",
        data={"document_type": DocumentType.objects.get(name="Công văn"), "signer": deputy, "signing_form": "KT.",
              "summary": "V/v báo cáo kế hoạch bảo trì đường bộ năm 2027"},
        recipients={"recipient_units": [Unit.objects.get(abbreviation="KHTC")],
                    "recipient_agencies": [ExternalAgency.objects.get(name="UBND tỉnh Bắc Kạn")]})
    services.submit(actor=officer, draft=draft)
    services.approve(actor=head, draft=draft, comment="Kính trình đồng chí Phó Giám đốc")
