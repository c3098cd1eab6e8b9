"""The audit trail is hash-chained: editing, deleting or truncating rows is detected."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from qlvb.audit.models import AuditEntry
from qlvb.audit.services import record, verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(demo):
    for i in range(5):
        record(actor=demo.vanthu, action="test.action", obj=demo.vanthu, changes={"i": i})
    return list(AuditEntry.objects.order_by("id"))


def test_intact_chain_verifies(chain):
    assert verify_chain() == []
    call_command("verify_audit")


def test_edited_entry_is_detected(chain):
    AuditEntry.objects.filter(pk=chain[2].pk).update(changes={"i": 99})
    problems = verify_chain()
    assert any(f"#{chain[2].pk}" in p and "sửa" in p for p in problems)
    with pytest.raises(CommandError):
        call_command("verify_audit")


def test_deleted_middle_entry_is_detected(chain):
    AuditEntry.objects.filter(pk=chain[2].pk).delete()
    assert any(f"#{chain[3].pk}" in p for p in verify_chain())


def test_deleted_last_entry_is_detected(chain):
    AuditEntry.objects.filter(pk=chain[-1].pk).delete()
    assert any("cuối" in p.lower() for p in verify_chain())


def test_administrator_checks_and_exports_the_trail(client, chain, demo):
    client.force_login(demo.quantri)
    response = client.post("/administration/audit-check/", follow=True)
    assert "toàn vẹn" in response.content.decode()
    AuditEntry.objects.filter(pk=chain[1].pk).update(action="test.forged")
    response = client.post("/administration/audit-check/", follow=True)
    assert "KHÔNG toàn vẹn" in response.content.decode()
    ids = [str(e.pk) for e in chain]
    export = client.post("/admin/audit/auditentry/", {"action": "export_csv", "_selected_action": ids})
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("id,at,actor") and "test.forged" in body


def test_officer_cannot_check_the_trail(client, demo):
    client.force_login(demo["cv.qlvt.long"])
    assert client.post("/administration/audit-check/").status_code == 403


def test_entries_after_a_rolled_back_savepoint_continue_the_kept_chain(demo):
    from django.db import transaction

    with transaction.atomic():
        record(actor=demo.vanthu, action="test.kept")
        with pytest.raises(RuntimeError), transaction.atomic():
            record(actor=demo.vanthu, action="test.dropped")
            raise RuntimeError
        record(actor=demo.vanthu, action="test.after")
    assert [e.action for e in AuditEntry.objects.order_by("id")] == ["test.kept", "test.after"]
    assert verify_chain() == []


@pytest.mark.django_db(transaction=True)
def test_each_transaction_continues_from_what_others_committed(demo):
    """The tail remembered for one transaction is not trusted by the next: another connection may
    have appended in between."""
    import threading

    from django.db import connection, transaction

    with transaction.atomic():
        record(actor=demo.vanthu, action="test.first")

    def other_worker():
        record(actor=demo.vanthu, action="test.other")
        connection.close()

    worker = threading.Thread(target=other_worker)
    worker.start()
    worker.join()
    with transaction.atomic():
        record(actor=demo.vanthu, action="test.second")
        record(actor=demo.vanthu, action="test.third")
    assert verify_chain() == []
    with pytest.raises(RuntimeError), transaction.atomic():
        record(actor=demo.vanthu, action="test.rolled_back")
        raise RuntimeError
    record(actor=demo.vanthu, action="test.last")
    assert verify_chain() == []
