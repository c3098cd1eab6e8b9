"""Issue 12 item 4: the routing suggestion on the forward form and in the API, from the agency's own history.

The history: ten documents of Cục Đường bộ Việt Nam about vehicle loads (tải trọng xe) — eight went
Director → Deputy Director Mai → Phòng QLVT → an officer (six to Long, two to Trang), two straight to the
Inspectorate — and documents of other issuers about other things that went elsewhere."""

import io
from datetime import timedelta

import lxml.html
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from qlvb.accounts.middleware import SessionIdleMiddleware
from qlvb.assignments import routing
from qlvb.assignments import services as flow
from qlvb.assignments.models import Assignment
from qlvb.assignments.services import Target
from qlvb.incoming.models import IncomingDocument
from qlvb.organization.models import Person, Unit
from tests.factories import register_doc, root_of

pytestmark = pytest.mark.django_db
MAIN = Assignment.Role.MAIN
ISSUER = "Cục Đường bộ Việt Nam"
LOADS = [  # oldest first
    "V/v tăng cường kiểm soát tải trọng xe trên các tuyến quốc lộ",
    "V/v kiểm tra tải trọng xe tại trạm cân lưu động",
    "V/v xử lý vi phạm tải trọng xe chở hàng",
    "V/v báo cáo kết quả kiểm soát tải trọng xe quý III",
    "V/v lắp đặt trạm kiểm tra tải trọng xe cố định",
    "V/v phối hợp kiểm soát tải trọng xe trên quốc lộ 3",
    "V/v tuyên truyền quy định về tải trọng xe",
    "V/v thống kê xe vi phạm tải trọng",
    "V/v kiểm soát tải trọng xe dịp cao điểm",
    "V/v chấn chỉnh công tác kiểm tra tải trọng xe",
]
OTHERS = [  # issuer, summary, unit
    ("Sở Tài chính tỉnh Bắc Kạn", "V/v thẩm định dự toán kinh phí sự nghiệp năm 2027", "KHTC"),
    ("Sở Tài chính tỉnh Bắc Kạn", "V/v quyết toán ngân sách năm 2025", "KHTC"),
    ("UBND tỉnh Bắc Kạn", "V/v triển khai kế hoạch bảo trì đường bộ", "QLKCHT"),
    ("UBND tỉnh Bắc Kạn", "V/v sửa chữa cầu Nà Cù", "QLKCHT"),
    ("Công an tỉnh Bắc Kạn", "V/v phối hợp bảo đảm trật tự an toàn giao thông dịp Tết", "TTr"),
    ("Sở Kế hoạch và Đầu tư tỉnh Bắc Kạn", "V/v đăng ký kế hoạch đầu tư công trung hạn", "KHTC"),
]
NEW = "V/v tăng cường kiểm soát tải trọng xe trên quốc lộ 3B"


def unit(abbreviation):
    return Unit.objects.get(abbreviation=abbreviation)


def handled(demo, summary, path, *, issuer=ISSUER, minutes_ago=0, confidential=False, send_to=None):
    """A document registered `minutes_ago` and walked down `path`: (actor, target) hops of main handlers."""
    clerk = demo["vanthu.mat"] if confidential else demo.vanthu
    document = register_doc(clerk, summary=summary, issuer=issuer, files=[], confidential=confidential,
                            arrived_at=timezone.now() - timedelta(minutes=minutes_ago), send_to=send_to)
    item = root_of(document)
    for actor, target in path:
        item = flow.forward(actor=demo[actor], assignment=item, targets=[target])[0]
    return document


def via_qlvt(demo, officer):
    return [("giamdoc", Target(MAIN, person=demo["pgd.mai"])), ("pgd.mai", Target(MAIN, unit=unit("QLVT"))),
            ("tp.qlvt", Target(MAIN, person=demo[officer]))]


def history(demo):
    """The history above, the newest 50 minutes ago; returns the documents of Cục Đường bộ."""
    loads = []
    for i, summary in enumerate(LOADS):
        if i in (1, 4):
            path = [("giamdoc", Target(MAIN, unit=unit("TTr")))]
        else:
            path = via_qlvt(demo, "cv.qlvt.trang" if i in (2, 6) else "cv.qlvt.long")
        loads.append(handled(demo, summary, path, minutes_ago=200 - 10 * i))
    for i, (issuer, summary, abbreviation) in enumerate(OTHERS):
        handled(demo, summary, [("giamdoc", Target(MAIN, unit=unit(abbreviation)))], issuer=issuer,
                minutes_ago=300 - i)
    return loads


