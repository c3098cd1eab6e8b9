"""Test helpers for the archive: documents with text in their files, records walked to the archive."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from qlvb.archive import submission
from qlvb.records import services as records
from tests.factories import register_doc, root_of

SCHEMA = "qlvb/archive/schema/record.xsd"
NS = {"h": "urn:qlvb:ho-so:1"}


def text_pdf(name: str, marker: str, pages: int = 1) -> SimpleUploadedFile:
    """A PDF whose pages read `<marker> trang <n>` (so a test finds each document in an export)."""
    from weasyprint import HTML

    body = "".join(f'<p style="{"break-before: page" if n > 1 else ""}">{marker} trang {n}</p>'
                   for n in range(1, pages + 1))
    return SimpleUploadedFile(name, HTML(string=f"<html><body>{body}</body></html>").write_pdf(),
                              content_type="application/pdf")


def to_officer(demo, officer="cv.qlvt.long", days_ago=5, **extra):
    """An incoming document forwarded by the Director to the head of QLVT, then to the officer."""
    from qlvb.assignments import services as flow
    from qlvb.assignments.services import Target

    clerk = demo["vanthu.mat"] if extra.get("confidential") else demo.vanthu
    document = register_doc(clerk, issued_on=timezone.localdate() - timedelta(days=days_ago), **extra)
    head = flow.forward(actor=demo.giamdoc, assignment=root_of(document),
                        targets=[Target("main", person=demo["tp.qlvt"])])[0]
    flow.forward(actor=demo["tp.qlvt"], assignment=head, targets=[Target("main", person=demo[officer])])
    return document


def archived(demo, *, title="Hồ sơ cấp phép vận tải", code="05.QLVT", retention="10 năm", incoming=None,
             owner="cv.qlvt.long"):
    """A record of the QLVT officer holding `incoming` (or a new document), closed, submitted, accepted."""
    officer = demo[owner]
    incoming = incoming or to_officer(demo, officer=owner, summary="V/v kiểm tra xe khách zqnoidung",
                                      files=[text_pdf("kiem-tra.pdf", "ZQKIEMTRA")])
    record = records.open_record(actor=officer, title=title, code=code, retention=retention, incoming=incoming,
                                 start_date=timezone.localdate() - timedelta(days=30))
    record = records.close_record(actor=officer, record=record, note="Xong")
    sub = submission.submit(actor=officer, record=record)
    submission.accept(actor=demo["cv.vp.hai"], submissions=[sub])
    record.refresh_from_db()
    return record
