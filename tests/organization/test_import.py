"""Importing units and people from CSV/XLSX: all rows or none, with the bad rows named."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from qlvb.organization.models import Person, Unit

pytestmark = pytest.mark.django_db

HEADER = "Tên đăng nhập,Họ và tên,Thư điện tử,Điện thoại,Ký hiệu đơn vị,Chức vụ,Vai trò bổ sung,Mật khẩu tạm\n"


def csv_upload(text: str, name="can-bo.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_people_import_with_one_bad_row_imports_nothing_and_names_the_row(client, demo):
    client.force_login(demo.quantri)
    rows = (
        HEADER
        + "cv.moi1,Nguyễn Văn Một,mot@sgtvt.vn,,KHTC,Chuyên viên,,MatKhauTam@2026\n"
        + "cv.moi2,Trần Thị Hai,hai@sgtvt.vn,,KHONGCO,Chuyên viên,,MatKhauTam@2026\n"
        + "cv.moi3,Lê Văn Ba,ba@sgtvt.vn,,QLVT,Chuyên viên,,MatKhauTam@2026\n"
    )
    response = client.post(reverse("administration:index"), {"kind": "people", "file": csv_upload(rows)})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Dòng 3" in page and "KHONGCO" in page
    assert not Person.objects.filter(username__startswith="cv.moi").exists()


def test_people_import_from_xlsx_creates_people_who_can_log_in(client, demo):
    client.force_login(demo.quantri)
    template = client.get(reverse("administration:import_template", args=["people"]))
    workbook = load_workbook(io.BytesIO(template.content))
    sheet = workbook.active
    sheet.delete_rows(2)
    sheet.append(["cv.moi", "Phạm Văn Mới", "moi@sgtvt.vn", "0912000111", "QLVT", "Chuyên viên", "Văn thư",
                  "MatKhauTam@2026"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("can-bo.xlsx", buffer.getvalue())
    response = client.post(reverse("administration:index"), {"kind": "people", "file": upload}, follow=True)
    assert "Đã nhập 1 dòng" in response.content.decode()
    person = Person.objects.get(username="cv.moi")
    assert person.unit.abbreviation == "QLVT"
    assert person.has_role("clerk") and person.has_role("officer")
    assert person.check_password("MatKhauTam@2026")


def test_unit_import_builds_the_tree(client, demo):
    client.force_login(demo.quantri)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Ký hiệu", "Tên đơn vị", "Ký hiệu đơn vị cấp trên", "Loại đơn vị", "Thứ tự"])
    sheet.append(["PC", "Phòng Pháp chế", "", "Phòng chuyên môn", "9"])
    sheet.append(["PC-TH", "Tổ tổng hợp", "PC", "Phòng chuyên môn", "10"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(reverse("administration:index"),
                           {"kind": "units", "file": SimpleUploadedFile("dv.xlsx", buffer.getvalue())})
    assert response.status_code == 302
    assert Unit.objects.get(abbreviation="PC-TH").parent.abbreviation == "PC"


def test_weak_temporary_password_is_refused_per_row(client, demo):
    client.force_login(demo.quantri)
    rows = HEADER + "cv.yeu,Nguyễn Văn Yếu,,,KHTC,Chuyên viên,,123456\n"
    response = client.post(reverse("administration:index"), {"kind": "people", "file": csv_upload(rows)})
    assert response.status_code == 400
    assert "Dòng 2" in response.content.decode()
    assert not Person.objects.filter(username="cv.yeu").exists()


def test_garbage_file_gets_a_clear_message(client, demo):
    client.force_login(demo.quantri)
    upload = SimpleUploadedFile("x.xlsx", b"PK\x03\x04garbage")
    response = client.post(reverse("administration:index"), {"kind": "people", "file": upload})
    assert response.status_code == 400
    assert "Không đọc được tệp Excel" in response.content.decode()


def test_officer_cannot_import(client, demo):
    client.force_login(demo["cv.qlvt.long"])
    rows = HEADER + "cv.x,X,,,KHTC,Chuyên viên,,MatKhauTam@2026\n"
    response = client.post(reverse("administration:index"), {"kind": "people", "file": csv_upload(rows)})
    assert response.status_code == 403
    assert not Person.objects.filter(username="cv.x").exists()
