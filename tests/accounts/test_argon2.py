"""The suite hashes with MD5 for speed (tests/conftest.py); this proves once that the production
hasher, Argon2, stores and checks passwords through the login page."""

import pytest
from django.urls import reverse

from qlvb import settings as production
from qlvb.organization.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_login_with_a_password_hashed_by_argon2(client, demo, settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    person = demo.vanthu
    person.set_password(DEMO_PASSWORD)
    person.save()
    person.refresh_from_db()
    assert person.password.startswith("argon2$argon2id$")

    wrong = client.post(reverse("login"), {"username": "vanthu", "password": DEMO_PASSWORD + "x"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in wrong.content.decode()
    response = client.post(reverse("login"), {"username": "vanthu", "password": DEMO_PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("home")
    assert "Nguyễn Thị Hoa" in response.content.decode()
