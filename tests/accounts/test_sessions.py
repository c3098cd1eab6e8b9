import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_session_expiry_slides_but_is_not_written_on_every_page(client, demo, settings):
    client.force_login(demo.vanthu)
    client.get(reverse("home"))
    session = Session.objects.get()
    first_expiry = session.expire_date
    client.get(reverse("home"))
    assert Session.objects.get().expire_date == first_expiry  # within the minute: no write
    store = client.session
    store["_touched"] = 0  # as if the last touch were long ago
    store.save()
    client.get(reverse("home"))
    assert Session.objects.get().expire_date > first_expiry


def test_sign_out_elsewhere_ends_the_other_session(demo):
    from django.test import Client

    from qlvb.organization.demo import DEMO_PASSWORD

    laptop, phone = Client(), Client()
    for c in (laptop, phone):
        assert c.post(reverse("login"), {"username": "vanthu", "password": DEMO_PASSWORD}).status_code == 302
    page = laptop.get(reverse("accounts:account")).content.decode()
    assert page.count("<tr>") >= 3  # header + two sessions
    laptop.post(reverse("accounts:sign_out_elsewhere"))
    assert phone.get(reverse("home")).status_code == 302  # back to the login page
    assert laptop.get(reverse("home")).status_code == 200


def test_password_policy_needs_three_character_classes(client, demo):
    client.force_login(demo.vanthu)
    from qlvb.organization.demo import DEMO_PASSWORD

    response = client.post(reverse("accounts:password_change"), {
        "old_password": DEMO_PASSWORD, "new_password1": "motmatkhaudai", "new_password2": "motmatkhaudai"})
    assert "3 trong 4 loại ký tự" in response.content.decode()
    response = client.post(reverse("accounts:password_change"), {
        "old_password": DEMO_PASSWORD, "new_password1": "Mat-Khau-Moi-2026", "new_password2": "Mat-Khau-Moi-2026"})
    assert response.status_code == 302
