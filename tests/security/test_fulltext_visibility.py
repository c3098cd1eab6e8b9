"""The full-text search (issue 12) never reveals what its viewer may not open: every demo person searches
for each canary word of `test_lists_visibility` (a confidential incoming document, another unit's
document, drafts of different readers) in the one search over every kind, page and API, and in the
incoming and outgoing searches; a hit or a count comes only to those who may open a document holding it."""

import re

import pytest
from django.core.management import call_command

from qlvb.documents import fulltext

from .test_lists_visibility import MAY_OPEN, WALKERS, agency_with_secrets  # noqa: F401 — the fixture

pytestmark = pytest.mark.django_db


def _page_count(client, params) -> int:
    response = client.get("/search/", params)
    if response.status_code == 403:
        return 0
    found = re.search(r'data-testid="result-count">(\d+)', response.content.decode())
    return int(found.group(1))


def _api_count(client, url, params) -> int:
    response = client.get(url, params)
    return 0 if response.status_code == 403 else response.json()["count"]


def _facet_counts(client, params) -> int:
    """Every count of every facet value the API gives for the search."""
    response = client.get("/api/search/all", params)
    return 0 if response.status_code == 403 else sum(v["count"] for f in response.json()["facets"] for v in f["values"])


@pytest.mark.parametrize("common", [False, True, "long reach"], ids=["rare", "common", "common-long-reach"])
def test_no_search_finds_or_counts_a_canary_its_viewer_may_not_open(client, demo, agency_with_secrets,  # noqa: F811
                                                                     common, monkeypatch):
    """Also when every word counts as common: then an officer's search starts from the documents on his
    own trees (`access.incoming_reach`, read into a list, or left a subquery when it is long) rather
    than from the index's matches, and a clerk's reads the matches newest first."""
    if common:
        monkeypatch.setattr(fulltext, "RANKED_MAX", 0)
    if common == "long reach":
        monkeypatch.setattr(fulltext, "REACH_LISTED", 0)
    call_command("reindex_fulltext")  # the index is written after COMMIT, which a test transaction never reaches
    for username in WALKERS:
        client.force_login(demo[username])
        for canary, allowed in MAY_OPEN.items():
            found = {
                "page": _page_count(client, {"kind": "all", "q": canary}),
                "api": _api_count(client, "/api/search/all", {"q": canary}),
                "facets": _facet_counts(client, {"q": canary}),
                "incoming": _page_count(client, {"kind": "incoming", "q": canary}),
                "outgoing": _api_count(client, "/api/search/outgoing", {"q": canary}),
            }
            if username in allowed:
                assert found["page"] and found["api"], (username, canary, found)
            else:
                assert not any(found.values()), (username, canary, found)
