"""Access and view history (Decree 30/2020 PL VI I.III: F-5.a keep the access/view history, F-6.a–c count
accesses, F-6.k mark printed items, F-6.l keep the usage history)."""

import io

import pytest
from openpyxl import load_workbook

from qlvb.audit.models import AccessLog, AuditEntry
from qlvb.outgoing import services as outgoing
from qlvb.records import services as records
from tests.conftest import login
from tests.factories import pdf_upload, register_doc, reply_path
from tests.outgoing.issuing import approve

VIEW, DOWNLOAD, PRINT, EXPORT, API = (AccessLog.Kind.VIEW, AccessLog.Kind.DOWNLOAD, AccessLog.Kind.PRINT,
                                      AccessLog.Kind.EXPORT, AccessLog.Kind.API)


def entries(obj=None, **filters):
    rows = AccessLog.objects.filter(**filters)
    if obj is not None:
        rows = rows.filter(object_type=obj._meta.label_lower, object_id=obj.pk)
    return list(rows.order_by("id"))


@pytest.fixture
def path(demo):
    """An incoming document handled by the QLVT officer, his record, a draft with a file, issued."""
    incoming, record, draft = reply_path(demo)
    records.save_draft(actor=demo["cv.qlvt.long"], record=record, draft=draft, upload=pdf_upload("du-thao.pdf"),
                       data={})
    approve(demo, draft)
    document = outgoing.issue(actor=demo.vanthu, draft=draft)
    AccessLog.objects.all().delete()  # the set-up's own reads are not the test's
    return {"incoming": incoming, "record": record, "draft": draft, "outgoing": document}


PAGES = {
    "incoming": lambda o: f"/incoming/{o.pk}/",
    "outgoing": lambda o: f"/outgoing/{o.pk}/",
    "record": lambda o: f"/records/{o.pk}/",
    "draft": lambda o: f"/records/drafts/{o.pk}/",
}


@pytest.mark.parametrize("kind", PAGES)
def test_opening_a_page_leaves_one_entry_and_a_refresh_no_more(kind, path, demo, client):
    """F-5.a: each opening of a document, record or draft page is written with who and what; a refresh
    within QLVB_ACCESS_COALESCE_MINUTES is the same visit."""
    obj = path[kind]
    login(client, demo["cv.qlvt.long"])
    assert client.get(PAGES[kind](obj)).status_code == 200
    assert client.get(PAGES[kind](obj)).status_code == 200
    [entry] = entries(obj)
    assert (entry.person, entry.action, entry.blob_id) == (demo["cv.qlvt.long"], VIEW, None)
    assert entry.ip == "127.0.0.1"


def test_without_coalescing_every_opening_is_written(path, demo, client, settings):
    settings.QLVB_ACCESS_COALESCE_MINUTES = 0
    login(client, demo.vanthu)
    for _ in range(3):
        client.get(f"/incoming/{path['incoming'].pk}/")
    assert [e.action for e in entries(path["incoming"])] == [VIEW] * 3


def test_a_view_is_not_written_into_the_hash_chain(path, demo, client):
    """Reading never takes the audit chain's lock: the view lands in AccessLog only."""
    login(client, demo.giamdoc)
    before = AuditEntry.objects.count()
    client.get(f"/outgoing/{path['outgoing'].pk}/")
    assert AuditEntry.objects.count() == before
    assert len(entries(path["outgoing"], person=demo.giamdoc)) == 1


def test_downloading_each_kind_of_file_leaves_one_entry_naming_the_file(path, demo, client):
    """F-6.l: attachments (scans), draft versions and issued files, each through the blob response."""
    login(client, demo["cv.qlvt.long"])
    attachment = path["incoming"].attachments.get()
    draft, document = path["draft"], path["outgoing"]
    urls = {path["incoming"]: (f"/incoming/{path['incoming'].pk}/files/{attachment.pk}/?download=1", attachment.blob),
            draft: (f"/records/drafts/{draft.pk}/versions/{draft.latest.number}/file/", draft.latest.blob),
            document: (f"/outgoing/{document.pk}/file/", document.blob)}
    for obj, (url, blob) in urls.items():
        response = client.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content)
        [entry] = entries(obj)
        assert (entry.person, entry.action, entry.blob_id) == (demo["cv.qlvt.long"], DOWNLOAD, blob.sha256)
        assert entry.file_name


@pytest.mark.parametrize("kind", ["incoming", "outgoing"])
def test_printing_carries_the_mark_and_every_print_is_written(kind, path, demo, client):
    """F-6.k: the print view is marked with the system, the person and the time; F-6.l: each print counts."""
    obj = path[kind]
    login(client, demo.vanthu)
    for _ in range(2):
        response = client.get(f"/{kind}/{obj.pk}/print/")
        assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="print-mark"' in html
    assert "Bản in từ hệ thống QLVB — in bởi Nguyễn Thị Hoa" in html
    assert obj.notation in html
    assert [(e.person, e.action) for e in entries(obj)] == [(demo.vanthu, PRINT)] * 2


def test_print_view_of_a_document_one_may_not_open_is_404_and_not_written(demo, client):
    secret = register_doc(demo["vanthu.mat"], confidential=True)
    login(client, demo["cv.khtc.nga"])
    assert client.get(f"/incoming/{secret.pk}/print/").status_code == 404
    assert entries(secret) == []


