"""50 clerks registering at once get arrival numbers 1..50: no duplicate, no gap, an intact audit chain, and
the same document entered twice at once is registered once (SQLite and PostgreSQL). The number and the
chain's head are taken at the end of the registration (issue 16 item 9), so on PostgreSQL the rest of
the work of several clerks runs at the same time: these are the races that change exposes."""

import threading

import pytest
from django.db import connection, connections

from qlvb.audit.services import verify_chain
from qlvb.core.text import fold
from qlvb.incoming.duplicates import DuplicateSuspected
from qlvb.incoming.models import IncomingDocument
from tests.factories import incoming_register, register_doc

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_registrations_get_consecutive_numbers(demo):
    incoming_register(demo.vanthu)  # open this year's registers before the race
    errors, barrier = [], threading.Barrier(10)

    def worker(batch):
        try:
            barrier.wait()
            for i in batch:
                register_doc(demo.vanthu, notation=f"{i}/UBND-VP", files=[])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(range(t * 5, t * 5 + 5),)) for t in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(IncomingDocument.objects.values_list("arrival_number", flat=True))
    assert numbers == list(range(1, 51)), connection.vendor
    assert verify_chain() == []
    # The register book's search finds each by its number (the search text is written with the number).
    for document in IncomingDocument.objects.all():
        assert document.search_text == fold(" ".join([str(document.arrival_number), document.notation,
                                                      document.summary, document.issuer_name]))


def test_the_same_document_entered_by_two_clerks_at_once_is_registered_once(demo):
    incoming_register(demo.vanthu)
    outcomes, barrier = [], threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            register_doc(demo.vanthu, notation="77/UBND-VP", files=[])
            outcomes.append("registered")
        except DuplicateSuspected:
            outcomes.append("asked to confirm")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["asked to confirm", "registered"], connection.vendor
    # The refused one took no number: the next registration gets 2.
    assert list(IncomingDocument.objects.values_list("arrival_number", flat=True)) == [1]
    assert register_doc(demo.vanthu, files=[]).arrival_number == 2
