"""No list, count, digest, notification or API answer shows what its viewer may not open.

The agency holds documents that only some people may open: a confidential incoming document on one
tree, another unit's ordinary document, and a work record whose drafts have different readers. Each
demo person then walks the product as a user would — every page reachable from the menus and the
links on them (tabs, filters, the dashboard, notifications, record and document pages), and every
GET operation of the API — and must find each canary exactly where they may open it.
The walk follows links, so a page added later is walked too.
"""

import html
import re
from collections import deque
from datetime import datetime, timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from qlvb.assignments import services as flow
from qlvb.assignments.models import Assignment
from qlvb.assignments.services import Target
from qlvb.documents.models import DocumentType
from qlvb.incoming.models import IncomingDocument
from qlvb.monitoring import scheduler
from qlvb.monitoring.models import Notification
from qlvb.organization.models import Unit
from qlvb.outgoing import services as outgoing
from qlvb.records import services as records
from qlvb.workdays.calendar import add_working_days
from tests.factories import register_doc, root_of

pytestmark = pytest.mark.django_db

# Marker words, one per object, written into its summary (and notation for incoming documents).
SECRET_INCOMING = "zqmatden"  # confidential incoming: Director → head of QLVT → officer
OTHER_UNIT = "zqkhtcden"  # ordinary incoming handled by the KHTC unit
SIGNED_DRAFT = "zqduthaothuong"  # ordinary draft, signed: its chain and the clerks
SECRET_ISSUED = "zqduthaomatbanhanh"  # confidential draft of the same record, issued by the keeper
SECRET_DRAFT = "zqduthaomatdangsoan"  # confidential draft still being written by the record's owner

MAY_OPEN = {
    SECRET_INCOMING: {"vanthu.mat", "giamdoc", "tp.qlvt", "cv.qlvt.long"},
    OTHER_UNIT: {"vanthu", "vanthu.mat", "giamdoc", "pgd.mai", "pgd.minh", "pgd.dung", "tp.khtc", "ptp.khtc",
                 "cv.khtc.nga"},
    SIGNED_DRAFT: {"cv.qlvt.long", "tp.khtc", "tp.qlvt", "pgd.mai", "vanthu", "vanthu.mat"},
    SECRET_ISSUED: {"cv.qlvt.long", "tp.qlvt", "pgd.mai", "vanthu.mat"},
    SECRET_DRAFT: {"cv.qlvt.long"},
}
# The administrator reads the audit trail, which names ordinary documents (by number and notation) but
# never a confidential one's text.
AUDIT_READERS = {"quantri"}
CONFIDENTIAL = {SECRET_INCOMING, SECRET_ISSUED, SECRET_DRAFT}
# Who walks: each role, and for each canary people on both sides of its line.
WALKERS = ["vanthu", "vanthu.mat", "giamdoc", "pgd.mai", "pgd.minh", "tp.qlvt", "ptp.qlvt", "cv.qlvt.long",
           "cv.qlvt.trang", "tp.khtc", "ptp.khtc", "cv.khtc.nga", "cvp.lan", "quantri", "ict.sotttt"]
# For each canary, one person who may open it must meet it in a list: proof that the walk reaches the lists.
MUST_SEE = {SECRET_INCOMING: "tp.qlvt", OTHER_UNIT: "pgd.minh", SIGNED_DRAFT: "vanthu",
            SECRET_ISSUED: "vanthu.mat", SECRET_DRAFT: "cv.qlvt.long"}

SKIP = ("/logout", "/i18n/", "/static/", "/api/docs", "/healthz", "/login", "/account/", "/admin/logout",
        "/files/", "/download", "/export", "/notifications/open/", "/admin/jsi18n")
PAGE_LIMIT = 150


