"""Facets of the one search over every kind (issue 12, items 2 and 5): the matches counted by type, year,
issuer, unit, status and register, each value a filter, on the page and in the API; only what the
viewer may open is ever counted."""

import html
import re

import pytest
from django.utils import timezone

from qlvb.assignments import services as flow
from qlvb.assignments.models import Assignment
from qlvb.assignments.services import Target
from qlvb.documents import fulltext
from qlvb.documents.models import DocumentType
from qlvb.organization.models import Unit
from tests.factories import register_doc, root_of

from .conftest import FIND

pytestmark = pytest.mark.django_db


def _page_facets(client, **params) -> dict:
    """{facet: {label: count}} as the page shows them, and the result count."""
    page = client.get("/search/", {"kind": "all", **params}).content.decode()
    shown = {}
    for name, block in re.findall(r'data-facet="(\w+)">(.*?)</ul>', page, re.S):
        shown[name] = {html.unescape(re.sub(r"<[^>]+>", "", label)).strip(): int(n) for label, n in re.findall(
            r"<span>(.*?)</span><span[^>]*>(\d+)</span>", block, re.S)}
    return {"count": int(re.search(r'data-testid="result-count">(\d+)', page).group(1)), "facets": shown}


def _api_facets(client, **params) -> dict:
    body = client.get("/api/search/all", params).json()
    return {"count": body["count"],
            "facets": {f["name"]: {v["label"]: v["count"] for v in f["values"]} for f in body["facets"] if f["values"]}}


def test_the_matches_are_counted_by_facet_and_each_value_narrows_them_to_its_count(client, demo, library):
    fulltext.reindex_all()  # written after COMMIT in the task queue, which a test transaction never reaches
    client.force_login(demo["tp.qlvt"])
    words = "phan luong cau dong nai"
    found = _page_facets(client, q=words)
    year = str(timezone.localdate().year)
    # The incoming decision of the Road Administration, the issued reply, its draft and its record.
    assert found["count"] >= 4 and found["facets"]["period"] == {year: found["count"]}
    assert found["facets"]["type"]["Quyết định"] >= 1 and found["facets"]["issuer"]["Cục Đường bộ Việt Nam"] >= 1
    assert found["facets"]["status"]["Đã phát hành"] >= 1 and "Đang mở" in found["facets"]["status"]
    assert found["facets"]["register"] and found["facets"]["unit"]
    assert _api_facets(client, q=words) == found  # the same counts in the API

    facets = client.get("/api/search/all", {"q": words}).json()["facets"]
    for facet in facets:
        for value in facet["values"]:
            narrowed = client.get("/api/search/all", {"q": words, facet["name"]: value["value"]}).json()
            assert narrowed["count"] == value["count"], (facet["name"], value)
            again = next(v for f in narrowed["facets"] if f["name"] == facet["name"] for v in f["values"])
            assert again == {**value, "chosen": True}
            page = _page_facets(client, q=words, **{facet["name"]: value["value"]})
            assert page["count"] == value["count"], (facet["name"], value)

    decision = DocumentType.objects.get(name="Quyết định")
    api = client.get("/api/search/all", {"q": words, "type": decision.pk, "kinds": "incoming",
                                         "issuer": "Cục Đường bộ Việt Nam"}).json()
    assert f"/incoming/{library.incoming.pk}/" in [item["url"] for item in api["items"]] and not api["capped"]
    issued = client.get("/api/search/all", {"q": words, "status": "outgoing:issued", "period": year}).json()
    assert f"/outgoing/{library.outgoing.pk}/" in [item["url"] for item in issued["items"]]
    assert {item["kind"] for item in issued["items"]} == {"outgoing"}
    assert _page_facets(client, q=words, period=int(year) - 5)["count"] == 0


def test_a_facet_link_on_the_page_chooses_the_value(client, demo, library):
    fulltext.reindex_all()
    client.force_login(demo["tp.qlvt"])
    page = client.get("/search/", {"kind": "all", "q": "dong nai"}).content.decode()
    link = re.search(r'data-facet="issuer">.*?<a href="([^"]+)"', page, re.S).group(1).replace("&amp;", "&")
    assert "issuer=" in link
    narrowed = client.get("/search/" + link).content.decode()
    assert 'aria-current="true"' in narrowed and "Cục Đường bộ Việt Nam" in narrowed


def test_a_wrong_facet_value_is_refused_naming_the_facet(client, demo):
    client.force_login(demo.vanthu)
    page = client.get("/search/", {"kind": "all", "q": "bao tri", "status": "incoming:nonsense"}).content.decode()
    assert 'data-testid="facet-error"' in page and "“Trạng thái” không có giá trị “incoming:nonsense”" in page
    response = client.get("/api/search/all", {"q": "bao tri", "period": 12})
    assert response.status_code == 400
    [problem] = response.json()["detail"]
    assert problem["field"] == "period" and "“Năm” phải là một số từ 1900 đến 9998." in problem["msg"]


def _to_officer(demo, document):
    """Director → head of QLVT → the QLVT officer."""
    head = flow.forward(actor=demo.giamdoc, assignment=root_of(document),
                        targets=[Target("main", person=demo["tp.qlvt"])])[0]
    flow.forward(actor=demo["tp.qlvt"], assignment=head, targets=[Target("main", person=demo["cv.qlvt.long"])])


