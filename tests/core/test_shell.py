"""The application shell: login, menus by role, error pages, health."""

import pytest
from django.urls import reverse

from qlvb.audit.models import AuditEntry
from qlvb.organization.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_wrong_password_shows_vietnamese_error_and_is_audited(client, demo):
    response = client.post(reverse("login"), {"username": "vanthu", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    assert AuditEntry.objects.filter(action="auth.login_failed", changes__username="vanthu").exists()


def test_login_with_demo_password_reaches_home(client, demo):
    response = client.post(reverse("login"), {"username": "vanthu", "password": DEMO_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Nguyễn Thị Hoa" in response.content.decode()
    assert AuditEntry.objects.filter(action="auth.login", actor=demo.vanthu).exists()


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("path", ["/administration/", "/admin/", "/admin/organization/person/"])
def test_officer_gets_403_page_on_admin_pages(client, demo, path):
    client.force_login(demo["cv.qlvt.long"])
    response = client.get(path)
    assert response.status_code == 403
    assert "Bạn không có quyền truy cập trang này" in response.content.decode()
    assert AuditEntry.objects.filter(action="access.denied", actor=demo["cv.qlvt.long"],
                                     changes__path=path).exists()


def test_administrator_opens_admin_pages(client, demo):
    client.force_login(demo.quantri)
    assert client.get("/administration/").status_code == 200
    assert client.get("/admin/organization/person/").status_code == 200


def test_menu_follows_role(client, demo):
    client.force_login(demo.quantri)
    admin_page = client.get(reverse("home")).content.decode()
    client.force_login(demo["cv.qlvt.long"])
    officer_page = client.get(reverse("home")).content.decode()
    assert reverse("administration:index") in admin_page
    assert reverse("administration:index") not in officer_page


def test_404_page_is_vietnamese(client, demo):
    client.force_login(demo.vanthu)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


def test_healthz_reports_database_and_storage(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["ok"] and body["checks"]["storage"]["ok"]


def test_healthz_reports_unwritable_storage(client, db, settings, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    settings.QLVB_FILES_DIR = blocker / "files"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["ok"] is False


def test_pages_carry_security_headers(client, demo):
    client.force_login(demo.vanthu)
    response = client.get(reverse("home"))
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_english_is_available(client, demo):
    client.force_login(demo.vanthu)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("incoming:inbox")).content.decode()
    assert "Incoming documents" in page and "Văn bản đến" not in page
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Văn bản đến" in client.get(reverse("incoming:inbox")).content.decode()


def test_an_english_browser_still_gets_vietnamese(client, demo):
    client.force_login(demo.vanthu)
    page = client.get(reverse("incoming:inbox"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Văn bản đến" in page
