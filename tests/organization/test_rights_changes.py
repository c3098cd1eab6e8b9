"""F-3.c (Decree 30 PL VI I.III.3.c; TT 01/2019): a change to a person's access rights — roles, unit,
position, keeping a confidential register — alerts the administrators and the person, is written to the
audit trail with before and after, and stays flagged until an administrator confirms it. Exercised
through the pages administrators use: the Django admin forms, the import page, the confirmation list."""

import pytest
from django.core import mail
from django.urls import reverse

from qlvb.audit.models import AuditEntry
from qlvb.documents.models import Register
from qlvb.documents.services import registers_for_year
from qlvb.monitoring.models import Notification
from qlvb.organization import rights
from qlvb.organization.models import Person, Position, RightsChange, RoleGrant, Unit
from tests.organization.test_import import HEADER, csv_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_admin(demo):
    """A second administrator (granted outside any request: setting up, not a watched change)."""
    RoleGrant.objects.create(person=demo["cv.vp.hai"], role="admin")
    return Person.objects.get(username="cv.vp.hai")


def _person_form(person, **changes) -> dict:
    data = {"username": person.username, "full_name": person.full_name, "email": person.email,
            "phone": person.phone, "unit": person.unit_id or "", "position": person.position_id or "",
            "is_active": "on", "role_grants-TOTAL_FORMS": "0", "role_grants-INITIAL_FORMS": "0",
            "role_grants-MIN_NUM_FORMS": "0", "role_grants-MAX_NUM_FORMS": "1000"}
    return data | changes