def suggestions(client, person, item) -> dict[str, dict]:
    """The "Gợi ý" box of the forward form, as the person sees it: level → reason and the button's fields."""
    client.force_login(person)
    response = client.get(f"/assignments/{item.pk}/routing-suggestions/")
    assert response.status_code == 200
    if not response.content.strip():
        return {}
    box = lxml.html.fromstring(response.content.decode())
    found = {}
    for row in box.xpath('//*[@data-testid="routing-suggestion"]'):
        button = row.xpath('.//*[@data-testid="routing-apply"]')[0]
        found[row.get("data-level")] = {
            "reason": row.xpath('.//*[@data-testid="routing-reason"]')[0].text_content().strip(),
            "field": button.get("data-route-field"), "value": button.get("data-route-value"),
            "links": row.xpath(".//a/@href")}
    return found


def test_the_director_is_suggested_the_deputy_and_the_unit_that_handled_most_of_the_similar_documents(
        client, demo):
    history(demo)
    root = root_of(register_doc(demo.vanthu, summary=NEW, issuer=ISSUER, files=[]))
    found = suggestions(client, demo.giamdoc, root)
    qlvt = unit("QLVT")
    assert found["unit"]["reason"] == (
        f"8 trong 10 văn bản gần nhất của Cục Đường bộ Việt Nam về “tải trọng xe” đã giao {qlvt.name} xử lý chính.")
    assert (found["unit"]["field"], found["unit"]["value"]) == (f"role_u_{qlvt.pk}", "main")
    assert found["leader"]["reason"] == ("8 trong 10 văn bản gần nhất của Cục Đường bộ Việt Nam về “tải trọng xe” "
                                         "đã giao Phó Giám đốc Trần Thị Mai xử lý chính.")
    assert found["leader"]["field"] == f"role_p_{demo['pgd.mai'].pk}"
    assert len(found["unit"]["links"]) == 10  # the documents counted, to open and check
    # Suggested, not applied: nothing was forwarded, and the form's rows are as they were.
    assert not root.children.exists()
    page = client.get(f"/incoming/{root.document_id}/").content.decode()
    assert f"/assignments/{root.pk}/routing-suggestions/" in page
    assert 'value="main" selected' not in page


def test_an_issuers_older_documents_count_past_the_newest_ones_however_its_name_was_capitalised(
        client, demo, monkeypatch):
    """Cục Đường bộ's documents are older than the last RECENT forwarded ones (here six newer ones of
    another issuer): they are found by the issuer's name, typed this time with a capital "Bộ"."""
    monkeypatch.setattr(routing, "RECENT", 6)
    history(demo)
    for i in range(6):
        handled(demo, f"V/v tổ chức hội nghị tổng kết công tác số {i}", [("giamdoc", Target(MAIN, unit=unit("KHTC")))],
                issuer="Sở Nội vụ tỉnh Bắc Kạn", minutes_ago=20 + i)
    root = root_of(register_doc(demo.vanthu, summary=NEW, issuer="Cục Đường Bộ Việt Nam", files=[]))
    found = suggestions(client, demo.giamdoc, root)
    assert found["unit"]["field"] == f"role_u_{unit('QLVT').pk}"
    assert found["unit"]["reason"].startswith("8 trong 10 văn bản gần nhất của Cục Đường Bộ Việt Nam về")


