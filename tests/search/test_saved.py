"""Saved searches (Circular 01/2019 F-6.f: save and reuse searches): kept with their columns and order,
rerun to the same results, renamed and deleted, and private to their owner (404 to anyone else)."""

import re
from urllib.parse import urlencode

import pytest

from qlvb.accounts import services
from qlvb.accounts.models import SavedSearch

from .conftest import FIND

pytestmark = pytest.mark.django_db
QUERY = {"kind": "incoming", "summary": "đồng nai", "cols": ["notation", "summary"], "order": "-notation"}


def _result_ids(client, **params):
    return [row["id"] for row in client.get("/api/search/incoming", params).json()["items"]]


def test_a_saved_search_reruns_the_same_results_with_its_columns_and_order(client, demo, library):
    """Saved from the page, it appears in the owner's list and reruns, on the page and in the API, to the
    same documents in the same order with the same columns."""
    client.force_login(demo["vanthu.mat"])
    saved_page = client.post("/search/saved/", {"name": "Cầu Đồng Nai", "query": urlencode(QUERY, doseq=True)},
                             follow=True)
    saved = SavedSearch.objects.get(owner=demo["vanthu.mat"])
    assert (saved.kind, saved.params, saved.columns, saved.order) == (
        "incoming", {"summary": "đồng nai"}, ["notation", "summary"], "-notation")
    page = saved_page.content.decode()
    assert "Đã lưu tìm kiếm “Cầu Đồng Nai”" in page
    assert re.findall(r'<th data-column="([a-z_]+)"', page) == ["notation", "summary"]
    direct = _result_ids(client, summary="đồng nai", order="-notation", columns="notation,summary")
    assert direct == [library.secret_incoming.pk, library.incoming.pk]
    rerun = client.get(f"/api/search/saved/{saved.pk}/results").json()["items"]
    assert [row["id"] for row in rerun] == direct and list(rerun[0]["values"]) == ["notation", "summary"]
    # The page's list links to the rerun, which opens the same search.
    listed = client.get("/search/", {"kind": "incoming"}).content.decode()
    assert f'href="/search/saved/{saved.pk}/"' in listed
    opened = client.get(f"/search/saved/{saved.pk}/", follow=True).content.decode()
    assert opened.index(library.secret_incoming.notation) < opened.index(library.incoming.notation)


def test_a_saved_search_is_private_to_its_owner(client, demo, library):
    saved = services.save_search(actor=demo["vanthu.mat"], name="Mật", kind="incoming",
                                 params={"confidentiality": "confidential"})
    client.force_login(demo["vanthu"])
    assert "Mật" not in client.get("/search/", {"kind": "incoming"}).content.decode().split("saved-searches")[1]
    assert client.get("/api/search/saved").json() == []
    assert client.get(f"/search/saved/{saved.pk}/").status_code == 404
    assert client.get(f"/api/search/saved/{saved.pk}/results").status_code == 404
    assert client.post(f"/search/saved/{saved.pk}/rename/", {"name": "Của tôi"}).status_code == 404
    assert client.patch(f"/api/search/saved/{saved.pk}", {"name": "Của tôi"},
                        content_type="application/json").status_code == 404
    assert client.post(f"/search/saved/{saved.pk}/delete/").status_code == 404
    assert client.delete(f"/api/search/saved/{saved.pk}").status_code == 404
    saved.refresh_from_db()
    assert saved.name == "Mật"
    # Even a saved search's criteria run over the runner's own visible set: the owner's keeper rights do
    # not travel with it (here the owner reruns it and finds the confidential document).
    client.force_login(demo["vanthu.mat"])
    assert [r["id"] for r in client.get(f"/api/search/saved/{saved.pk}/results").json()["items"]] == [
        library.secret_incoming.pk]


def test_save_rename_and_delete_over_the_api(client, demo, library):
    client.force_login(demo["vanthu"])
    created = client.post("/api/search/saved", {"name": "Văn bản đi về cầu", "kind": "outgoing",
                                                 "params": {"q": FIND}, "columns": ["notation", "recipients"],
                                                 "order": "issued_on"}, content_type="application/json")
    assert created.status_code == 201, created.content
    saved_id = created.json()["id"]
    rows = client.get(f"/api/search/saved/{saved_id}/results").json()["items"]
    assert [r["id"] for r in rows] == [library.outgoing.pk]
    assert rows[0]["values"]["recipients"] == "Ban Quản lý dự án Mỹ Thuận"
    duplicate = client.post("/api/search/saved", {"name": "Văn bản đi về cầu", "kind": "outgoing"},
                            content_type="application/json")
    assert duplicate.status_code == 400 and duplicate.json()["detail"][0]["field"] == "name"
    renamed = client.patch(f"/api/search/saved/{saved_id}", {"name": "Cầu Đồng Nai (đi)"},
                           content_type="application/json")
    assert renamed.json()["name"] == "Cầu Đồng Nai (đi)"
    assert [s["name"] for s in client.get("/api/search/saved").json()] == ["Cầu Đồng Nai (đi)"]
    assert client.delete(f"/api/search/saved/{saved_id}").status_code == 204
    assert client.get("/api/search/saved").json() == []


def test_a_search_with_a_wrong_criterion_is_not_saved(client, demo, library):
    client.force_login(demo["vanthu"])
    response = client.post("/api/search/saved", {"name": "Sai", "kind": "incoming",
                                                  "params": {"arrived_from": "hôm qua"}},
                           content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"][0]["field"] == "arrived_from"
    page = client.post("/search/saved/", {"name": "", "query": "kind=incoming"}, follow=True).content.decode()
    assert "“Tên tìm kiếm” là bắt buộc." in page
    assert not SavedSearch.objects.exists()


def test_rename_and_delete_from_the_page(client, demo, library):
    saved = services.save_search(actor=demo["vanthu"], name="Cũ", kind="outgoing", params={"q": FIND})
    client.force_login(demo["vanthu"])
    client.post(f"/search/saved/{saved.pk}/rename/", {"name": "Mới"})
    saved.refresh_from_db()
    assert saved.name == "Mới"
    client.post(f"/search/saved/{saved.pk}/delete/")
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()
