"""The archive (issue 13 item 5, F-6.c): archived records searched by metadata and content from the viewer's
catalogue; people outside the creating unit read one only after asking and an approval that runs until a
day; every access written to the access history; the API does the same."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from qlvb.archive.models import AccessRequest
from qlvb.audit.models import AccessLog
from qlvb.documents import fulltext
from qlvb.monitoring.models import Notification
from tests.archive.archived import archived, text_pdf, to_officer

pytestmark = pytest.mark.django_db


def _search(client, **criteria) -> str:
    return client.get(reverse("archive:archive_search"), criteria).content.decode()


def _file_url(record):
    entry = record.documents.get()
    return reverse("archive:archived_file", args=[record.pk, entry.pk, 1])


def _log(person, record):
    return set(AccessLog.objects.filter(person=person, object_type="records.workrecord", object_id=record.pk)
               .values_list("action", flat=True))


def test_outsider_asks_the_head_or_archivist_approves_until_a_day(demo, client):
    record = archived(demo)
    fulltext.reindex_all()  # the index is written after COMMIT, which a test's transaction never reaches
    outsider, colleague = demo["cv.khtc.nga"], demo["cv.qlvt.trang"]

    client.force_login(colleague)  # the creating unit reads without asking
    assert client.get(_file_url(record)).status_code == 200

    client.force_login(outsider)
    found = _search(client, q="cấp phép")
    assert record.title in found and "Cần đề nghị khai thác" in found
    assert record.title not in _search(client, content="zqnoidung")  # content only of what one may read
    page = client.get(reverse("archive:archived", args=[record.pk])).content.decode()
    assert 'data-testid="access-request"' in page and "ZQKIEMTRA" not in page and "kiem-tra.pdf" not in page
    for url in (_file_url(record), reverse("archive:archived_export", args=[record.pk, "pdf"]),
                reverse("archive:archived_export", args=[record.pk, "xml"])):
        assert client.get(url).status_code == 404
    response = client.post(reverse("archive:access_request", args=[record.pk]), {"reason": " "}, follow=True)
    assert "Nhập mục đích khai thác." in response.content.decode()
    client.post(reverse("archive:access_request", args=[record.pk]), {"reason": "Đối chiếu số liệu kiểm tra xe"})
    again = client.post(reverse("archive:access_request", args=[record.pk]), {"reason": "Lần nữa"}, follow=True)
    assert "đang chờ phê duyệt" in again.content.decode()
    request = AccessRequest.objects.get()
    for approver in (demo["tp.qlvt"], demo["cv.vp.hai"]):
        assert Notification.objects.filter(recipient=approver, text__contains="Đối chiếu số liệu kiểm tra xe").exists()

    client.force_login(demo["tp.khtc"])  # the outsider's own head does not decide on another unit's record
    assert "Đối chiếu số liệu" not in client.get(reverse("archive:access_requests")).content.decode()
    assert client.post(reverse("archive:access_requests"), {"request": request.pk, "decision": "approve"}
                       ).status_code == 404

    client.force_login(demo["tp.qlvt"])
    response = client.post(reverse("archive:access_requests"), {"request": request.pk, "decision": "refuse",
                                                                "note": ""}, follow=True)
    assert "Nhập lý do không đồng ý." in response.content.decode()
    until = timezone.localdate() + timedelta(days=7)
    client.post(reverse("archive:access_requests"), {"request": request.pk, "decision": "approve",
                                                     "until": f"{until:%d/%m/%Y}"})
    request.refresh_from_db()
    assert (request.state, request.until, request.decided_by) == ("approved", until, demo["tp.qlvt"])
    assert Notification.objects.filter(recipient=outsider, text__contains=f"đến hết ngày {until:%d/%m/%Y}").exists()

    client.force_login(outsider)
    page = client.get(reverse("archive:archived", args=[record.pk])).content.decode()
    assert 'data-testid="archived-index"' in page and "kiem-tra.pdf" in page
    assert record.title in _search(client, content="zqnoidung")
    assert client.get(_file_url(record)).status_code == 200
    assert client.get(reverse("archive:archived_export", args=[record.pk, "pdf"])).status_code == 200
    assert _log(outsider, record) == {"view", "download", "export"}

    client.force_login(demo["cv.vp.hai"])  # the archivist reads who accessed it
    page = client.get(reverse("archive:archived", args=[record.pk])).content.decode()
    assert 'data-testid="access-history"' in page and outsider.full_name in page

    with freeze_time(until + timedelta(days=1)):
        client.force_login(outsider)
        assert client.get(_file_url(record)).status_code == 404
        assert 'data-testid="access-request"' in client.get(reverse("archive:archived", args=[record.pk])
                                                               ).content.decode()


def test_records_holding_a_confidential_document_stay_out_of_outsiders_catalogue(demo, client):
    secret = to_officer(demo, notation="9/MAT", summary="Kế hoạch zqbaomat", confidential=True,
                        files=[text_pdf("mat.pdf", "ZQMAT")])
    record = archived(demo, title="Hồ sơ xử lý kế hoạch zqbaomat", incoming=secret)
    client.force_login(demo["cv.khtc.nga"])
    assert "zqbaomat" not in _search(client)
    assert client.get(reverse("archive:archived", args=[record.pk])).status_code == 404
    assert client.post(reverse("archive:access_request", args=[record.pk]), {"reason": "Xem"}).status_code == 404
    assert client.get(f"/api/archive/archived/{record.pk}").status_code == 404
    client.force_login(demo["cv.qlvt.trang"])  # the creating unit does not read a confidential document either
    assert "zqbaomat" not in _search(client)
    client.force_login(demo["cv.vp.hai"])  # the archivist keeps it whole
    page = client.get(reverse("archive:archived", args=[record.pk])).content.decode()
    assert "9/MAT" in page and "mat.pdf" in page


def test_search_by_metadata_filters(demo, client):
    permanent = archived(demo, title="Hồ sơ quy hoạch bến xe", code="01.QLVT", retention="Vĩnh viễn")
    ten = archived(demo, title="Hồ sơ kiểm tra tải trọng", code="02.QLVT", retention="10 năm")
    client.force_login(demo["cv.khtc.nga"])
    assert permanent.title in _search(client, retention="permanent") and ten.title not in _search(
        client, retention="permanent")
    assert ten.title in _search(client, q="02.qlvt") and permanent.title not in _search(client, q="02.qlvt")
    assert ten.title in _search(client, q="tai trong")  # without diacritics
    assert ten.title in _search(client, year=ten.year, unit=ten.unit_id)
    assert ten.title not in _search(client, year=ten.year + 1)
    later = timezone.localdate() + timedelta(days=400)
    assert ten.title not in _search(client, date_from=f"{later:%d/%m/%Y}")


def test_api_search_request_decide_export(demo, client):
    record = archived(demo)
    outsider = demo["cv.khtc.nga"]
    client.force_login(outsider)
    listed = client.get("/api/archive/archived", {"q": "cấp phép"}).json()
    assert [r["id"] for r in listed["items"]] == [record.pk] and listed["items"][0]["file_code"] == record.file_code
    detail = client.get(f"/api/archive/archived/{record.pk}").json()
    assert (detail["readable"], detail["documents"]) == (False, [])
    assert client.get(f"/api/archive/archived/{record.pk}/pdf").status_code == 404
    made = client.post(f"/api/archive/archived/{record.pk}/access-requests", {"reason": "Tra cứu"},
                       content_type="application/json")
    assert made.status_code == 201 and made.json()["state"] == "pending"
    assert client.post(f"/api/archive/access-requests/{made.json()['id']}/decide", {"approve": True},
                       content_type="application/json").status_code == 404  # not one's own
    client.force_login(demo["cv.vp.hai"])
    refused = client.post(f"/api/archive/access-requests/{made.json()['id']}/decide", {"approve": False},
                          content_type="application/json")
    assert refused.status_code == 400 and "lý do không đồng ý" in str(refused.json())
    decided = client.post(f"/api/archive/access-requests/{made.json()['id']}/decide", {"approve": True},
                          content_type="application/json").json()
    assert decided["until"] == f"{timezone.localdate() + timedelta(days=30):%Y-%m-%d}"
    client.force_login(outsider)
    detail = client.get(f"/api/archive/archived/{record.pk}").json()
    assert detail["readable"] and detail["documents"][0]["files"][0]["url"] == _file_url(record)
    assert client.get(f"/api/archive/archived/{record.pk}/xml").content.startswith(b"<?xml")
    assert {"api", "export"} <= _log(outsider, record)
    assert [r["state"] for r in client.get("/api/archive/access-requests").json()["items"]] == ["approved"]