def test_admin_form_change_alerts_audits_and_waits_for_confirmation(client, demo, second_admin,
                                                                    django_capture_on_commit_callbacks):
    """F-3.c: moving an officer to another unit and granting a role in one admin form save is one
    flagged change, audited with before/after, notified to the person (in-app and e-mail) and to the
    other administrators; it stays in "Thay đổi quyền chờ xác nhận" until confirmed, and confirming is
    audited."""
    officer = demo["cv.qlvt.long"]
    khtc = Unit.objects.get(abbreviation="KHTC")
    client.force_login(demo.quantri)
    form = _person_form(officer, unit=khtc.pk, **{"role_grants-TOTAL_FORMS": "1", "role_grants-0-role": "clerk"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:organization_person_change", args=[officer.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]

    change = RightsChange.objects.get(person=officer)
    assert change.confirmed_at is None and change.changed_by == demo.quantri
    assert {what: (old, new) for what, old, new in change.differences()} == {
        "Vai trò": ("Chuyên viên", "Văn thư, Chuyên viên"),
        "Đơn vị": ("Phòng Quản lý vận tải – phương tiện và người lái", "Phòng Kế hoạch – Tài chính")}
    audited = AuditEntry.objects.filter(action="organization.rights_changed", changes__person=officer.pk)
    assert audited.exists()
    assert all("before" in e.changes and "after" in e.changes for e in audited)
    assert audited.order_by("id").first().changes["before"]["unit"]["name"].startswith("Phòng Quản lý vận tải")

    mine = Notification.objects.get(recipient=officer, kind="rights_changed")
    assert "Phòng Kế hoạch – Tài chính" in mine.text
    assert any(m.to == [officer.email] and "Phòng Kế hoạch – Tài chính" in m.body for m in mail.outbox)
    alert = Notification.objects.get(recipient=second_admin, kind="rights_changed")
    assert officer.full_name in alert.text and alert.link == reverse("administration:rights_changes")
    assert not Notification.objects.filter(recipient=demo.quantri, kind="rights_changed").exists()

    client.force_login(second_admin)
    assert "1</span>" in client.get(reverse("administration:index")).content.decode()  # the pending badge
    page = client.get(reverse("administration:rights_changes")).content.decode()
    pending = page.split('data-testid="rights-pending"')[1].split("</table>")[0]
    assert officer.full_name in pending and "Văn thư, Chuyên viên" in pending
    response = client.post(reverse("administration:confirm_rights_changes"), {"change": [change.pk]}, follow=True)
    assert "Đã xác nhận 1 thay đổi quyền" in response.content.decode()
    change.refresh_from_db()
    assert change.confirmed_by == second_admin and change.confirmed_at is not None
    assert AuditEntry.objects.filter(action="organization.rights_change_confirmed", actor=second_admin,
                                     object_id=str(change.pk)).exists()
    page = client.get(reverse("administration:rights_changes")).content.decode()
    assert officer.full_name not in page.split('data-testid="rights-pending"')[1].split("</table>")[0]


def test_own_rights_change_needs_another_administrator(client, demo, second_admin):
    """F-3.c: the confirmation is a second pair of eyes: an administrator cannot confirm a change to
    their own rights."""
    client.force_login(second_admin)
    client.post(reverse("admin:organization_person_change", args=[demo.quantri.pk]),
                _person_form(demo.quantri, unit=Unit.objects.get(abbreviation="KHTC").pk))
    change = RightsChange.objects.get(person=demo.quantri)
    client.force_login(demo.quantri)
    response = client.post(reverse("administration:confirm_rights_changes"), {"change": [change.pk]}, follow=True)
    assert "phải do quản trị viên khác xác nhận" in response.content.decode()
    change.refresh_from_db()
    assert change.confirmed_at is None


def test_import_changes_are_caught_and_a_failed_import_leaves_none(client, demo):
    """F-3.c: rights changed by the CSV/XLSX import are flagged like any other; an import refused for a
    bad row changes nobody's rights and flags nothing."""
    client.force_login(demo.quantri)
    long = demo["cv.qlvt.long"]
    bad = HEADER + f"{long.username},{long.full_name},{long.email},,KHTC,Chuyên viên,,\nx,X,,,KHONGCO,Chuyên viên,,\n"
    assert client.post(reverse("administration:index"), {"kind": "people", "file": csv_upload(bad)}).status_code == 400
    assert not RightsChange.objects.exists()

    good = HEADER + (f"{long.username},{long.full_name},{long.email},,KHTC,Chuyên viên,,\n"
                     "cv.moi,Phạm Văn Mới,moi@sgtvt.vn,,QLVT,Chuyên viên,Văn thư,MatKhauTam@2026\n")
    client.post(reverse("administration:index"), {"kind": "people", "file": csv_upload(good, "nhap.csv")})
    moved = RightsChange.objects.get(person=long)
    assert moved.origin == "Nhập cán bộ từ tệp nhap.csv"
    assert [what for what, _old, _new in moved.differences()] == ["Đơn vị"]
    new = RightsChange.objects.get(person__username="cv.moi")
    assert new.is_new_account and new.after["roles"] == ["clerk", "officer"]


def test_confidential_register_keepers_changed_in_the_admin_are_caught(client, demo):
    """F-3.c: who keeps a confidential register is an access right (they see its documents): adding
    and removing keepers on the register's admin form flags each person."""
    register = Register.objects.filter(kind="incoming", is_confidential=True).latest("year")
    assert list(register.keepers.all()) == [demo["vanthu.mat"]]
    client.force_login(demo.quantri)
    form = {"agency": register.agency_id, "kind": register.kind, "year": register.year, "code": register.code,
            "name": register.name, "is_confidential": "on", "is_active": "on", "keepers": [demo.vanthu.pk]}
    response = client.post(reverse("admin:documents_register_change", args=[register.pk]), form)
    assert response.status_code == 302
    gained = RightsChange.objects.get(person=demo.vanthu)
    assert gained.differences() == [("Quản lý sổ văn bản mật", "—", f"{register.name} {register.year}")]
    lost = RightsChange.objects.get(person=demo["vanthu.mat"])
    assert lost.before["keeps"] and not [k for k in lost.after["keeps"] if k["id"] == register.pk]


def test_a_position_role_change_flags_everyone_holding_it(client, demo):
    """F-3.c: a position's role is the role of its holders; changing it changes their rights."""
    position = Position.objects.get(name="Văn thư")
    client.force_login(demo.quantri)
    response = client.post(reverse("admin:organization_position_change", args=[position.pk]),
                           {"name": position.name, "role": "officer", "rank": position.rank})
    assert response.status_code == 302
    assert set(RightsChange.objects.values_list("person__username", flat=True)) == {"vanthu", "vanthu.mat"}
    # vanthu.mat also holds the clerk role by grant: only the officer role is added
    assert RightsChange.objects.get(person=demo["vanthu.mat"]).after["roles"] == ["clerk", "officer"]


def test_next_years_register_opened_from_this_years_is_not_a_new_right(demo):
    """The yearly register opened from last year's keeps the same keepers: the same right, no alert."""
    register = Register.objects.filter(kind="incoming", is_confidential=True).latest("year")
    with rights.acting(demo.vanthu, "test"):
        registers_for_year(agency=register.agency, kind="incoming", year=register.year + 1)
    assert Register.objects.get(code=register.code, year=register.year + 1).keepers.filter(
        pk=demo["vanthu.mat"].pk).exists()
    assert not RightsChange.objects.exists()


def test_only_administrators_see_and_confirm_the_list(client, demo):
    client.force_login(demo.giamdoc)
    assert client.get(reverse("administration:rights_changes")).status_code == 403
    assert client.post(reverse("administration:confirm_rights_changes"), {"change": ["1"]}).status_code == 403


def test_a_bulk_import_alerts_each_administrator_once_and_mails_by_preference(client, demo, second_admin,
                                                                              django_capture_on_commit_callbacks):
    """F-3.c alerts, without a flood: three people changed by one import give the other administrator one
    unread alert that counts them; each person is told, by e-mail only if they keep that kind on."""
    from qlvb.monitoring.services import set_email_kinds

    set_email_kinds(actor=demo["cv.qlvt.trang"], kinds=["assigned"])  # opted out of rights e-mails
    rows = "".join(f"{p.username},{p.full_name},{p.email},,KHTC,Chuyên viên,,\n"
                   for p in (demo["cv.qlvt.long"], demo["cv.qlvt.trang"], demo["cv.qlvt.quan"]))
    client.force_login(demo.quantri)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("administration:index"), {"kind": "people", "file": csv_upload(HEADER + rows)})
    alert = Notification.objects.get(recipient=second_admin, kind="rights_changed")
    assert alert.text.startswith("3 thay đổi quyền truy cập chờ xác nhận")
    told = set(Notification.objects.filter(kind="rights_changed").exclude(recipient=second_admin)
               .values_list("recipient__username", flat=True))
    assert told == {"cv.qlvt.long", "cv.qlvt.trang", "cv.qlvt.quan"}
    mailed = {address for m in mail.outbox for address in m.to}
    assert demo["cv.qlvt.long"].email in mailed and demo["cv.qlvt.trang"].email not in mailed


def test_a_refused_import_tells_nobody(client, demo, second_admin, django_capture_on_commit_callbacks):
    """A change rolled back (an import refused for a bad row) flags and notifies nothing."""
    long = demo["cv.qlvt.long"]
    bad = HEADER + f"{long.username},{long.full_name},{long.email},,KHTC,Chuyên viên,,\nx,X,,,KHONGCO,Chuyên viên,,\n"
    client.force_login(demo.quantri)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("administration:index"), {"kind": "people", "file": csv_upload(bad)})
    assert not RightsChange.objects.exists()
    assert not Notification.objects.filter(kind="rights_changed").exists()


def test_turning_a_register_ordinary_changes_its_keepers_rights(client, demo):
    """F-3.c: a register that stops being confidential takes that right from its keepers."""
    register = Register.objects.filter(kind="incoming", is_confidential=True).latest("year")
    client.force_login(demo.quantri)
    form = {"agency": register.agency_id, "kind": register.kind, "year": register.year, "code": register.code,
            "name": register.name, "is_active": "on", "keepers": [demo["vanthu.mat"].pk]}
    assert client.post(reverse("admin:documents_register_change", args=[register.pk]), form).status_code == 302
    change = RightsChange.objects.get(person=demo["vanthu.mat"])
    assert f"{register.name} {register.year}" in change.differences()[0][1]
