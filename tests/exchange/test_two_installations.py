"""Two real QLVB installations exchanging directly (`two_installations.py`): their own databases (SQLite
files, or PostgreSQL databases of their own when the suite runs on PostgreSQL) and file stores, two
gunicorn servers on loopback, peers registered both ways. Agency A (Sở GTVT, 000.00.15.H03) issues signed
replies to B (UBND tỉnh, 000.00.00.H06).

Each person's action runs in the process of that installation (`installation.py`); the tasks run in the
process that queues them (immediate backend), so A's clerk's process posts to B's server and B's
processes post their status notices to A's server. One pair of installations serves the whole module;
each test works on documents of its own, so they pass in any order."""

import pytest

from tests.exchange import samples
from tests.exchange.two_installations import A, post_package


@pytest.fixture(scope="module")
def installations(tmp_path_factory):
    from tests.exchange.two_installations import pair

    with pair(tmp_path_factory.mktemp("two-installations")) as both:
        yield both


def _received(b, document_id) -> list[dict]:
    return [p for p in b.run("inbox")["packages"] if p["document_id"] == document_id]


def test_signed_document_registered_and_completed_sends_statuses_01_to_06_back(installations):
    a, b = installations
    # A issues a signed reply to B: delivered at once, B answers 01.
    first = a.run("issue", "1")
    document_id = first["document_id"]
    assert first["outbox"] == "sent" and first["recipient"] == "sent" and first["delivery"] == "Đã gửi"
    assert first["signature"] == "valid"
    [received] = _received(b, document_id)
    assert (received["signature"], received["state"], received["statuses"]) == ("valid", "received", ["01"])
    assert a.run("sent", document_id)["statuses"] == ["01"]
    # B's clerk registers it: A sees 03.
    b.run("register", document_id)
    assert a.run("sent", document_id)["statuses"] == ["01", "03"]
    # B's Director assigns it (04), the head of unit passes it to an officer (05), who completes it (06).
    assert b.run("complete", document_id)["incoming"] == "done"
    [recipient] = a.run("outgoing_api", document_id)["recipients"]
    assert [code for code, _name, _staff in recipient["statuses"]] == ["01", "03", "04", "05", "06"]
    assert recipient["statuses"][-1][1] == "Hoàn thành" and recipient["organ_id"] == "000.00.00.H06"
    assert recipient["statuses"][1][2] and recipient["statuses"][-1][2]  # who acted at B: the clerk, the officer

    # The same package posted again (a lost answer): registered once, answered the same.
    again = a.run("redeliver", document_id)
    assert again["status"] == 200 and again["body"]["created"] is False
    assert again["body"]["document_id"] == document_id
    assert [p["state"] for p in _received(b, document_id)] == ["registered"]


def test_package_kept_while_the_peer_is_down_arrives_once_then_refused_with_a_reason(installations):
    a, b = installations
    b.stop()
    try:
        second = a.run("issue", "2")
    finally:
        b.start()
    assert second["outbox"] == "pending" and second["attempts"] == 1 and second["last_error"]
    assert second["delivery"].startswith("Đang chờ gửi lại (lần 2, lỗi ")
    assert _received(b, second["document_id"]) == []
    # The scheduler's sweep delivers it now that B is back; more sweeps send nothing more.
    assert a.run("sweep")["queued"] == 1
    assert a.run("sweep")["queued"] == 0
    sent = a.run("sent", second["document_id"])
    assert (sent["package_state"], sent["outbox"], sent["attempts"], sent["statuses"]) == ("sent", "sent", 2, ["01"])
    assert [p["state"] for p in _received(b, second["document_id"])] == ["received"]

    # B refuses it with a reason: A sees 02 and the reason.
    b.run("refuse", second["document_id"], "Không thuộc thẩm quyền giải quyết")
    assert a.run("sent_reason", second["document_id"])["reason"] == "Không thuộc thẩm quyền giải quyết"
    assert a.run("sent", second["document_id"])["statuses"] == ["01", "02"]


def test_revoked_document_is_frozen_at_the_receiver(installations):
    a, b = installations
    third = a.run("issue", "3")
    b.run("register", third["document_id"])
    assert a.run("revoke", third["document_id"], "Ban hành nhầm nơi nhận")["outbox"] == "sent"
    frozen = b.run("incoming_status", third["document_id"])
    assert frozen["revoked"] and frozen["incoming"] == "withdrawn"
    assert "Đã bị thu hồi bởi cơ quan gửi: Ban hành nhầm nơi nhận" in frozen["withdraw_reason"]


def test_hostile_package_posted_to_the_real_server_is_refused_and_nothing_stored(installations):
    _a, b = installations
    before = b.run("inbox")["packages"]
    status, body = post_package(b.url, samples.XXE, A)
    assert status == 422 and body["status"] == "02" and "XXE" in body["reason"]
    assert b.run("inbox")["packages"] == before
