"""One search over every kind (issue 12, item 2): incoming and outgoing documents, drafts and work records,
their metadata and the words inside their files, without accents (đ → d), ranked, the matched words
marked in a snippet; what the viewer may not open is never found nor counted."""

import re

import pytest

from qlvb.incoming import services as incoming_services
from tests.factories import register_doc
from tests.files.builders import document_xml, docx_bytes, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_commits(django_capture_on_commit_callbacks):
    """Run what a COMMIT queues (the index and the files' text are written in tasks, inline in tests)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _count(client, **params) -> int:
    page = client.get("/search/", params).content.decode()
    return int(re.search(r'data-testid="result-count">(\d+)', page).group(1))


def _with_file(demo, run_commits, words, **extra):
    with run_commits():
        return register_doc(extra.pop("clerk", demo.vanthu), files=[upload("noi-dung.docx", docx_bytes(
            document_xml(words)))], **extra)


def test_one_search_finds_every_kind_ranked_with_the_words_marked(client, demo, library, run_commits):
    from django.core.management import call_command

    call_command("reindex_fulltext")
    client.force_login(demo["tp.qlvt"])
    page = client.get("/search/", {"kind": "all", "q": "phan luong cau dong nai"}).content.decode()
    kinds = set(re.findall(r'list-group-item-action" data-kind="(\w+)"', page))
    assert {"incoming", "outgoing", "draft", "record"} <= kinds
    assert "<mark>Đồng</mark> <mark>Nai</mark>" in page and "<mark>Phân</mark> <mark>luồng</mark>" in page
    api = client.get("/api/search/all", {"q": "phan luong cau dong nai"}).json()
    assert api["count"] == len(re.findall(r'list-group-item-action" data-kind=', page))
    ranks = [item["rank"] for item in api["items"]]
    assert ranks == sorted(ranks, reverse=True)
    only = client.get("/api/search/all", {"q": "dong nai", "kinds": "record"}).json()
    assert {item["kind"] for item in only["items"]} == {"record"}


def test_words_inside_a_file_find_the_document_typed_without_accents(client, demo, run_commits):
    document = _with_file(demo, run_commits, "Đề nghị kiểm soát tải trọng xe trên đường Chợ Đồn – Bằng Lũng")
    client.force_login(demo.vanthu)
    assert _count(client, kind="all", q="kiem soat tai trong cho don") == 1
    assert _count(client, kind="incoming", q="tai trong xe cho don") == 1  # the quick search reads files too
    assert _count(client, kind="incoming", content="BANG LUNG") == 1
    api = client.get("/api/search/incoming", {"content": "bang lung"}).json()
    assert [item["id"] for item in api["items"]] == [document.pk]
    hit = client.get("/api/search/all", {"q": "cho don"}).json()["items"][0]
    assert hit["url"] == f"/incoming/{document.pk}/" and "<mark>Chợ</mark> <mark>Đồn</mark>" in hit["snippet"]


def test_a_word_only_in_a_confidential_or_another_units_file_finds_and_counts_nothing(client, demo, run_commits):
    from qlvb.assignments import services as flow
    from qlvb.assignments.services import Target
    from qlvb.organization.models import Unit
    from tests.factories import root_of

    _with_file(demo, run_commits, "Phương án bảo vệ mật Khuổi Tẩu", clerk=demo["vanthu.mat"], confidential=True,
               send_to=demo.giamdoc)
    other = _with_file(demo, run_commits, "Dự toán sửa chữa cầu Bản Thi", send_to=demo.giamdoc)
    with run_commits():
        flow.forward(actor=demo.giamdoc, assignment=root_of(other),
                     targets=[Target("main", unit=Unit.objects.get(abbreviation="KHTC"))])
    for username, words, expected in [("cv.qlvt.long", "khuoi tau", 0), ("cv.qlvt.long", "ban thi", 0),
                                      ("vanthu", "khuoi tau", 0), ("vanthu.mat", "khuoi tau", 1),
                                      ("tp.khtc", "ban thi", 1)]:
        client.force_login(demo[username])
        found = [_count(client, kind="all", q=words), _count(client, kind="incoming", q=words),
                 client.get("/api/search/all", {"q": words}).json()["count"],
                 client.get("/api/search/incoming", {"content": words}).json()["count"]]
        assert found == [expected] * 4, (username, words, found)


def test_a_withdrawn_documents_files_are_no_longer_searched(client, demo, run_commits):
    """Its files are hidden from most readers: their words leave the index, its metadata stays."""
    document = _with_file(demo, run_commits, "Thông báo đấu thầu gói Phja Đén", summary="V/v gói thầu đèo Phja Đén")
    client.force_login(demo.vanthu)
    assert _count(client, kind="all", q="dau thau") == 1
    with run_commits():
        incoming_services.withdraw(actor=demo.vanthu, incoming=document, reason="Cơ quan ban hành thu hồi")
    assert _count(client, kind="all", q="dau thau") == 0
    assert _count(client, kind="all", q="goi thau phja den") == 1


def test_a_query_without_words_asks_for_one(client, demo):
    client.force_login(demo.vanthu)
    page = client.get("/search/", {"kind": "all", "q": "— … !"}).content.decode()
    assert "Hãy nhập ít nhất một từ" in page and 'data-testid="result-count"' not in page
    assert client.get("/api/search/all", {"q": "!!"}).json()["count"] == 0


@pytest.mark.parametrize("common", [False, True], ids=["rare", "common"])
def test_the_beginning_of_a_word_finds_every_word_it_starts(client, demo, run_commits, monkeypatch, common):
    """SQLite looks for a beginning as the words of the index that start with it (`fulltext._counted`),
    or as itself past PREFIX_WORDS of them; either way every document with such a word is found."""
    from qlvb.documents import fulltext

    if common:  # newest first, from the index's matches (the clerk)
        monkeypatch.setattr(fulltext, "RANKED_MAX", 0)
    _with_file(demo, run_commits, "Kiểm tra cầu Zulavát trên tuyến tỉnh lộ")
    _with_file(demo, run_commits, "Sửa chữa cống Zulabén xã Pácnặm")
    client.force_login(demo.vanthu)
    assert _count(client, kind="all", q="zula") == 2
    assert _count(client, kind="all", q="zulab") == 1
    assert _count(client, kind="all", q="zula pacn") == 1
    assert client.get("/api/search/all", {"q": "Zula"}).json()["count"] == 2
    monkeypatch.setattr(fulltext, "PREFIX_WORDS", 1)  # more words start with it than are listed
    assert _count(client, kind="all", q="zula") == 2
