"""Issue 11.6 and 11.8 through the pages: each decision's message names who has the draft now and what comes
next; the opinion request notice opens the draft; a new draft answering an incoming document has its issuer
as recipient; the opinion list starts with the unit and leaves out reporting and admin-only accounts."""

import pytest
from django.contrib.messages import get_messages

from qlvb.documents.models import ExternalAgency
from qlvb.monitoring.models import Notification
from qlvb.organization.models import Role
from qlvb.records import services
from tests.conftest import login
from tests.factories import reply_path

pytestmark = pytest.mark.django_db


def _said(response) -> list[str]:
    """The messages the action added (those of earlier, unfollowed redirects are consumed before)."""
    said = [str(m) for m in get_messages(response.wsgi_request)]
    response.client.get("/records/")  # shows, and so consumes, the messages
    return said


def test_each_decision_names_the_next_holder(client, demo):
    _, _, draft = reply_path(demo)
    login(client, demo["cv.qlvt.long"])
    page = client.get(f"/records/drafts/{draft.pk}/").content.decode()
    assert "Trình Trưởng phòng Phan Văn Đức" in page
    response = client.post(f"/records/drafts/{draft.pk}/do/submit/")
    assert _said(response) == ["Đã trình Trưởng phòng Phan Văn Đức, chờ duyệt rồi trình ký."]

    login(client, demo["tp.qlvt"])
    response = client.post(f"/records/drafts/{draft.pk}/do/return/", {"comment": "Bổ sung số liệu"})
    assert _said(response) == ["Đã trả lại dự thảo cho Chuyên viên Tạ Văn Long."]

    services.submit(actor=demo["cv.qlvt.long"], draft=draft)
    response = client.post(f"/records/drafts/{draft.pk}/do/approve/")
    assert _said(response) == ["Đã duyệt, trình Phó Giám đốc Trần Thị Mai ký."]

    login(client, demo["pgd.mai"])
    response = client.post(f"/records/drafts/{draft.pk}/do/sign/")
    assert _said(response) == ["Đã duyệt ký; dự thảo chờ văn thư cấp số, phát hành."]


def test_a_head_submits_straight_to_the_signer(client, demo):
    _, record, draft = reply_path(demo)
    record.owner = demo["tp.qlvt"]
    record.save(update_fields=["owner"])
    login(client, demo["tp.qlvt"])
    assert "Trình Phó Giám đốc Trần Thị Mai" in client.get(f"/records/drafts/{draft.pk}/").content.decode()
    response = client.post(f"/records/drafts/{draft.pk}/do/submit/")
    assert _said(response) == ["Đã trình Phó Giám đốc Trần Thị Mai, chờ duyệt ký."]


def test_opinion_request_names_the_people_and_its_notice_opens_the_draft(client, demo):
    _, _, draft = reply_path(demo)
    login(client, demo["cv.qlvt.long"])
    response = client.post(f"/records/drafts/{draft.pk}/do/ask/", {
        "people": [demo["cv.khtc.nga"].pk, demo["tp.khtc"].pk], "question": "Góp ý kinh phí"})
    assert response.url.endswith("#opinions")
    [said] = _said(response)
    assert said.startswith("Đã xin ý kiến 2 người: ") and "Trưởng phòng Ngô Thị Hương" in said
    notice = Notification.objects.get(recipient=demo["cv.khtc.nga"], kind="opinion_requested")
    assert notice.link == f"/records/drafts/{draft.pk}/#opinions"


def test_new_draft_has_the_issuer_as_recipient(client, demo):
    incoming, record, _draft = reply_path(demo)  # issued by "UBND tỉnh Bắc Kạn", a known agency
    agency = ExternalAgency.objects.get(name=incoming.issuer_name)
    login(client, demo["cv.qlvt.long"])
    form = client.get(f"/records/{record.pk}/drafts/new/").context["form"]
    assert form["recipient_agencies"].value() == [agency.pk]


def test_opinion_list_starts_with_the_unit_and_offers_no_reporting_account(client, demo):
    _, _, draft = reply_path(demo)
    login(client, demo["cv.qlvt.long"])
    offered = list(client.get(f"/records/drafts/{draft.pk}/").context["colleagues"])
    assert [p.username for p in offered[:4]] == ["tp.qlvt", "ptp.qlvt", "cv.qlvt.trang", "cv.qlvt.quan"]
    assert not any(p.has_role(Role.REPORTER) or p.username == "quantri" for p in offered)
    assert demo.giamdoc in offered and demo["cv.qlvt.long"] not in offered
