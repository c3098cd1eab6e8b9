"""Demo incoming documents in every state, so the demo agency's inboxes are not empty."""

from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from qlvb.assignments import services as flow
from qlvb.assignments.services import Target
from qlvb.documents.models import DocumentType, ExternalAgency
from qlvb.organization.models import Person, Unit
from qlvb.workdays.calendar import add_working_days

from . import services
from .models import IncomingDocument
from .selectors import registers_for

# Demo agency identifiers (OrganId, QCVN 102 form) so that the demo can send edXML packages at once;
# illustrative, not the agencies' real codes.
ISSUER_IDS = {"UBND tỉnh Bắc Kạn": "000.00.00.H03", "Bộ Giao thông vận tải": "000.00.00.G12",
              "Cục Đường bộ Việt Nam": "000.01.00.G12", "Sở Tài chính tỉnh Bắc Kạn": "000.00.05.H03",
              "Sở Kế hoạch và Đầu tư tỉnh Bắc Kạn": "000.00.06.H03", "Công an tỉnh Bắc Kạn": "000.00.20.H03",
              "Ban An toàn giao thông tỉnh": "000.00.41.H03"}
ISSUERS = list(ISSUER_IDS)

DOCUMENTS = [
    # notation, type, issuer index, summary, working days to deadline, scenario
    ("1520/UBND-GTCNXD", "Công văn", 0, "V/v triển khai kế hoạch bảo trì đường bộ năm 2027", 10, "officer_pending"),
    ("245/QĐ-BGTVT", "Quyết định", 1, "Quyết định phê duyệt danh mục dự án cải tạo quốc lộ 3B", 15, "done"),
    ("88/CĐBVN-QLBTĐB", "Công văn", 2, "V/v đảm bảo giao thông mùa mưa lũ trên các tuyến quốc lộ", -2, "officer"),
    ("312/STC-QLNS", "Công văn", 3, "V/v thẩm định dự toán kinh phí sự nghiệp giao thông năm 2027", 5, "head"),
    ("57/KH-BATGT", "Kế hoạch", 6, "Kế hoạch tuyên truyền an toàn giao thông dịp Tết Nguyên đán", 3, "deputy"),
    ("1999/SKHĐT-TH", "Công văn", 4, "V/v đăng ký kế hoạch đầu tư công trung hạn giai đoạn 2026-2030", 8, "new"),
    ("76/GM-UBND", "Giấy mời", 0, "Giấy mời dự họp giao ban công tác quý IV năm 2026", 1, "info"),
    ("402/CAT-PC08", "Công văn", 5, "V/v phối hợp kiểm tra xe quá khổ, quá tải trên địa bàn tỉnh", -1, "officer"),
]

# Handled earlier this year, so that the routing suggestion (assignments/routing.py) has a history to read:
# opening 1999/SKHĐT-TH, the Director is suggested the Deputy Director and the unit that had most of these.
# notation, issuer index, summary, deputy, unit, officer
HISTORY = [
    ("1203/SKHĐT-TH", 4, "V/v rà soát kế hoạch đầu tư công năm 2026", "pgd.dung", "KHTC", "cv.khtc.son"),
    ("1388/SKHĐT-TH", 4, "V/v giải ngân kế hoạch đầu tư công 6 tháng đầu năm", "pgd.dung", "KHTC", "cv.khtc.son"),
    ("1502/SKHĐT-TH", 4, "V/v điều chỉnh kế hoạch đầu tư công nguồn ngân sách tỉnh", "pgd.dung", "KHTC",
     "cv.khtc.linh"),
    ("1630/SKHĐT-KTN", 4, "V/v đề xuất dự án đầu tư công lĩnh vực giao thông", "pgd.minh", "QLKCHT", "cv.kcht.dat"),
    ("1744/SKHĐT-TH", 4, "V/v báo cáo tình hình thực hiện kế hoạch đầu tư công", "pgd.dung", "KHTC",
     "cv.khtc.son"),
]


def _pdf(title: str) -> ContentFile:
    """A one-page PDF with an ASCII title (the demo has no font tooling)."""
    text = title.encode("ascii", "replace").decode()
    stream = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return ContentFile(bytes(out), name="van-ban.pdf")


