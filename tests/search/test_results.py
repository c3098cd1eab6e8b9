"""What the search shows (Circular 01/2019 F-6.e–g): only what the viewer may open, counted the same way;
exactly the chosen columns, remembered in the session; the chosen order; wrong input named by field."""

import re

import pytest

from .conftest import FIND

pytestmark = pytest.mark.django_db


def _headings(page: str) -> list[str]:
    return re.findall(r'<th data-column="([a-z_]+)"', page)


def test_a_document_the_viewer_may_not_open_is_never_counted_or_shown(client, demo, library):
    """F-6.d over access rights: the confidential twin matches the same words; the ordinary clerk's count
    and rows leave it out, on the page and in the API; its keeper's include it."""
    for username, expected in [("vanthu", 1), ("vanthu.mat", 2)]:
        client.force_login(demo[username])
        for kind in ("incoming", "outgoing"):
            page = client.get("/search/", {"kind": kind, "q": FIND}).content.decode()
            count = re.search(r'data-testid="result-count">(\d+)', page).group(1)
            api = client.get(f"/api/search/{kind}", {"q": FIND}).json()
            assert (int(count), api["count"], len(api["items"])) == (expected,) * 3, (username, kind)
    client.force_login(demo["vanthu"])
    page = client.get("/search/", {"kind": "incoming", "confidentiality": "confidential"}).content.decode()
    assert library.secret_incoming.notation not in page and ">0 văn bản<" in page


def test_only_the_chosen_columns_are_shown_and_the_choice_is_remembered(client, demo, library):
    """F-6.e: the person chooses the displayed fields; the page and the API show exactly those, and the page
    keeps the choice for the next search in the session."""
    client.force_login(demo["vanthu"])
    chosen = ["issued_on", "signer", "handler"]
    page = client.get("/search/", {"kind": "incoming", "q": FIND, "cols": chosen}).content.decode()
    assert _headings(page) == chosen
    assert "Nguyễn Văn Khải" in page and demo["tp.qlvt"].full_name in page
    assert library.incoming.summary not in page  # the summary column is not chosen
    again = client.get("/search/", {"kind": "incoming", "q": "dong nai"}).content.decode()
    assert _headings(again) == chosen
    # The other kind keeps its own choice (its defaults here).
    assert _headings(client.get("/search/", {"kind": "outgoing"}).content.decode())[:2] == ["notation", "issued_on"]

    api = client.get("/api/search/incoming", {"q": FIND, "columns": "summary,deadline"}).json()
    assert list(api["items"][0]["values"]) == ["summary", "deadline"]
    assert api["items"][0]["values"]["summary"] == library.incoming.summary


def test_results_come_in_the_chosen_order(client, demo, library):
    """F-6.g: ordered by a chosen column, either way, on the page and in the API."""
    client.force_login(demo["vanthu"])
    doc, other = library.incoming, library.other_incoming
    january = {"arrived_to": other.arrived_at.date().isoformat()}  # leaves out today's internal deliveries
    for order, first in [("arrival_number", doc), ("-arrival_number", other), ("notation", doc),
                         ("-notation", other)]:
        api = client.get("/api/search/incoming", {**january, "order": order, "columns": "notation"}).json()
        notations = [row["values"]["notation"] for row in api["items"]]
        assert notations[0] == first.notation, order
        page = client.get("/search/", {"kind": "incoming", **january, "order": order, "cols": ["notation"]}).content.decode()
        assert page.index(first.notation) < page.index(({doc, other} - {first}).pop().notation), order


def test_wrong_input_names_its_field(client, demo, library):
    client.force_login(demo["vanthu"])
    page = client.get("/search/", {"kind": "incoming", "arrived_from": "31/02/2026", "status": "lost"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "“Ngày đến từ” phải là một ngày" in text and "“Trạng thái xử lý” không có giá trị “lost”" in text
    api = client.get("/api/search/incoming", {"deadline_from": "2026-03-01", "deadline_to": "2026-02-01"})
    assert api.status_code == 400
    assert api.json()["detail"][0]["field"] == "deadline_to"
    assert "Hạn xử lý đến" in api.json()["detail"][0]["msg"]


def test_people_without_documents_get_no_search(client, demo):
    client.force_login(demo["quantri"])
    assert client.get("/search/").status_code == 403
    assert client.get("/api/search/incoming").status_code == 403


@pytest.mark.parametrize("kind", ["incoming", "outgoing"])
def test_the_number_of_queries_does_not_grow_with_the_results(client, demo, library, kind):
    """Every column shown (handler, recipients, field…) is loaded with the page, not per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from qlvb.documents import search

    client.force_login(demo["vanthu.mat"])
    every = [c.key for c in search.KINDS[kind].columns]
    CAPTURED = []

    def queries(**params):
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/search/", {"kind": kind, "cols": every, **params})
        assert response.status_code == 200
        CAPTURED[:] = captured.captured_queries
        return len(captured), response.content.decode().count("<tr><td")

    queries()  # the session takes the chosen columns once
    few, rows_few = queries(summary=FIND, confidentiality="normal")
    many, rows_many = queries()
    assert rows_few == 1 and rows_many >= 3
    assert many == few, "\n".join(q["sql"][:150] for q in CAPTURED)
