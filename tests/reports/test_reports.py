"""Reports: figures for a seeded data set match hand-computed values; exports; province access."""

import io
import unicodedata
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from qlvb.assignments import services as flow
from qlvb.assignments.models import Assignment
from qlvb.audit.models import AccessLog
from qlvb.incoming.models import IncomingDocument
from qlvb.reports import selectors, services
from qlvb.reports.models import Export
from tests.factories import register_doc, root_of

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
YEAR = date.today().year


def _doc(clerk, n, *, medium, deadline, done_on=None, **extra):
    document = register_doc(clerk, notation=f"{n}/T", medium=medium, deadline=deadline, files=[],
                            arrived_at=datetime(YEAR, 3, 2, 9, tzinfo=HCM), **extra)
    if done_on:
        flow.complete(actor=root_of(document).receiver, assignment=root_of(document), result="Xong")
        # Back-date the completion, as the service would have stamped it on that day.
        done_at = datetime.combine(done_on, datetime.min.time(), tzinfo=HCM).replace(hour=8)
        IncomingDocument.objects.filter(pk=document.pk).update(completed_at=done_at, completed_on=done_on)
        Assignment.objects.filter(document=document).update(done_at=done_at, done_on=done_on,
                                                             created_at=document.arrived_at)
    return document


@pytest.fixture
def seeded(demo):
    """6 documents received in March: 4 electronic, 2 paper; 5 due in March (one due in April):
    2 done on time, 1 done late, 2 still open (1 of them overdue at the period's end)."""
    c = demo.vanthu
    _doc(c, 1, medium="electronic", deadline=date(YEAR, 3, 10), done_on=date(YEAR, 3, 9))
    _doc(c, 2, medium="electronic", deadline=date(YEAR, 3, 10), done_on=date(YEAR, 3, 10))
    _doc(c, 3, medium="paper", deadline=date(YEAR, 3, 12), done_on=date(YEAR, 3, 20))
    _doc(c, 4, medium="electronic", deadline=date(YEAR, 3, 15))
    _doc(c, 5, medium="paper", deadline=date(YEAR, 3, 31))
    _doc(c, 6, medium="electronic", deadline=date(YEAR, 4, 5))
    return selectors.Period(start=date(YEAR, 3, 1), end=date(YEAR, 3, 31))


def test_ict_figures_match_hand_computed_values(seeded):
    received = selectors.received(seeded)
    assert received == {"total": 6, "electronic": 4, "paper": 2, "done": 3}
    ict = {row["key"]: row for row in selectors.ict_indicators(seeded)}
    assert ict["incoming_electronic"]["value"] == 66.7  # 4 / 6
    assert ict["processed_in_system"]["value"] == 50.0  # 3 / 6
    assert (ict["on_time"]["numerator"], ict["on_time"]["denominator"], ict["on_time"]["value"]) == (2, 5, 40.0)
    assert ict["overdue_open"]["value"] == 1  # due 15/03, open; the one due 31/03 is not yet overdue
    assert ict["outgoing_electronic"]["value"] is None  # nothing issued in the period: "no data", not 0 %
    assert "tổng văn bản đến" in str(ict["incoming_electronic"]["formula"])


def test_per_unit_table_counts_the_directors_items(seeded, demo):
    rows = {r["name"]: r for r in selectors.by_unit(seeded)}
    board = rows["Ban Giám đốc"]
    assert (board["due"], board["on_time"], board["late"], board["overdue"]) == (5, 2, 1, 1)
    # Arrived 2 March 09:00; done 9, 10 and 20 March 08:00: 6, 7 and 17 days 23 hours.
    assert board["avg_time"] == timedelta(days=10, hours=23)


