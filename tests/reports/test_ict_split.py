"""ICT-Index figures of document management (regulations-detail §5.1): "sent electronically only",
"sent on paper and electronically" and "received electronically / on paper" are separate figures, and
confidential documents (văn bản mật) stay out of the electronic shares unless the agency turns that off
(QLVB_ICT_EXCLUDE_CONFIDENTIAL). Checked where a reader sees them: the page, Excel, PDF and the API."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from qlvb.outgoing import services as outgoing
from qlvb.outgoing.models import OutgoingDocument
from qlvb.records import services as records
from qlvb.reports import services
from qlvb.reports.models import Export
from tests.factories import register_doc, reply_path

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PERIOD = {"from": TODAY.isoformat(), "to": TODAY.isoformat()}


def _issue(demo, sending, *, confidential=False) -> OutgoingDocument:
    _incoming, _record, draft = reply_path(demo, recipients=False)
    records.submit(actor=demo["cv.qlvt.long"], draft=draft)
    records.approve(actor=demo["tp.qlvt"], draft=draft)
    records.sign(actor=demo["pgd.mai"], draft=draft)
    document = outgoing.issue(actor=demo.vanthu, draft=draft, sending=sending)
    if confidential:  # as issued from the confidential series; only the level matters to the figures
        OutgoingDocument.objects.filter(pk=document.pk).update(confidentiality="confidential")
    return document


@pytest.fixture
def each_kind(demo):
    """Issued today: 2 electronic only, 1 paper + electronic, and 2 confidential (1 of each way).
    Received today: the 5 documents the replies answer (electronic), 2 on paper, and 2 confidential
    (1 electronic, 1 paper). Counted without the confidential ones: outgoing 3 (2 + 1), incoming 7 (5 + 2)."""
    for sending, confidential in [("electronic", False), ("electronic", False), ("paper_electronic", False),
                                  ("electronic", True), ("paper_electronic", True)]:
        _issue(demo, sending, confidential=confidential)
    register_doc(demo.vanthu, notation="11/UBND", medium="paper")
    register_doc(demo.vanthu, notation="12/UBND", medium="paper")
    register_doc(demo["vanthu.mat"], notation="13/CA", confidential=True, medium="electronic")
    register_doc(demo["vanthu.mat"], notation="14/CA", confidential=True, medium="paper")


def _page_figures(html: str) -> dict:
    """Indicator name → (value shown, formula shown), read from the ICT table of the page."""
    table = html.split('data-testid="ict"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td>(.*?)</td><td[^>]*>(.*?)</td><td[^>]*>(.*?)</td></tr>", table, re.S)
    return {name: (" ".join(re.sub(r"<[^>]+>", " ", value).split()), formula) for name, value, formula in rows}


def test_page_shows_each_sending_way_separately_without_confidential_documents(client, demo, each_kind):
    """ICT indicator (r) "gửi hoàn toàn dưới dạng điện tử" is electronic only over all outgoing, the
    "song song điện tử và giấy" one is separate, and văn bản mật are left out by default (§5.1)."""
    client.force_login(demo.giamdoc)
    html = client.get(reverse("reports:index"), PERIOD).content.decode()
    figures = _page_figures(html)
    electronic_only = figures["Tỷ lệ văn bản đi gửi hoàn toàn dưới dạng điện tử (không kèm bản giấy)"]
    assert electronic_only[0] == "66,7% (2/3)"
    assert "chỉ gửi điện tử" in electronic_only[1] and "không tính văn bản mật" in electronic_only[1]
    assert figures["Tỷ lệ văn bản đi gửi song song điện tử và bản giấy"][0] == "33,3% (1/3)"
    assert figures["Tỷ lệ văn bản đến nhận dưới dạng điện tử"][0] == "71,4% (5/7)"
    assert figures["Tỷ lệ văn bản đến nhận bản giấy"][0] == "28,6% (2/7)"
    assert "không tính văn bản mật" in figures["Tỷ lệ văn bản đến nhận bản giấy"][1]
    assert "2 văn bản đến, 2 văn bản đi mật" in html  # the reader sees what was left out


def test_setting_off_counts_confidential_documents_and_says_so(client, demo, each_kind, settings):
    """QLVB_ICT_EXCLUDE_CONFIDENTIAL=0: the agency's reading counts văn bản mật in; the formula says so."""
    settings.QLVB_ICT_EXCLUDE_CONFIDENTIAL = False
    client.force_login(demo.giamdoc)
    figures = _page_figures(client.get(reverse("reports:index"), PERIOD).content.decode())
    electronic_only = figures["Tỷ lệ văn bản đi gửi hoàn toàn dưới dạng điện tử (không kèm bản giấy)"]
    assert electronic_only[0] == "60,0% (3/5)" and "kể cả văn bản mật" in electronic_only[1]
    assert figures["Tỷ lệ văn bản đi gửi song song điện tử và bản giấy"][0] == "40,0% (2/5)"
    assert figures["Tỷ lệ văn bản đến nhận dưới dạng điện tử"][0] == "66,7% (6/9)"