def test_a_deputy_is_suggested_the_unit_and_a_head_the_officer_of_their_unit(client, demo):
    history(demo)
    document = register_doc(demo.vanthu, summary=NEW, issuer=ISSUER, files=[])
    at_deputy = flow.forward(actor=demo.giamdoc, assignment=root_of(document),
                             targets=[Target(MAIN, person=demo["pgd.mai"])])[0]
    found = suggestions(client, demo["pgd.mai"], at_deputy)
    assert set(found) == {"unit"}  # a Deputy Director is not suggested another leader
    assert found["unit"]["field"] == f"role_u_{unit('QLVT').pk}"
    at_head = flow.forward(actor=demo["pgd.mai"], assignment=at_deputy, targets=[Target(MAIN, unit=unit("QLVT"))])[0]
    found = suggestions(client, demo["tp.qlvt"], at_head)
    assert found == {"officer": {
        "reason": "6 trong 8 văn bản gần nhất của Cục Đường bộ Việt Nam về “kiểm soát tải trọng xe” đã giao "
                  "Chuyên viên Tạ Văn Long xử lý chính.",
        "field": f"role_p_{demo['cv.qlvt.long'].pk}", "value": "main", "links": found["officer"]["links"]}}


def test_only_targets_the_forwarder_may_choose_now_are_suggested(client, demo):
    history(demo)
    long = demo["cv.qlvt.long"]
    long.is_active = False
    long.save()
    document = register_doc(demo.vanthu, summary=NEW, issuer=ISSUER, files=[])
    at_head = flow.forward(actor=demo.giamdoc, assignment=root_of(document), targets=[Target(MAIN, unit=unit("QLVT"))])[0]
    assert suggestions(client, demo["tp.qlvt"], at_head) == {}  # Long has left; Trang's 2 of 8 are too few


def test_a_document_the_forwarder_may_not_open_never_counts_in_the_reason(client, demo):
    """Five newer confidential documents of the same issuer and subject went to the Inspectorate: the
    Director (on their tree) counts them; the Deputy Director, who may not open them, does not."""
    loads = history(demo)
    secret = [handled(demo, f"V/v kiểm soát tải trọng xe đợt {n}", [("giamdoc", Target(MAIN, unit=unit("TTr")))],
                      minutes_ago=40 - n, confidential=True) for n in range(5)]
    document = register_doc(demo.vanthu, summary=NEW, issuer=ISSUER, files=[])
    root = root_of(document)
    assert "5 trong 10" in suggestions(client, demo.giamdoc, root)["unit"]["reason"]  # TTr: his own history
    at_deputy = flow.forward(actor=demo.giamdoc, assignment=root, targets=[Target(MAIN, person=demo["pgd.mai"])])[0]
    found = suggestions(client, demo["pgd.mai"], at_deputy)
    assert found["unit"]["reason"].startswith("8 trong 10 văn bản gần nhất của Cục Đường bộ")
    links = set(found["unit"]["links"])
    assert links == {f"/incoming/{d.pk}/" for d in loads}
    client.force_login(demo["pgd.mai"])
    answer = client.get(f"/api/incoming/{document.pk}/routing-suggestions").json()
    assert not {d.pk for d in secret} & set(answer[0]["similar_document_ids"])


def test_the_api_suggests_for_the_callers_item_and_answers_404_to_an_outsider(client, demo):
    history(demo)
    document = register_doc(demo.vanthu, summary=NEW, issuer=ISSUER, files=[])
    client.force_login(demo.giamdoc)
    answer = client.get(f"/api/incoming/{document.pk}/routing-suggestions")
    assert answer.status_code == 200
    by_level = {s["level"]: s for s in answer.json()}
    assert by_level["unit"]["unit_id"] == unit("QLVT").pk and by_level["unit"]["person_id"] is None
    assert (by_level["unit"]["count"], by_level["unit"]["total"]) == (8, 10)
    assert by_level["unit"]["assignment_id"] == root_of(document).pk
    assert by_level["leader"]["person_id"] == demo["pgd.mai"].pk
    assert not root_of(document).children.exists()
    client.force_login(demo["cv.khtc.nga"])  # not on its tree, not of a unit that has it
    secret = handled(demo, NEW, [], confidential=True)
    assert client.get(f"/api/incoming/{secret.pk}/routing-suggestions").status_code == 404
    assert client.get(f"/api/incoming/{10**9}/routing-suggestions").status_code == 404
    assert client.get(f"/assignments/{root_of(document).pk}/routing-suggestions/").status_code == 404


