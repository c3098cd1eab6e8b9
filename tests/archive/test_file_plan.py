"""The file plan (Danh mục hồ sơ, Decree 30 Art 28, Annex V): drafted by the office, approved by the
Director, numbered by heading, carried forward, exported to and imported from Excel."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from qlvb.archive import services
from qlvb.archive.models import FilePlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(demo):
    clerk = demo.vanthu
    plan = services.create_plan(actor=clerk, year=2026)
    staff = services.add_heading(actor=clerk, plan=plan, title="Tổ chức, cán bộ", abbreviation="tccb")
    services.add_item(actor=clerk, plan=plan, heading=staff, title="Hồ sơ tuyển dụng công chức năm 2026",
                      retention="Vĩnh viễn", responsible=demo["cv.vp.hai"])
    transport = services.add_heading(actor=clerk, plan=plan, title="Quản lý vận tải", abbreviation="QLVT")
    licences = services.add_heading(actor=clerk, plan=plan, title="Cấp phép vận tải", parent=transport)
    services.add_item(actor=clerk, plan=plan, heading=licences, title="Hồ sơ cấp phù hiệu xe năm 2026",
                      retention="10 năm", responsible=demo["cv.qlvt.long"])
    services.add_item(actor=clerk, plan=plan, heading=staff, title="Hồ sơ nâng lương năm 2026", retention="20",
                      notes="Theo quý")
    return plan


def _codes(plan):
    return [(item.code, item.title) for _h, items in services.ordered(plan) for item in items]


def test_headings_numbered_roman_then_arabic_and_codes_follow_the_setting(plan):
    numbers = [h.number for h, _items in services.ordered(plan)]
    assert numbers == ["I", "II", "1"]
    assert [code for code, _t in _codes(plan)] == ["01.TCCB", "02.TCCB", "03.QLVT"]
    services.set_numbering(actor=plan.drafted_by, plan=plan, numbering=FilePlan.Numbering.PER_HEADING)
    assert [code for code, _t in _codes(plan)] == ["01.TCCB", "02.TCCB", "01.QLVT"]


def test_office_drafts_director_approves_then_frozen(demo, plan):
    with pytest.raises(PermissionDenied):
        services.create_plan(actor=demo["cv.qlvt.long"], year=2027)
    with pytest.raises(PermissionDenied):
        services.approve_plan(actor=demo["pgd.mai"], plan=plan)  # a deputy does not issue the plan
    services.approve_plan(actor=demo.giamdoc, plan=plan)
    plan.refresh_from_db()
    assert plan.state == FilePlan.State.APPROVED and plan.approved_by == demo.giamdoc
    heading = plan.headings.first()
    with pytest.raises(ValidationError, match="đã được phê duyệt"):
        services.add_item(actor=demo.vanthu, plan=plan, heading=heading, title="Muộn", retention="5 năm")
    assert "Danh mục hồ sơ năm 2026 đã ban hành" in demo["cv.qlvt.long"].notifications.get().text


def test_retention_must_be_permanent_or_years(demo, plan):
    heading = plan.headings.first()
    with pytest.raises(ValidationError) as refused:
        services.add_item(actor=demo.vanthu, plan=plan, heading=heading, title="X", retention="mãi mãi")
    assert "Thời hạn bảo quản" in str(refused.value)


def test_copy_forward_keeps_headings_and_records_as_a_draft(demo, plan):
    services.approve_plan(actor=demo.giamdoc, plan=plan)
    copy = services.copy_plan(actor=demo.vanthu, source=plan)
    assert copy.year == 2027 and copy.is_draft and copy.copied_from == plan
    assert _codes(copy) == _codes(plan)
    assert [i.retention for i in copy.items.order_by("ordinal")] == ["Vĩnh viễn", "20 năm", "10 năm"]


def test_xlsx_round_trip(demo, plan, client):
    client.force_login(demo.vanthu)
    response = client.get(reverse("archive:plan_export", args=[plan.pk]))
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    values = [list(row) for row in sheet.iter_rows(min_row=4, values_only=True)]
    assert values[0][:2] == ["I", "Tổ chức, cán bộ"] and values[0][5] == "TCCB"
    assert values[1][:3] == ["01.TCCB", "Hồ sơ tuyển dụng công chức năm 2026", "Vĩnh viễn"]
    other = services.create_plan(actor=demo.vanthu, year=2030)
    services.import_xlsx(actor=demo.vanthu, plan=other, upload=SimpleUploadedFile("dm.xlsx", content))
    assert _codes(other) == _codes(plan)
    assert [h.number for h, _i in services.ordered(other)] == ["I", "II", "1"]


def test_import_names_the_line_it_refuses(demo):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Số và ký hiệu hồ sơ", "Tên đề mục và tiêu đề hồ sơ", "Thời hạn bảo quản"])
    book.active.append(["I", "Tổ chức", None])
    book.active.append(["01.TC", "Hồ sơ A", "lâu dài"])
    out = io.BytesIO()
    book.save(out)
    plan = services.create_plan(actor=demo.vanthu, year=2031)
    with pytest.raises(ValidationError, match="Dòng 3"):
        services.import_xlsx(actor=demo.vanthu, plan=plan, upload=SimpleUploadedFile("x.xlsx", out.getvalue()))


def test_pages_draft_visible_to_office_and_leaders_only(demo, plan, client):
    client.force_login(demo["cv.qlvt.long"])
    assert client.get(reverse("archive:plan", args=[plan.pk])).status_code == 404
    assert "năm 2026" not in client.get(reverse("archive:plans")).content.decode()
    client.force_login(demo.giamdoc)
    page = client.get(reverse("archive:plan", args=[plan.pk])).content.decode()
    assert "Phê duyệt, ban hành" in page and "01.TCCB" in page
    response = client.post(reverse("archive:plan_action", args=[plan.pk, "approve"]), follow=True)
    assert "Đã phê duyệt, ban hành danh mục hồ sơ." in response.content.decode()
    client.force_login(demo["cv.qlvt.long"])
    page = client.get(reverse("archive:plan", args=[plan.pk])).content.decode()
    assert "Hồ sơ cấp phù hiệu xe năm 2026" in page and "Lập hồ sơ" in page


def test_page_adds_heading_and_item_and_refusal_names_field(demo, client):
    client.force_login(demo.vanthu)
    client.post(reverse("archive:plans"), {"year": 2029, "numbering": "continuous"})
    plan = FilePlan.objects.get(year=2029)
    client.post(reverse("archive:plan_action", args=[plan.pk, "heading"]), {"title": "Kế hoạch", "abbreviation": "KH"})
    heading = plan.headings.get()
    response = client.post(reverse("archive:plan_action", args=[plan.pk, "item"]),
                           {"heading": heading.pk, "title": "Kế hoạch năm", "retention": ""}, follow=True)
    assert "Nhập thời hạn bảo quản" in response.content.decode()
    response = client.post(reverse("archive:plan_action", args=[plan.pk, "item"]),
                           {"heading": heading.pk, "title": "Kế hoạch năm", "retention": "Vĩnh viễn"}, follow=True)
    assert "01.KH" in response.content.decode()


def test_api_lists_and_approves(demo, plan, client):
    client.force_login(demo.giamdoc)
    body = client.get(f"/api/archive/plans/{plan.pk}").json()
    assert [i["code"] for i in body["items"]] == ["01.TCCB", "02.TCCB", "03.QLVT"]
    assert client.post(f"/api/archive/plans/{plan.pk}/approve").json()["state"] == "approved"
    client.force_login(demo["cv.qlvt.long"])
    assert client.post("/api/archive/plans", {"year": 2040}, content_type="application/json").status_code == 403


def test_import_refuses_what_is_not_a_spreadsheet(demo):
    plan = services.create_plan(actor=demo.vanthu, year=2032)
    with pytest.raises(ValidationError) as refused:
        services.import_xlsx(actor=demo.vanthu, plan=plan, upload=SimpleUploadedFile("x.xlsx", b"PK\x03\x04 rubbish"))
    assert "file" in refused.value.message_dict
