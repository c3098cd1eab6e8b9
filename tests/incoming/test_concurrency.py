"""50 clerks registering at once get arrival numbers 1..50: no duplicate, no gap (SQLite and PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

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