@pytest.fixture
def agency_with_secrets(demo):
    yesterday = timezone.localdate() - timedelta(days=1)
    # Two confidential documents on one tree: one stays open and overdue, the other is answered from a record.
    secret, answered = (register_doc(demo["vanthu.mat"], confidential=True, notation=f"{n}/{SECRET_INCOMING}-UBND",
                                     summary=f"Kế hoạch {SECRET_INCOMING} bảo vệ công trình", send_to=demo.giamdoc)
                        for n in (98, 99))
    for document in (secret, answered):
        head = flow.forward(actor=demo.giamdoc, assignment=root_of(document),
                            targets=[Target("main", person=demo["tp.qlvt"])])[0]
        flow.forward(actor=demo["tp.qlvt"], assignment=head, targets=[Target("main", person=demo["cv.qlvt.long"])])

    khtc = register_doc(demo.vanthu, notation=f"7/{OTHER_UNIT}-UBND", summary=f"Dự toán {OTHER_UNIT} năm sau",
                        send_to=demo.giamdoc)
    head = flow.forward(actor=demo.giamdoc, assignment=root_of(khtc),
                        targets=[Target("main", unit=Unit.objects.get(abbreviation="KHTC"))])[0]
    flow.forward(actor=demo["tp.khtc"], assignment=head, targets=[Target("main", person=demo["cv.khtc.nga"])])
    # Time passes: both are overdue, so they reach every chase list, count and digest.
    for document in (secret, khtc):
        IncomingDocument.objects.filter(pk=document.pk).update(deadline=yesterday)
        Assignment.objects.filter(document=document).exclude(parent=None).update(deadline=yesterday)

    officer = demo["cv.qlvt.long"]
    record = records.open_record(actor=officer, title="Hồ sơ trả lời về công trình", incoming=answered)
    send_to_signer = {"document_type": DocumentType.objects.get(name="Công văn"), "signer": demo["pgd.mai"],
                      "signing_form": "KT."}
    signed = records.save_draft(actor=officer, record=record, body="Nội dung thường",
                                data={**send_to_signer, "summary": f"V/v {SIGNED_DRAFT}"})
    records.ask_opinion(actor=officer, draft=signed, people=[demo["tp.khtc"]], question="Ý kiến?")
    secret_issued = records.save_draft(actor=officer, record=record, body="Nội dung mật",
                                       data={**send_to_signer, "summary": f"V/v {SECRET_ISSUED}",
                                             "confidentiality": "confidential"})
    for draft in (signed, secret_issued):
        records.submit(actor=officer, draft=draft)
        records.approve(actor=demo["tp.qlvt"], draft=draft)
        records.sign(actor=demo["pgd.mai"], draft=draft)
    outgoing.issue(actor=demo["vanthu.mat"], draft=secret_issued)
    records.save_draft(actor=officer, record=record, body="Đang viết",
                       data={**send_to_signer, "summary": f"V/v {SECRET_DRAFT}", "confidentiality": "confidential"})

    # The morning check-in and the reminders run: digests and reminders land in the notification centre.
    day = timezone.localdate() if timezone.localdate().isoweekday() < 6 else add_working_days(timezone.localdate(), 1)
    at = min(scheduler.check_times())
    scheduler.run_due(timezone.make_aware(datetime.combine(day, at)) + timedelta(minutes=1))
    return {"secret": secret, "answered": answered, "khtc": khtc, "record": record,
            "drafts": list(record.drafts.all())}