def _export(client, demo, fmt, django_capture_on_commit_callbacks) -> bytes:
    client.force_login(demo.giamdoc)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:export"), {"fmt": fmt, **PERIOD})
    export = Export.objects.get(fmt=fmt)
    return b"".join(client.get(reverse("reports:download", args=[export.pk])).streaming_content)


def test_excel_carries_the_split_figures_and_their_formulas(client, demo, each_kind,
                                                            django_capture_on_commit_callbacks):
    """The Excel ICT sheet shows the same separate figures, numerators and formulas as the page (§5.1)."""
    workbook = load_workbook(io.BytesIO(_export(client, demo, "xlsx", django_capture_on_commit_callbacks)))
    rows = {row[0]: row for row in workbook["Chỉ số ICT"].iter_rows(values_only=True)}
    name, formula, num, den, value = rows["Tỷ lệ văn bản đi gửi hoàn toàn dưới dạng điện tử (không kèm bản giấy)"]
    assert (num, den, value) == (2, 3, 66.7) and "không tính văn bản mật" in formula
    assert rows["Tỷ lệ văn bản đi gửi song song điện tử và bản giấy"][2:] == (1, 3, 33.3)
    assert rows["Tỷ lệ văn bản đến nhận bản giấy"][2:] == (2, 7, 28.6)
    summary = {row[0]: row[1] for row in workbook["Tổng hợp"].iter_rows(values_only=True)}
    assert summary["— trong đó văn bản mật"] == 2 and summary["Văn bản đi phát hành"] == 5


def test_pdf_carries_the_split_figures(client, demo, each_kind, django_capture_on_commit_callbacks):
    """The printed report shows the separate figures and the exclusion note (§5.1)."""
    text = " ".join(PdfReader(io.BytesIO(_export(client, demo, "pdf", django_capture_on_commit_callbacks)))
                    .pages[0].extract_text().split())
    assert "gửi song song điện tử và bản giấy" in text and "33,3% (1/3)" in text
    assert "66,7% (2/3)" in text and "71,4% (5/7)" in text
    assert "không tính văn bản mật" in text


def test_api_reports_the_split_and_the_scope(client, demo, each_kind):
    """The province's API reads the same figures, with the counts behind them and the scope (§5.1)."""
    _row, token = services.issue_token(actor=demo.quantri, name="Sở TT&TT")
    body = client.get(f"/api/reports/summary?start={TODAY}&end={TODAY}",
                      HTTP_AUTHORIZATION=f"Bearer {token}").json()
    figures = {row["key"]: row for row in body["indicators"]}
    assert (figures["outgoing_electronic"]["numerator"], figures["outgoing_electronic"]["denominator"]) == (2, 3)
    assert figures["outgoing_paper_and_electronic"]["value"] == 33.3
    assert figures["incoming_electronic"]["value"] == 71.4 and figures["incoming_paper"]["value"] == 28.6
    assert "không tính văn bản mật" in figures["outgoing_electronic"]["formula"]
    assert body["excludes_confidential"] is True
    assert body["outgoing"]["total"] == 5 and body["outgoing"]["confidential"] == 2
    assert body["received"]["confidential"] == 2