@pytest.mark.parametrize(("kind", "url"), [
    ("incoming", "/api/incoming/{pk}"), ("incoming", "/api/incoming/{pk}/tree"),
    ("outgoing", "/api/outgoing/{pk}"), ("record", "/api/records/{pk}"), ("draft", "/api/records/drafts/{pk}"),
])
def test_api_reads_are_written(kind, url, path, demo, client):
    obj = path[kind]
    login(client, demo["cv.qlvt.long"])
    assert client.get(url.format(pk=obj.pk)).status_code == 200
    assert [(e.person, e.action) for e in entries(obj)] == [(demo["cv.qlvt.long"], API)]


def test_the_page_shows_counts_to_all_and_the_history_to_those_allowed(path, demo, client, settings):
    """F-6.a: the count of accesses on the document; F-5.a: the history only to its clerks, leaders,
    administrator and handlers (access.ACCESS_LOG_READERS)."""
    settings.QLVB_ACCESS_COALESCE_MINUTES = 0
    document = path["outgoing"]
    login(client, demo["cv.khtc.nga"])  # may open an issued document, had no part in it
    page = client.get(f"/outgoing/{document.pk}/").content.decode()
    assert 'data-testid="access-count">1<' in page
    assert 'data-testid="access-history"' not in page
    login(client, demo.vanthu)
    page = client.get(f"/outgoing/{document.pk}/").content.decode()
    assert 'data-testid="access-count">2<' in page
    assert 'data-testid="access-history"' in page and "Trịnh Thị Nga" in page
    login(client, demo["cv.qlvt.long"])  # wrote the draft
    assert 'data-testid="access-history"' in client.get(f"/outgoing/{document.pk}/").content.decode()


@pytest.mark.parametrize(("username", "kind", "allowed"), [
    ("vanthu", "incoming", True), ("giamdoc", "incoming", True), ("cv.qlvt.long", "incoming", True),
    ("tp.qlvt", "incoming", True), ("ptp.qlvt", "incoming", False),
    ("vanthu", "outgoing", True), ("pgd.mai", "outgoing", True), ("cv.khtc.nga", "outgoing", False),
    ("cv.qlvt.long", "record", True), ("pgd.mai", "record", True), ("tp.qlvt", "record", False),
    ("cv.qlvt.long", "draft", True), ("tp.qlvt", "draft", True), ("vanthu", "draft", True),
    ("vanthu.mat", "draft", False),
])
def test_api_history_answers_per_the_rule(username, kind, allowed, path, demo, client):
    """GET …/access-log: the entries for those the rule allows, 403 for those who may only open the object."""
    obj = path[kind]
    prefix = {"incoming": "/api/incoming/", "outgoing": "/api/outgoing/", "record": "/api/records/",
              "draft": "/api/records/drafts/"}[kind]
    login(client, demo["cv.qlvt.long"])
    client.get(f"{prefix}{obj.pk}")
    login(client, demo[username])
    assert client.get(f"{prefix}{obj.pk}").status_code == 200  # may open it
    response = client.get(f"{prefix}{obj.pk}/access-log")
    if not allowed:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert [(e["person"], e["action"]) for e in response.json()][-1] == ("Tạ Văn Long", "api")


def test_api_history_of_a_document_one_may_not_open_is_404(demo, client):
    secret = register_doc(demo["vanthu.mat"], confidential=True)
    login(client, demo.vanthu)  # a clerk, but not the confidential register's keeper
    assert client.get(f"/api/incoming/{secret.pk}/access-log").status_code == 404
    login(client, demo["vanthu.mat"])
    assert client.get(f"/api/incoming/{secret.pk}/access-log").status_code == 200


def test_administrator_filters_and_exports_the_history(path, demo, client):
    """F-6.l: the administrator reads every entry by person, object, action and period, and exports them."""
    login(client, demo["cv.qlvt.long"])
    client.get(f"/incoming/{path['incoming'].pk}/")
    client.get(f"/outgoing/{path['outgoing'].pk}/print/")
    login(client, demo.giamdoc)
    client.get(f"/incoming/{path['incoming'].pk}/")
    login(client, demo.quantri)
    page = client.get("/administration/access-log/", {"person": "Tạ Văn", "action": "print"}).content.decode()
    assert path["outgoing"].notation in page
    assert "Nguyễn Văn Hùng" not in page and path["incoming"].notation not in page  # his view, not a print
    page = client.get("/administration/access-log/", {
        "object_type": "incoming.incomingdocument", "object_id": path["incoming"].pk}).content.decode()
    assert "Nguyễn Văn Hùng" in page and "Tạ Văn Long" in page and path["outgoing"].notation not in page
    response = client.get("/administration/access-log/", {"object_type": "incoming.incomingdocument",
                                                          "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sorted(r[2] for r in rows) == ["cv.qlvt.long", "giamdoc"]
    assert {r[3] for r in rows} == {"Xem"} and {r[5] for r in rows} == {path["incoming"].pk}
    assert [(e.person, e.action) for e in entries(person=demo.quantri)] == [(demo.quantri, EXPORT)]


def test_only_the_administrator_opens_the_history_of_everything(demo, client):
    for username in ("vanthu", "giamdoc", "cv.qlvt.long"):
        login(client, demo[username])
        assert client.get("/administration/access-log/").status_code == 403
    login(client, demo.quantri)
    assert client.get("/administration/access-log/").status_code == 200
