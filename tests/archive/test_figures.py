"""The records' figures (issue 13 item 7; F-4.đ, F-6.a): per unit and per person, for a year, records
opened, closed, submitted to the archive on time and late — counted from what the viewer may see: their
own records, their unit's for a head, the agency's for its leaders."""

import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from qlvb.archive import submission
from qlvb.records import services
from qlvb.records.models import WorkRecord
from tests.factories import pdf_upload

pytestmark = pytest.mark.django_db


def _record(person, title, *, close=False):
    record = services.open_record(actor=person, title=title, code="02.X", retention="10 năm",
                                  start_date=date(2026, 1, 5))
    if close:
        services.add_note(actor=person, record=record, text="Tài liệu", upload=pdf_upload())
        record = services.close_record(actor=person, record=record, note="Xong")
    return record


@pytest.fixture
def year(demo):
    long, nga = demo["cv.qlvt.long"], demo["cv.khtc.nga"]
    on_time = _record(long, "Hồ sơ nộp đúng hạn", close=True)
    submission.submit(actor=long, record=on_time)
    late = _record(long, "Hồ sơ nộp trễ", close=True)
    # Closed two years ago: the one-year deadline has passed when it is submitted today.
    WorkRecord.objects.filter(pk=late.pk).update(closed_at=timezone.now() - timedelta(days=730))
    submission.accept(actor=demo["cv.vp.hai"], submissions=[submission.submit(actor=long, record=late)])
    _record(long, "Hồ sơ đang mở")
    _record(nga, "Hồ sơ kế hoạch tài chính")
    return timezone.localdate().year


def _line(lines, name):
    return next({k: line[k] for k in ("opened", "closed", "on_time", "late")} for line in lines if line["name"] == name)


def test_officer_sees_own_head_their_unit_leader_the_agency(demo, client, year):
    client.force_login(demo["cv.qlvt.long"])
    own = client.get(f"/api/archive/figures?year={year}").json()
    assert [line["name"] for line in own["people"]] == ["Tạ Văn Long"]
    assert _line(own["people"], "Tạ Văn Long") == {"opened": 3, "closed": 1, "on_time": 1, "late": 1}
    assert own["scope"] == "Hồ sơ của tôi"

    client.force_login(demo["tp.qlvt"])
    unit = client.get(f"/api/archive/figures?year={year}").json()
    assert [line["name"] for line in unit["units"]] == [demo["tp.qlvt"].unit.name]
    assert "Trịnh Thị Nga" not in str(unit)

    client.force_login(demo["giamdoc"])
    agency = client.get(f"/api/archive/figures?year={year}").json()
    assert len(agency["units"]) == 2 and agency["total"]["opened"] == 4 and agency["total"]["late"] == 1
    assert _line(agency["people"], demo["cv.khtc.nga"].full_name) == {"opened": 1, "closed": 0, "on_time": 0,
                                                                      "late": 0}
    assert client.get(f"/api/archive/figures?year={year - 1}").json()["total"]["opened"] == 0

    bad = client.get("/api/archive/figures?year=1900")
    assert bad.status_code == 400 and "Năm thống kê" in str(bad.json())


def test_page_and_excel(demo, client, year):
    client.force_login(demo["tp.qlvt"])
    page = client.get(reverse("archive:figures"), {"year": year}).content.decode()
    assert f"Thống kê hồ sơ năm {year}" in page and "Tạ Văn Long" in page
    assert "Trịnh Thị Nga" not in page
    response = client.get(reverse("archive:figures"), {"year": year, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content))["Theo cán bộ"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert ["Tạ Văn Long", 3, 1, 1, 1] in rows