def _static_routes(resolver=None, prefix=""):
    """Every URL of the site that takes no parameter: where a walk starts."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if "<" in route or "(" in route or "^" in route:
            continue
        if isinstance(entry, URLResolver):
            yield from _static_routes(entry, route)
        elif isinstance(entry, URLPattern):
            yield "/" + route


def _links(page: str):
    for url in re.findall(r'(?:href|hx-get|action)="(/[^"#]*)', page):
        url = html.unescape(url)
        page_no = re.search(r"[?&]page=(\d+)", url)
        if page_no and int(page_no.group(1)) > 2:
            continue
        yield url


def walk(client) -> dict[str, str]:
    """GET every page reachable from the static routes; the text of each, by address."""
    queue, seen, pages = deque(_static_routes()), set(), {}
    while queue and len(pages) < PAGE_LIMIT:
        url = queue.popleft()
        if url in seen or any(s in url for s in SKIP):
            continue
        seen.add(url)
        response = client.get(url)
        if response.status_code != 200 or not response["Content-Type"].startswith(("text/html", "application/json")):
            continue
        pages[url] = response.content.decode()
        queue.extend(_links(pages[url]))
    return pages


def api_answers(client, objects) -> dict[str, str]:
    """Every GET operation of the API, with each object's id in its path parameters."""
    schema = client.get("/api/openapi.json").json()
    ids = {"document_id": [objects["secret"].pk, objects["answered"].pk, objects["khtc"].pk],
           "record_id": [objects["record"].pk],
           "draft_id": [d.pk for d in objects["drafts"]],
           "assignment_id": list(Assignment.objects.values_list("pk", flat=True))}
    answers = {}
    for path, operations in schema["paths"].items():
        if "get" not in operations:
            continue
        names = re.findall(r"{(\w+)}", path)
        combos = [{}]
        for name in names:
            combos = [{**c, name: value} for c in combos for value in ids.get(name, [])]
        for combo in combos:
            url = re.sub(r"{(\w+)}", lambda m, c=combo: str(c[m.group(1)]), path)
            response = client.get(url)
            answers[url] = _text(response)
    return answers


def _text(response) -> str:
    """The answer as text; a PDF (the issue preview) by the text a reader extracts from it."""
    if response.get("Content-Type", "").startswith("application/pdf"):
        import io

        from pdfminer.high_level import extract_text

        return extract_text(io.BytesIO(response.content))
    return response.content.decode()


def found(texts: dict[str, str], marker: str) -> list[str]:
    return [url for url, text in texts.items() if marker in text.lower()]


@pytest.mark.parametrize("username", WALKERS)
def test_every_page_and_api_answer_shows_only_what_the_viewer_may_open(client, demo, agency_with_secrets, username):
    client.force_login(demo[username])
    seen = {**walk(client), **{f"API {k}": v for k, v in api_answers(client, agency_with_secrets).items()}}
    assert len(seen) > 10
    for marker, people in MAY_OPEN.items():
        where = found(seen, marker)
        if username in AUDIT_READERS and marker not in CONFIDENTIAL:
            where = [url for url in where if not url.startswith("/admin/audit/")]
        if username not in people:
            assert where == [], f"{username} sees {marker} at {where}"
        elif MUST_SEE[marker] == username:
            assert where, f"{username} should meet {marker} in a list"


def test_counts_and_digests_cover_only_what_the_viewer_may_open(client, demo, agency_with_secrets):
    """The dashboard's per-unit and per-person counts and the heads' digest count the confidential
    overdue document for the people on its tree only."""
    def overdue_of(username, unit):
        client.force_login(demo[username])
        context = client.get("/monitoring/").context
        return {row["unit"].abbreviation: row["overdue"] for row in context["units"]}[unit]

    assert overdue_of("giamdoc", "QLVT") == 1
    assert overdue_of("pgd.minh", "QLVT") == 0
    assert overdue_of("vanthu", "QLVT") == 0
    assert overdue_of("vanthu.mat", "QLVT") == 1

    client.force_login(demo["ptp.qlvt"])
    people = client.get("/monitoring/").context["people"]
    assert sum(row["overdue"] for row in people) == 0
    client.force_login(demo["tp.qlvt"])
    assert sum(row["overdue"] for row in client.get("/monitoring/").context["people"]) == 1

    digests = {n.recipient.username: n.text for n in Notification.objects.filter(kind="digest")}
    assert "đơn vị có 1 văn bản quá hạn" in digests["tp.qlvt"]
    assert "đơn vị có" not in digests.get("ptp.qlvt", "")
