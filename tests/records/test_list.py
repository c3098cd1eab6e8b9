"""The work-record list: open ones first, closed ones a tab away, folded search, pages."""

import pytest
from django.urls import reverse

from qlvb.records import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_records(demo):
    officer = demo["cv.qlvt.long"]
    kept = services.open_record(actor=officer, title="Đề án đổi mới đăng kiểm xe cơ giới")
    closed = services.open_record(actor=officer, title="Báo cáo an toàn giao thông quý III", code="05.QLVT",
                                  retention="10 năm")
    services.close_record(actor=officer, record=closed)
    for i in range(30):
        services.open_record(actor=officer, title=f"Hồ sơ số {i}")
    return officer, kept, closed


def _page(client, **params) -> str:
    return client.get(reverse("records:list"), params).content.decode()


def test_open_by_default_closed_on_their_tab(client, officer_records):
    officer, kept, closed = officer_records
    client.force_login(officer)
    assert closed.title not in _page(client, q="bao cao")
    assert closed.title in _page(client, status="closed")
    assert closed.title in _page(client, status="all", q="an toan giao thong")


def test_search_ignores_accents_and_d(client, officer_records):
    officer, kept, _closed = officer_records
    client.force_login(officer)
    assert kept.title in _page(client, q="doi moi DANG KIEM")
    assert kept.title not in _page(client, q="dang kiem tau")


def test_pages_of_25_and_others_records_stay_hidden(client, demo, officer_records):
    officer, kept, _closed = officer_records
    client.force_login(officer)
    first, second = _page(client), _page(client, page=2)
    assert first.count('href="/records/') >= 25 and "Trang 1/2" in first
    assert kept.title in first + second
    client.force_login(demo["cv.khtc.nga"])
    assert kept.title not in _page(client, status="all")
    response = client.get("/api/records/", {"status": "all", "q": "dang kiem"})
    assert response.status_code == 200 and response.json()["count"] == 0
    client.force_login(officer)
    assert client.get("/api/records/", {"q": "dang kiem"}).json()["count"] == 1