def test_the_clerk_is_suggested_the_leader_to_present_to(client, demo):
    for i in range(3):  # presented to the Deputy Director in charge of transport, who sent them to QLVT
        handled(demo, LOADS[i], [("pgd.mai", Target(MAIN, unit=unit("QLVT")))], minutes_ago=100 - i,
                send_to=demo["pgd.mai"])
    client.force_login(demo.vanthu)
    box = client.get("/incoming/new/routing-suggestions/", {"issuer_name": ISSUER, "summary": NEW}).content.decode()
    assert "3 trong 3 văn bản gần nhất của Cục Đường bộ Việt Nam" in box and "đã trình Phó Giám đốc Trần Thị Mai" in box
    assert f'data-route-field="send_to" data-route-value="{demo["pgd.mai"].pk}"' in box


def test_the_suggestion_reads_the_same_number_of_queries_whatever_the_history(client, demo, monkeypatch):
    monkeypatch.setattr(SessionIdleMiddleware, "EVERY", 10**9)  # no "last seen" write in the middle
    history(demo)
    root = root_of(register_doc(demo.vanthu, summary=NEW, issuer=ISSUER, files=[]))
    client.force_login(demo.giamdoc)
    url = f"/assignments/{root.pk}/routing-suggestions/"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    history(demo)
    with CaptureQueriesContext(connection) as after:
        assert "10 văn bản" in client.get(url).content.decode()
    assert len(before) == len(after), [q["sql"][:200] for q in after.captured_queries]


def test_on_the_demo_the_director_is_suggested_the_unit_that_handled_most_of_the_similar_documents(client):
    """The demo's history (seed_demo): four of five recent planning documents of Sở Kế hoạch và Đầu tư
    went through Deputy Director Dũng to Phòng KHTC; its new one waits at the Director."""
    call_command("seed_demo", stdout=io.StringIO())
    director = Person.objects.get(username="giamdoc")
    root = root_of(IncomingDocument.objects.get(notation="1999/SKHĐT-TH"))
    found = suggestions(client, director, root)
    khtc = unit("KHTC")
    assert found["unit"]["field"] == f"role_u_{khtc.pk}"
    assert found["unit"]["reason"].startswith(
        "4 trong 5 văn bản gần nhất của Sở Kế hoạch và Đầu tư tỉnh Bắc Kạn về “")
    assert found["unit"]["reason"].endswith(f"đã giao {khtc.name} xử lý chính.")
    assert "Phó Giám đốc Hoàng Văn Dũng" in found["leader"]["reason"]


def test_a_heads_suggestion_reads_the_same_number_of_queries_whatever_the_history(client, demo, monkeypatch):
    monkeypatch.setattr(SessionIdleMiddleware, "EVERY", 10**9)
    history(demo)
    document = register_doc(demo.vanthu, summary=NEW, issuer=ISSUER, files=[])
    at_head = flow.forward(actor=demo.giamdoc, assignment=root_of(document), targets=[Target(MAIN, unit=unit("QLVT"))])[0]
    client.force_login(demo["tp.qlvt"])
    url = f"/assignments/{at_head.pk}/routing-suggestions/"
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    history(demo)
    with CaptureQueriesContext(connection) as after:
        assert "Chuyên viên Tạ Văn Long" in client.get(url).content.decode()
    assert len(before) == len(after), [q["sql"][:200] for q in after.captured_queries]


def test_a_head_never_counts_a_document_of_their_unit_they_may_not_open(client, demo):
    """Five newer confidential documents like it went from the Director straight to an officer of Phòng
    QLVT (Trang): the unit handled them, but its head, not on their tree, may not open them."""
    history(demo)
    secret = [handled(demo, f"V/v kiểm soát tải trọng xe đợt {n}",
                      [("giamdoc", Target(MAIN, person=demo["cv.qlvt.trang"]))], minutes_ago=40 - n, confidential=True)
              for n in range(5)]
    assert all(d.assignments.filter(receiver_unit=unit("QLVT")).exists() for d in secret)
    document = register_doc(demo.vanthu, summary=NEW, issuer=ISSUER, files=[])
    at_head = flow.forward(actor=demo.giamdoc, assignment=root_of(document), targets=[Target(MAIN, unit=unit("QLVT"))])[0]
    found = suggestions(client, demo["tp.qlvt"], at_head)
    assert found["officer"]["reason"].startswith("6 trong 8 văn bản gần nhất")  # Long, as without them
    assert not {f"/incoming/{d.pk}/" for d in secret} & set(found["officer"]["links"])