def test_excel_export_runs_in_background_and_downloads(client, demo, seeded, django_capture_on_commit_callbacks):
    client.force_login(demo.giamdoc)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:export"), {"fmt": "xlsx", "from": f"{YEAR}-03-01",
                                                           "to": f"{YEAR}-03-31"})
    export = Export.objects.get()
    assert response.url == reverse("reports:export_status", args=[export.pk])
    assert export.status == "done" and export.progress == 100
    assert "Tải tệp" in client.get(response.url).content.decode()
    content = b"".join(client.get(reverse("reports:download", args=[export.pk])).streaming_content)
    workbook = load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Tổng hợp", "Theo đơn vị", "Theo cán bộ", "Chỉ số ICT"]
    assert any(row[1] == 6 for row in workbook["Tổng hợp"].iter_rows(values_only=True))
    # F-6.l: the download of the report file is an export in the access history
    [entry] = AccessLog.objects.filter(object_type="reports.export", object_id=export.pk)
    assert (entry.person, entry.action, entry.blob_id) == (demo.giamdoc, "export", export.blob_id)
    other = type(client)()
    other.force_login(demo.vanthu)
    assert other.get(reverse("reports:download", args=[export.pk])).status_code == 404


def test_pdf_export(client, demo, seeded, django_capture_on_commit_callbacks):
    client.force_login(demo.giamdoc)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:export"), {"fmt": "pdf", "from": f"{YEAR}-03-01", "to": f"{YEAR}-03-31"})
    export = Export.objects.get()
    assert export.status == "done" and export.blob.content_type == "application/pdf"
    response = client.get(reverse("reports:download", args=[export.pk]))
    pdf = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    text = " ".join(unicodedata.normalize("NFC", page.extract_text()) for page in pdf.pages)
    text = " ".join(text.split())
    assert "BÁO CÁO TÌNH HÌNH XỬ LÝ VĂN BẢN ĐẾN" in text
    assert f"Từ ngày 01/03/{YEAR} đến ngày 31/03/{YEAR} — Toàn cơ quan" in text
    # received, electronic, paper, done; confidential received, issued, confidential issued
    assert "Văn bản đi mật 6 4 2 3 0 0 0" in text
    assert "Tỷ lệ văn bản đến nhận dưới dạng điện tử 66,7% (4/6)" in text
    assert "Tỷ lệ văn bản đến xử lý đúng hạn 40,0% (2/5)" in text
    assert "Tỷ lệ văn bản đi gửi hoàn toàn dưới dạng điện tử (không kèm bản giấy) chưa có dữ liệu" in text
    # due, on time, late, open, overdue, average days (10 days 23 hours)
    assert "Ban Giám đốc 5 2 1 1 1 11,0" in text


def test_head_sees_only_their_unit_and_officer_none(client, demo, seeded):
    period = services.period_for(actor=demo["tp.qlvt"], start=date(YEAR, 3, 1), end=date(YEAR, 3, 31), unit=None)
    assert period.unit == demo["tp.qlvt"].unit
    client.force_login(demo["cv.qlvt.long"])
    assert client.get(reverse("reports:index")).status_code == 403


def test_reporter_reads_reports_but_not_documents(client, demo, seeded):
    document = IncomingDocument.objects.first()
    client.force_login(demo["ict.sotttt"])
    assert client.get(reverse("reports:index")).status_code == 200
    assert client.get(reverse("incoming:detail", args=[document.pk])).status_code == 404
    assert client.get(f"/api/incoming/{document.pk}").status_code == 404


def test_api_token_reads_the_summary_only(client, demo, seeded):
    token_row, token = services.issue_token(actor=demo.quantri, name="Sở TT&TT")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = client.get(f"/api/reports/summary?start={YEAR}-03-01&end={YEAR}-03-31", **auth)
    assert response.status_code == 200
    assert response.json()["received"]["total"] == 6
    assert client.get("/api/incoming/", **auth).status_code == 401
    assert client.get(f"/api/reports/summary?start={YEAR}-03-01&end={YEAR}-03-31",
                      HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    services.revoke_token(actor=demo.quantri, token=token_row)
    assert client.get(f"/api/reports/summary?start={YEAR}-03-01&end={YEAR}-03-31", **auth).status_code == 401


def test_yearly_report_is_a_handful_of_queries(demo, seeded, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        data = selectors.report(selectors.Period(start=date(YEAR, 1, 1), end=date(YEAR, 12, 31)))
    assert data["received"]["total"] == 6
