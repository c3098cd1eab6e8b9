"""Every list page's query count is pinned, and does not grow with the rows it shows (no N+1).

One day of work is done twice (documents forwarded, handled, overdue and done; a reply drafted and
waiting for the Deputy Director's signature; a reply issued); after each day every list page is
opened by whoever uses it and its queries counted. A page whose count changes, or differs between the
two days, fails here with its queries: a new query per request costs every page view of every user,
so raise a pin only on purpose (and say why in the commit)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qlvb.accounts.middleware import SessionIdleMiddleware
from qlvb.assignments import services as flow
from qlvb.assignments.models import Assignment
from qlvb.assignments.services import Target
from qlvb.documents import fulltext
from qlvb.outgoing import services as outgoing
from qlvb.records import services as records
from qlvb.workdays import calendar
from tests.conftest import ClosingClient
from tests.factories import register_doc, reply_path, root_of
from tests.outgoing.issuing import approved

pytestmark = pytest.mark.django_db

# SQLite's full-text index is asked first how many documents match (capped), PostgreSQL's is not.
FTS = 1 if connection.vendor == "sqlite" else 0
# (person, page) → queries, the session and the person included. The person's query also tells whether
# they hold role grants or delegations (accounts.backends): those are read only for people who do.
PINNED = {
    ("cv.qlvt.long", "/"): 3,
    ("cv.qlvt.long", "/incoming/?tab=todo"): 6,
    ("cv.qlvt.long", "/incoming/?tab=overdue"): 6,
    ("cv.khtc.nga", "/incoming/?tab=info"): 6,
    ("cv.qlvt.long", "/incoming/?tab=done"): 6,
    ("cv.qlvt.long", "/incoming/?tab=todo&q=trien+khai"): 6 + FTS,
    ("cv.qlvt.long", "/records/"): 6,
    ("cv.qlvt.long", "/records/?status=closed"): 6,
    ("cv.qlvt.long", "/monitoring/notifications/"): 4,
    ("cv.qlvt.long", "/delegations/"): 3,
    ("tp.qlvt", "/"): 3,
    ("tp.qlvt", "/incoming/?tab=unit"): 8,
    ("tp.qlvt", "/incoming/?tab=unit_overdue"): 7,  # the badge reuses the list's own count
    ("pgd.mai", "/records/approvals/"): 8,
    ("vanthu", "/incoming/register-book/"): 7,
    ("vanthu", "/outgoing/"): 8,
    ("vanthu", "/registers/"): 13,  # two of them read the stored signature checks of the rows
    ("vanthu", "/search/?kind=incoming"): 10,
    ("vanthu", "/search/?kind=outgoing"): 11,
    # Full-text search over every kind (issue 12): one query asks the index whether the word is common.
    ("vanthu", "/search/?kind=all&q=bao+tri+duong+bo"): 9,
    ("cv.qlvt.long", "/search/?kind=all&q=bao+tri+duong+bo"): 6,
    ("giamdoc", "/search/?kind=all&q=bao+tri+duong+bo"): 6,
    ("giamdoc", "/"): 3,
    ("giamdoc", "/monitoring/"): 8,
    ("giamdoc", "/monitoring/review/"): 5,
    ("tp.qlvt", "/incoming/?tab=following"): 9,  # with who holds each item now, one query for the page
    ("cv.qlvt.long", "/archive/plans/"): 3,
    ("cv.qlvt.long", "/archive/keep/"): 3,
    ("cv.qlvt.long", "/archive/access-requests/"): 3,
    ("cv.qlvt.long", "/archive/archived/"): 4,
    ("cv.vp.hai", "/archive/submissions/"): 5,  # the archivist's roles come from a role grant: one query more
    ("cv.vp.hai", "/archive/disposals/"): 5,
    ("vanthu", "/exchange/inbox/"): 3,
    ("vanthu", "/registers/outgoing/"): 12,
    ("quantri", "/administration/access-log/"): 3,
}


def a_day_of_work(demo, n):
    """Three documents to the QLVT officer (one overdue, one done, one to do; the Deputy Director
    co-handles, an officer of KHTC gets them for information), a reply waiting at the Deputy Director and
    an issued reply."""
    officer, head = demo["cv.qlvt.long"], demo["tp.qlvt"]
    for i in range(3):
        document = register_doc(demo.vanthu, notation=f"{n}{i}/UBND", files=[])
        to_head = flow.forward(actor=demo.giamdoc, assignment=root_of(document),
                               targets=[Target("main", person=head), Target("co", person=demo["pgd.mai"]),
                                        Target("info", person=demo["cv.khtc.nga"])])[0]
        mine = flow.forward(actor=head, assignment=to_head, targets=[Target("main", person=officer)])[0]
        if i == 0:
            Assignment.objects.filter(pk__in=[to_head.pk, mine.pk]).update(
                deadline=timezone.localdate() - timedelta(days=3))
        if i == 1:
            flow.complete(actor=officer, assignment=mine, result="Đã xử lý")
    _incoming, _record, draft = reply_path(demo)
    records.submit(actor=officer, draft=draft)
    draft.refresh_from_db()
    if draft.state == "at_head":
        records.approve(actor=head, draft=draft)
    outgoing.issue(actor=demo.vanthu, draft=approved(demo))
    records.close_record(actor=officer, record=records.open_record(actor=officer, title=f"Hồ sơ {n}",
                                                                   code=f"{n:02d}.QLVT", retention="5 năm"))
    fulltext.reindex_all()  # written after COMMIT in the task queue, which a test transaction never reaches


def rows(page: str) -> int:
    return page.count("<tr") + page.count("list-group-item-action")


def count_queries(clients, demo) -> dict:
    counts = {}
    for (username, url), _pinned in PINNED.items():
        if username not in clients:
            client = clients[username] = ClosingClient()
            client.force_login(demo[username])
            client.get(url)  # the first page of a session writes it; later ones only read
        client = clients[username]
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (username, url)
        counts[username, url] = (len(captured), [q["sql"][:200] for q in captured.captured_queries],
                                 rows(response.content.decode()))
    return counts


def test_every_list_page_runs_its_pinned_number_of_queries_whatever_the_rows(demo, monkeypatch):
    monkeypatch.setattr(SessionIdleMiddleware, "EVERY", 10**9)  # no "last seen" write in the middle
    # The calendar's overrides are read again once a minute per process, not per request: on a slow
    # machine that minute ended inside a page and counted one query more.
    monkeypatch.setattr(calendar, "OVERRIDE_CACHE_TTL", 10**9)
    clients = {}
    try:
        a_day_of_work(demo, 1)
        first = count_queries(clients, demo)
        a_day_of_work(demo, 2)
        second = count_queries(clients, demo)
    finally:  # closing a response ends the request, and the test's database connection with it
        for each in clients.values():
            each.close_responses()
    wrong = {page: (first[page][0], second[page][0], pinned) for page, pinned in PINNED.items()
             if not first[page][0] == second[page][0] == pinned}
    details = "\n".join(f"{page}: {a} then {b} queries, pinned {pinned}\n    "
                        + "\n    ".join((first if a != pinned else second)[page][1])
                        for page, (a, b, pinned) in wrong.items())
    assert not wrong, details
    # The lists did grow: the counts above do not depend on the rows.
    # Pages whose rows a day of work does not add to (pinned all the same: a query per row would show
    # once they have rows, and the pin counts the queries of the page itself).
    static = {page for page in PINNED if page[1] in ("/", "/delegations/", "/monitoring/review/", "/registers/outgoing/")
              or page[1].startswith(("/archive/", "/exchange/", "/administration/"))}
    assert not [page for page in set(PINNED) - static if not second[page][2] > first[page][2]], \
        {page: (first[page][2], second[page][2]) for page in PINNED}
