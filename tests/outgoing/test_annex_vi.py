"""The Annex VI fields of an outgoing document that the clerk adds at issuing (Decree 30/2020, PL VI part II,
I.9 Language, I.10 PageAmount, I.11 Description, I.15 IssuedAmount, I.16 DueDate): entered on the issuing
page and over the API, checked with a message naming the field, shown on the page and in the API."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from qlvb.outgoing import services
from qlvb.outgoing.metadata import IssueMetadata
from qlvb.outgoing.models import OutgoingDocument
from qlvb.records import services as records
from tests.factories import pdf_upload, reply_path
from tests.outgoing.issuing import approve, approved

pytestmark = pytest.mark.django_db


def _signed_reply(demo, upload=None):
    """A reply to the KHTC unit and the provincial People's Committee (two recipients), signed."""
    _, record, draft = reply_path(demo)
    if upload is not None:
        records.save_draft(actor=demo["cv.qlvt.long"], record=record, draft=draft, data={}, upload=upload)
    return approve(demo, draft)


def test_clerk_enters_the_fields_and_page_and_api_show_them(client, demo):
    """PL VI II.I.9–11, 15, 16: language (the setting's default when left empty), pages counted from the
    issued PDF (the typed draft is rendered: a number typed is ignored), notes, copies issued (one per
    recipient when left empty), reply due date."""
    due = timezone.localdate() + timedelta(days=10)
    document = services.issue(actor=demo.vanthu, draft=_signed_reply(demo), metadata=IssueMetadata(
        page_count=4, notes="Gửi kèm bản giấy cho UBND tỉnh", reply_due=due))
    document.refresh_from_db()
    assert (document.language, document.page_count, document.issued_amount, document.reply_due) == (
        "Tiếng Việt", 1, 2, due)
    client.force_login(demo["cv.khtc.nga"])
    page = client.get(f"/outgoing/{document.pk}/").content.decode()
    for shown in ('data-testid="language">Tiếng Việt<', 'data-testid="page-count">1<', 'data-testid="issued-amount">2<',
                  f'data-testid="reply-due">{due:%d/%m/%Y}<', "Gửi kèm bản giấy cho UBND tỉnh"):
        assert shown in page, shown
    body = client.get(f"/api/outgoing/{document.pk}").json()
    assert (body["language"], body["page_count"], body["notes"], body["issued_amount"], body["reply_due"]) == (
        "Tiếng Việt", 1, "Gửi kèm bản giấy cho UBND tỉnh", 2, due.isoformat())


def test_default_language_is_a_setting(demo, settings):
    settings.QLVB_DOCUMENT_LANGUAGE = "Tiếng Việt và tiếng Anh"
    document = services.issue(actor=demo.vanthu, draft=approved(demo))
    assert document.language == "Tiếng Việt và tiếng Anh"


def test_pages_of_a_pdf_are_counted_not_typed(client, demo):
    """PL VI I.III.1.g: the system fills PageAmount (I.10) itself; for a PDF it counts the pages, whatever
    was typed; the issuing page shows the count instead of a field."""
    draft = _signed_reply(demo, upload=pdf_upload(pages=3))
    client.force_login(demo.vanthu)
    page = client.get(f"/outgoing/issue/{draft.pk}/").content.decode()
    assert 'id="page_count" value="3" disabled' in page
    response = client.post(f"/outgoing/issue/{draft.pk}/", {"sending": "electronic", "page_count": "7",
                                                           "issued_amount": "5", "language": "Tiếng Việt"})
    document = OutgoingDocument.objects.get(draft=draft)
    assert response.status_code == 302
    assert (document.page_count, document.issued_amount) == (3, 5)


def test_reply_due_before_the_issue_date_is_refused_naming_the_field(client, demo):
    """PL VI II.I.16 DueDate: a reply cannot be due before the document is issued. Service, page and API
    refuse naming the field, and nothing is issued."""
    yesterday = timezone.localdate() - timedelta(days=1)
    draft = _signed_reply(demo)
    with pytest.raises(ValidationError) as refused:
        services.issue(actor=demo.vanthu, draft=draft, metadata=IssueMetadata(reply_due=yesterday))
    assert "Hạn trả lời văn bản" in refused.value.message_dict["reply_due"][0]
    client.force_login(demo.vanthu)
    page = client.post(f"/outgoing/issue/{draft.pk}/", {"sending": "electronic",
                                                       "reply_due": yesterday.isoformat()}).content.decode()
    assert "Hạn trả lời văn bản: không được trước ngày ban hành" in page
    response = client.post(f"/api/outgoing/issue/{draft.pk}", {"reply_due": yesterday.isoformat()},
                           content_type="application/json")
    assert response.status_code == 400
    [error] = response.json()["detail"]
    assert error["field"] == "reply_due" and "Hạn trả lời văn bản" in error["msg"]
    assert not OutgoingDocument.objects.exists()
    draft.refresh_from_db()
    assert draft.state == "approved"


@pytest.mark.parametrize(("field", "value", "label"), [
    ("page_count", 0, "Số trang"), ("page_count", 1000, "Số trang"),
    ("issued_amount", 1000, "Số lượng bản phát hành"), ("language", "x" * 31, "Ngôn ngữ"),
    ("notes", "x" * 501, "Ghi chú"),
])
def test_out_of_range_values_are_refused_over_the_api(client, demo, field, value, label):
    """PL VI II: PageAmount and IssuedAmount are Number(3), Language String(30), Description String(500)."""
    draft = _signed_reply(demo)
    client.force_login(demo.vanthu)
    response = client.post(f"/api/outgoing/issue/{draft.pk}", {field: value}, content_type="application/json")
    assert response.status_code == 400
    [error] = response.json()["detail"]
    assert error["field"] == field and label in error["msg"]
    assert not OutgoingDocument.objects.exists()


def test_an_issue_date_correction_never_passes_the_reply_due_date(demo):
    """PL VI II.I.16: the date correction keeps the reply due date on or after the issue date."""
    today = timezone.localdate()
    document = services.issue(actor=demo.vanthu, draft=approved(demo), metadata=IssueMetadata(reply_due=today))
    if today.month == 1 and today.day == 1:
        pytest.skip("no earlier day in this year")
    services.correct_issue_date(actor=demo.quantri, document=document, issued_on=today - timedelta(days=1),
                                reason="Nhập nhầm")  # earlier is fine
    document.reply_due = today - timedelta(days=2)
    document.save(update_fields=["reply_due"])
    with pytest.raises(ValidationError, match="hạn trả lời"):
        services.correct_issue_date(actor=demo.quantri, document=document, issued_on=today, reason="Nhập nhầm")


@pytest.mark.django_db(transaction=True)
def test_existing_documents_get_copies_and_pages_by_the_migration(demo):
    """Documents issued before the fields: Vietnamese, one copy per recipient, pages of their PDF."""
    with_pdf = services.issue(actor=demo.vanthu, draft=_signed_reply(demo, upload=pdf_upload(pages=2)))
    executor = MigrationExecutor(connection)
    executor.migrate([("outgoing", "0006_notation_unique_in_year")])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    document = OutgoingDocument.objects.get(pk=with_pdf.pk)
    assert (document.language, document.issued_amount, document.page_count, document.reply_due) == (
        "Tiếng Việt", 2, 2, None)
