"""Tabs and pagers keep the rest of the query ({% querystring %}): the search and tab stay when paging,
and changing a tab goes back to its first page."""

import re

import pytest

from tests.factories import register_doc

pytestmark = pytest.mark.django_db


def test_pager_keeps_search_and_tab(demo, client, monkeypatch):
    for i in range(3):
        register_doc(demo.vanthu, notation=f"{i}/KH", files=[])
    monkeypatch.setattr("qlvb.incoming.views.PAGE_SIZE", 1)
    client.force_login(demo.giamdoc)
    page = client.get("/incoming/", {"tab": "todo", "q": "trien khai", "page": "2"}).content.decode()
    assert 'href="?tab=todo&amp;q=trien+khai&amp;page=1"' in page
    assert 'href="?tab=todo&amp;q=trien+khai&amp;page=3"' in page


def test_status_tab_drops_the_page(demo, client):
    client.force_login(demo["cv.khtc.nga"])
    page = client.get("/records/", {"status": "open", "q": "x", "page": "2"}).content.decode()
    tabs = re.findall(r'class="nav-link py-1[^"]*" href="([^"]*)"', page)
    assert tabs[-1] == "?status=all&amp;q=x"
    assert not [href for href in tabs if "page=" in href]