def load(agency):
    if IncomingDocument.objects.exists():
        return
    people = {p.username: p for p in Person.objects.all()}
    clerk = people["vanthu"]
    for name in ISSUERS:
        ExternalAgency.objects.get_or_create(name=name, defaults={"identifier": ISSUER_IDS[name]})
    register = next(r for r in registers_for(clerk) if not r.is_confidential)
    today = timezone.localdate()
    _history(clerk, register, people, today)
    for notation, type_name, issuer, summary, days, scenario in DOCUMENTS:
        deadline, arrived = add_working_days(today, days), timezone.now()
        if days < 0:  # already overdue: it arrived before its deadline, inside this year's register
            new_year = today.replace(month=1, day=1)
            deadline = max(today - timedelta(days=-days * 2), new_year)
            arrived = max(arrived - timedelta(days=-days * 2 + 3), timezone.make_aware(
                datetime.combine(new_year, time(8))))
        data = services.IncomingData(arrived_at=arrived,
            register=register, issuer_name=ISSUERS[issuer], notation=notation, issued_on=today - timedelta(days=3),
            document_type=DocumentType.objects.get(name=type_name), summary=summary, deadline=deadline,
            signer_position="Phó Giám đốc", signer_name="Nguyễn Văn A", page_count=2,
            urgency="urgent" if days < 3 else "normal",
            files=[_pdf(notation)],
        )
        document = services.register_incoming(actor=clerk, data=data)
        _play(scenario, document, people, deadline)


def _play(scenario, document, people, deadline):
    """Walk the document down the tree as far as the scenario says."""
    if scenario == "new":
        return
    root = document.assignments.get(parent=None)
    if scenario == "info":
        flow.forward(actor=people["giamdoc"], assignment=root, targets=[Target("info", person=people["pgd.mai"]),
                     Target("info", unit=Unit.objects.get(abbreviation="QLVT"))], instruction="Đề nghị dự họp")
        return
    deputy = flow.forward(actor=people["giamdoc"], assignment=root, targets=[Target("main", person=people["pgd.mai"])],
                          instruction="Giao Phó Giám đốc Trần Thị Mai chỉ đạo xử lý")[0]
    if scenario == "deputy":
        return
    head = flow.forward(actor=people["pgd.mai"], assignment=deputy, instruction="Phòng QLVT chủ trì tham mưu",
                        targets=[Target("main", unit=Unit.objects.get(abbreviation="QLVT")),
                                 Target("co", unit=Unit.objects.get(abbreviation="KHTC"))])[0]
    if scenario == "head":
        return
    officer = flow.forward(actor=people["tp.qlvt"], assignment=head, instruction="Đồng chí Long tham mưu",
                           targets=[Target("main", person=people["cv.qlvt.long"])])[0]
    if scenario == "officer_pending":
        flow.mark_pending(actor=people["cv.qlvt.long"], assignment=officer, note="Chờ số liệu từ Phòng KHTC")
    elif scenario == "done":
        flow.complete(actor=people["cv.qlvt.long"], assignment=officer, result="Đã tham mưu, trình ký văn bản trả lời")


def _history(clerk, register, people, today):
    """The documents of HISTORY, arrived weeks ago inside this year's register, handled and done."""
    new_year = timezone.make_aware(datetime.combine(today.replace(month=1, day=1), time(8)))
    for n, (notation, issuer, summary, deputy, unit, officer) in enumerate(HISTORY):
        arrived = max(timezone.now() - timedelta(days=60 - 10 * n), new_year)
        document = services.register_incoming(actor=clerk, data=services.IncomingData(
            arrived_at=arrived, register=register, issuer_name=ISSUERS[issuer], notation=notation,
            issued_on=timezone.localdate(arrived), document_type=DocumentType.objects.get(name="Công văn"),
            summary=summary, signer_position="Giám đốc", signer_name="Nguyễn Văn B", page_count=1,
            files=[_pdf(notation)]))
        item = document.assignments.get(parent=None)
        for actor, target in (("giamdoc", Target("main", person=people[deputy])),
                              (deputy, Target("main", unit=Unit.objects.get(abbreviation=unit))),
                              (f"tp.{unit.lower().replace('qlkcht', 'kcht')}", Target("main", person=people[officer]))):
            item = flow.forward(actor=people[actor], assignment=item, targets=[target])[0]
        flow.complete(actor=people[officer], assignment=item, result="Đã tham mưu, trả lời")

