"""The demo agency: a provincial Department of Transport with its leaders, units and staff."""

from django.db import transaction

from .models import Agency, Field, Person, Position, Role, RoleGrant, Unit

DEMO_PASSWORD = "DemoQLVB@2026"

POSITIONS = [
    # name, role, rank, deputy
    ("Giám đốc", Role.LEADER, 10, False),
    ("Phó Giám đốc", Role.LEADER, 20, True),
    ("Chánh Văn phòng", Role.HEAD, 30, False),
    ("Chánh Thanh tra", Role.HEAD, 30, False),
    ("Trưởng phòng", Role.HEAD, 30, False),
    ("Giám đốc Trung tâm", Role.HEAD, 30, False),
    ("Phó Chánh Văn phòng", Role.HEAD, 40, True),
    ("Phó Chánh Thanh tra", Role.HEAD, 40, True),
    ("Phó Trưởng phòng", Role.HEAD, 40, True),
    ("Phó Giám đốc Trung tâm", Role.HEAD, 40, True),
    ("Chuyên viên", Role.OFFICER, 50, False),
    ("Thanh tra viên", Role.OFFICER, 50, False),
    ("Văn thư", Role.CLERK, 60, False),
    ("Quản trị hệ thống", Role.ADMIN, 70, False),
    ("Cán bộ theo dõi chỉ số", Role.REPORTER, 80, False),
]

UNITS = [
    # abbreviation, name, kind, parent
    ("BGĐ", "Ban Giám đốc", Unit.Kind.LEADERSHIP, None),
    ("VP", "Văn phòng", Unit.Kind.OFFICE, None),
    ("KHTC", "Phòng Kế hoạch – Tài chính", Unit.Kind.DIVISION, None),
    ("QLVT", "Phòng Quản lý vận tải – phương tiện và người lái", Unit.Kind.DIVISION, None),
    ("QLKCHT", "Phòng Quản lý kết cấu hạ tầng giao thông", Unit.Kind.DIVISION, None),
    ("TTr", "Thanh tra Sở", Unit.Kind.INSPECTORATE, None),
    ("TTĐK", "Trung tâm Đăng kiểm xe cơ giới", Unit.Kind.SUBORDINATE, None),
]

PEOPLE = [
    # username, full name, unit, position
    ("giamdoc", "Nguyễn Văn Hùng", "BGĐ", "Giám đốc"),
    ("pgd.mai", "Trần Thị Mai", "BGĐ", "Phó Giám đốc"),
    ("pgd.minh", "Lê Quang Minh", "BGĐ", "Phó Giám đốc"),
    ("pgd.dung", "Hoàng Văn Dũng", "BGĐ", "Phó Giám đốc"),
    ("cvp.lan", "Phạm Thị Lan", "VP", "Chánh Văn phòng"),
    ("pcvp.tuan", "Đỗ Anh Tuấn", "VP", "Phó Chánh Văn phòng"),
    ("vanthu", "Nguyễn Thị Hoa", "VP", "Văn thư"),
    ("vanthu.mat", "Bùi Thị Thu", "VP", "Văn thư"),
    ("cv.vp.hai", "Vũ Đức Hải", "VP", "Chuyên viên"),
    ("quantri", "Đặng Quốc Bảo", "VP", "Quản trị hệ thống"),
    ("tp.khtc", "Ngô Thị Hương", "KHTC", "Trưởng phòng"),
    ("ptp.khtc", "Lý Văn Thành", "KHTC", "Phó Trưởng phòng"),
    ("cv.khtc.nga", "Trịnh Thị Nga", "KHTC", "Chuyên viên"),
    ("cv.khtc.son", "Mai Xuân Sơn", "KHTC", "Chuyên viên"),
    ("cv.khtc.linh", "Đinh Khánh Linh", "KHTC", "Chuyên viên"),
    ("tp.qlvt", "Phan Văn Đức", "QLVT", "Trưởng phòng"),
    ("ptp.qlvt", "Dương Thị Yến", "QLVT", "Phó Trưởng phòng"),
    ("cv.qlvt.long", "Tạ Văn Long", "QLVT", "Chuyên viên"),
    ("cv.qlvt.trang", "Cao Thu Trang", "QLVT", "Chuyên viên"),
    ("cv.qlvt.quan", "Hà Minh Quân", "QLVT", "Chuyên viên"),
    ("tp.kcht", "Lương Văn Cường", "QLKCHT", "Trưởng phòng"),
    ("ptp.kcht", "Kiều Thị Phương", "QLKCHT", "Phó Trưởng phòng"),
    ("cv.kcht.dat", "Nông Tiến Đạt", "QLKCHT", "Chuyên viên"),
    ("cv.kcht.thao", "Triệu Thị Thảo", "QLKCHT", "Chuyên viên"),
    ("cv.kcht.nam", "Hứa Văn Nam", "QLKCHT", "Chuyên viên"),
    ("ctt.binh", "Lâm Văn Bình", "TTr", "Chánh Thanh tra"),
    ("pctt.ha", "Quách Thị Hà", "TTr", "Phó Chánh Thanh tra"),
    ("ttv.khoa", "Âu Đăng Khoa", "TTr", "Thanh tra viên"),
    ("ttv.my", "Tô Thị Mỹ", "TTr", "Thanh tra viên"),
    ("gd.ttdk", "La Văn Thắng", "TTĐK", "Giám đốc Trung tâm"),
    ("pgd.ttdk", "Hoàng Thị Ngọc", "TTĐK", "Phó Giám đốc Trung tâm"),
    ("cv.ttdk.vinh", "Chu Quang Vinh", "TTĐK", "Chuyên viên"),
    ("cv.ttdk.tam", "Mạc Thị Tâm", "TTĐK", "Chuyên viên"),
    ("ict.sotttt", "Võ Thanh Tùng", None, "Cán bộ theo dõi chỉ số"),
]