def test_no_facet_counts_a_confidential_or_another_units_document(client, demo):
    """The officer's counts for a word are the same before and after a confidential document and another
    unit's document with that word are registered; whoever may open them counts them."""
    words = "Kế hoạch gia cố mái taluy đèo Khau Cả"
    _to_officer(demo, register_doc(demo.vanthu, summary=words, send_to=demo.giamdoc))
    fulltext.reindex_all()
    client.force_login(demo["cv.qlvt.long"])
    before = (_page_facets(client, q="taluy khau ca"), _api_facets(client, q="taluy khau ca"))
    assert before[0]["count"] == before[1]["count"] == 1

    secret = register_doc(demo["vanthu.mat"], summary=words, send_to=demo.giamdoc, confidential=True,
                          issuer="Bộ Công an", document_type=DocumentType.objects.get(name="Quyết định"))
    flow.forward(actor=demo.giamdoc, assignment=root_of(secret), targets=[Target("main", person=demo["tp.qlvt"])])
    other = register_doc(demo.vanthu, summary=words, send_to=demo.giamdoc, issuer="Sở Tài chính")
    flow.forward(actor=demo.giamdoc, assignment=root_of(other),
                 targets=[Target("main", unit=Unit.objects.get(abbreviation="KHTC"))])
    fulltext.reindex_all()
    client.force_login(demo["cv.qlvt.long"])
    assert (_page_facets(client, q="taluy khau ca"), _api_facets(client, q="taluy khau ca")) == before

    client.force_login(demo["vanthu.mat"])
    assert _api_facets(client, q="taluy khau ca")["facets"]["issuer"].get("Bộ Công an") == 1
    client.force_login(demo["tp.khtc"])
    assert _page_facets(client, q="taluy khau ca")["facets"]["issuer"] == {"Sở Tài chính": 1}


def test_library_words_are_found_the_same_with_facets(client, demo, library):
    """The facets count what the hits list: the same visible set (a confidential twin is never counted)."""
    fulltext.reindex_all()
    client.force_login(demo["tp.qlvt"])
    found = _page_facets(client, q=FIND)
    hits = client.get("/api/search/all", {"q": FIND, "page_size": 100}).json()["items"]
    assert found["count"] == len(hits)
    assert sum(found["facets"]["period"].values()) == len(hits)


def test_past_the_cap_the_counts_say_so_and_the_newest_come_first(client, demo, library, monkeypatch):
    """A common word in a long history: the matches are counted up to the cap, the page says the counts
    are of the first ones found, and the hits come newest first (no score for every match)."""
    fulltext.reindex_all()
    monkeypatch.setattr(fulltext, "FACET_CAP", 2)
    client.force_login(demo["tp.qlvt"])
    api = client.get("/api/search/all", {"q": FIND, "page_size": 100}).json()
    assert api["capped"] and api["count"] == 3
    assert sum(v["count"] for f in api["facets"] if f["name"] == "period" for v in f["values"]) == 2
    entries = {(e.kind, e.object_id): e.pk for e in fulltext.FullTextEntry.objects.all()}
    shown = [entries[item["kind"], item["id"]] for item in api["items"]]
    assert shown == sorted(shown, reverse=True) and len(shown) >= 4
    page = client.get("/search/", {"kind": "all", "q": FIND}).content.decode()
    assert 'data-testid="facets-capped"' in page and 'data-testid="result-count">3 kết quả+' in page


def test_a_word_postgresqls_statistics_show_everywhere_comes_newest_first_without_counting(
        client, demo, library, monkeypatch):
    """PostgreSQL: a one-word query whose word the column's statistics (ANALYZE) already show in many
    entries is treated as common without counting its matches: its hits come newest first, unscored."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's statistics")
    fulltext.reindex_all()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE documents_fulltextentry")
    monkeypatch.setattr(fulltext, "RANKED_MAX", 10**6)  # counted, every word is rare (ranked)
    monkeypatch.setattr(fulltext, "COMMON_SURE", 0)  # in the statistics at all: common
    client.force_login(demo["tp.qlvt"])
    items = client.get("/api/search/all", {"q": "giao", "page_size": 100}).json()["items"]
    entries = {(e.kind, e.object_id): e.pk for e in fulltext.FullTextEntry.objects.all()}
    shown = [entries[item["kind"], item["id"]] for item in items]
    assert len(shown) >= 2 and shown == sorted(shown, reverse=True)
    assert all(item["rank"] == 0 for item in items)


def test_an_officers_common_word_finds_what_a_rare_one_does_newest_first(client, demo, library, monkeypatch):
    """An officer searching for a common word: his search starts from the documents on his own trees
    (walked newest first) and adds the other kinds he may open; it finds and counts the same items of
    every kind as the ranked search of a rare word does, newest first, on the page and in the API."""
    head = Assignment.objects.get(document=library.incoming, receiver=demo["tp.qlvt"])
    flow.forward(actor=demo["tp.qlvt"], assignment=head, targets=[Target("main", person=demo["cv.qlvt.long"])])
    fulltext.reindex_all()
    client.force_login(demo["cv.qlvt.long"])
    words = "phan luong cau dong nai"
    rare = client.get("/api/search/all", {"q": words, "page_size": 100}).json()
    monkeypatch.setattr(fulltext, "RANKED_MAX", 0)  # every word is common
    common = client.get("/api/search/all", {"q": words, "page_size": 100}).json()
    found = [(item["kind"], item["id"]) for item in common["items"]]
    assert sorted(found) == sorted((item["kind"], item["id"]) for item in rare["items"])
    assert {"incoming", "outgoing"} <= {kind for kind, _id in found}
    entries = {(e.kind, e.object_id): e.pk for e in fulltext.FullTextEntry.objects.all()}
    assert [entries[f] for f in found] == sorted((entries[f] for f in found), reverse=True)
    def counts(body):  # values of equal counts come in the order the rows came
        return {f["name"]: {v["value"]: v["count"] for v in f["values"]} for f in body["facets"]}

    assert counts(common) == counts(rare) and common["count"] == rare["count"] == len(found)
    assert _page_facets(client, q=words) == _api_facets(client, q=words)
