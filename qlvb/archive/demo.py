"""Demo file plan: the current year's Danh mục hồ sơ of the Department, approved by the Director."""

from django.utils import timezone

from qlvb.organization.models import Person, Unit

from . import services
from .models import FilePlan

# (abbreviation of the unit, heading) → [(title, retention, username)]
PLAN = [
    ("VP", "Văn phòng", [
        ("Hồ sơ tổ chức, cán bộ năm {y}", "Vĩnh viễn", "cv.vp.hai"),
        ("Hồ sơ thi đua, khen thưởng năm {y}", "20 năm", "cv.vp.hai"),
    ]),
    ("KHTC", "Phòng Kế hoạch – Tài chính", [
        ("Hồ sơ kế hoạch, dự toán ngân sách năm {y}", "Vĩnh viễn", "cv.khtc.nga"),
        ("Hồ sơ quyết toán ngân sách năm {y}", "20 năm", "cv.khtc.son"),
    ]),
    ("QLVT", "Phòng Quản lý vận tải – phương tiện và người lái", [
        ("Hồ sơ trả lời UBND tỉnh về kế hoạch bảo trì đường bộ năm {y}", "10 năm", "cv.qlvt.long"),
        ("Hồ sơ cấp phù hiệu xe kinh doanh vận tải năm {y}", "5 năm", "cv.qlvt.trang"),
    ]),
    ("QLKCHT", "Phòng Quản lý kết cấu hạ tầng giao thông", [
        ("Hồ sơ bảo trì đường tỉnh năm {y}", "20 năm", "cv.kcht.dat"),
    ]),
]


def load(agency):
    year = timezone.localdate().year
    if FilePlan.objects.filter(year=year).exists():
        return
    people = {p.username: p for p in Person.objects.all()}
    clerk, director = people["vanthu"], people["giamdoc"]
    plan = services.create_plan(actor=clerk, year=year)
    for abbreviation, title, items in PLAN:
        unit = Unit.objects.filter(abbreviation=abbreviation).first()
        heading = services.add_heading(actor=clerk, plan=plan, title=title, unit=unit)
        for item_title, retention, username in items:
            services.add_item(actor=clerk, plan=plan, heading=heading, title=item_title.format(y=year),
                              retention=retention, responsible=people.get(username))
    services.approve_plan(actor=director, plan=plan)