FIELDS = [
    # code, name, leader, units
    ("VT", "Vận tải, phương tiện và người lái", "pgd.mai", ["QLVT", "TTĐK"]),
    ("KCHT", "Kết cấu hạ tầng giao thông", "pgd.minh", ["QLKCHT"]),
    ("KHTC", "Kế hoạch, tài chính và đầu tư", "pgd.dung", ["KHTC"]),
    ("TTR", "Thanh tra, pháp chế và an toàn giao thông", "pgd.dung", ["TTr"]),
    ("TCHC", "Tổ chức, hành chính", "giamdoc", ["VP"]),
]

# One login per role, printed by the run command.
LOGINS = [
    ("Văn thư", "vanthu"),
    ("Giám đốc", "giamdoc"),
    ("Phó Giám đốc", "pgd.mai"),
    ("Trưởng phòng", "tp.qlvt"),
    ("Chuyên viên", "cv.qlvt.long"),
    ("Quản trị hệ thống", "quantri"),
    ("Xem báo cáo (Sở TT&TT)", "ict.sotttt"),
]


@transaction.atomic
def load() -> Agency:
    """Create or refresh the demo organisation; safe to run twice."""
    agency, _ = Agency.objects.update_or_create(
        short_name="SGTVT",
        defaults={
            "name": "Sở Giao thông vận tải tỉnh Bắc Kạn",
            "parent_name": "UBND tỉnh Bắc Kạn",
            "identifier": "000.00.15.H03",
            "place_name": "Bắc Kạn",
            "email": "sgtvt@backan.gov.vn",
            "address": "Tổ 1, phường Đức Xuân, thành phố Bắc Kạn",
        },
    )
    positions = {}
    for name, role, rank, deputy in POSITIONS:
        positions[name], _ = Position.objects.update_or_create(
            name=name, defaults={"role": role, "rank": rank, "is_deputy": deputy}
        )
    units = {}
    for order, (code, name, kind, parent) in enumerate(UNITS):
        units[code], _ = Unit.objects.update_or_create(
            agency=agency, abbreviation=code,
            defaults={"name": name, "kind": kind, "order": order, "parent": units.get(parent)},
        )
    people = {}
    for username, full_name, unit, position in PEOPLE:
        person = Person.objects.filter(username=username).first() or Person(username=username)
        person.full_name, person.email = full_name, f"{username}@sgtvt.backan.gov.vn"
        person.unit, person.position = units.get(unit), positions[position]
        if not person.pk:
            person.set_password(DEMO_PASSWORD)
        person.save()
        people[username] = person
    RoleGrant.objects.get_or_create(person=people["vanthu.mat"], role=Role.CLERK)
    # The office's officer Hải also keeps the agency archive (Lưu trữ cơ quan): receives records submitted.
    RoleGrant.objects.get_or_create(person=people["cv.vp.hai"], role=Role.ARCHIVIST)
    for code, name, leader, unit_codes in FIELDS:
        field, _ = Field.objects.update_or_create(code=code, defaults={"name": name, "leader": people[leader]})
        field.units.set([units[c] for c in unit_codes])
    return agency
