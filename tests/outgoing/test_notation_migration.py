"""Migrating existing data to "số + ký hiệu unique in the year" (Decree 30 Art 15.1): documents issued
before the rule that already repeat a notation are kept as issued and flagged, never renumbered; the
copies of issued metadata are filled."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from qlvb.outgoing import services
from qlvb.outgoing.models import OutgoingDocument
from tests.outgoing.issuing import approved


@pytest.mark.django_db(transaction=True)
def test_existing_repeated_notations_are_flagged_not_renumbered(demo):
    """Art 15.1: the normal and confidential series of the old code both issued `01/SGTVT-QLVT`; after the
    migration both keep their notation, the later one is flagged, and the database refuses a new repeat."""
    normal = services.issue(actor=demo.vanthu, draft=approved(demo))
    secret = services.issue(actor=demo["vanthu.mat"], draft=approved(demo, confidential=True))
    executor = MigrationExecutor(connection)
    executor.migrate([("outgoing", "0004_search_text")])
    with connection.cursor() as cursor:  # what the old code issued
        cursor.execute("UPDATE outgoing_outgoingdocument SET notation = %s WHERE id = %s", [normal.notation,
                                                                                          secret.pk])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    rows = {d.pk: d for d in OutgoingDocument.objects.all()}
    assert rows[normal.pk].notation == rows[secret.pk].notation == "01/SGTVT-QLVT"
    assert (rows[normal.pk].notation_conflict, rows[secret.pk].notation_conflict) == (False, True)
    assert rows[secret.pk].year == secret.register.year
    assert (rows[secret.pk].signer_name, rows[secret.pk].signing_authority) == ("Trần Thị Mai", "KT. GIÁM ĐỐC")
    assert rows[secret.pk].agency_name == "Sở Giao thông vận tải tỉnh Bắc Kạn"
    with pytest.raises(IntegrityError), transaction.atomic():
        OutgoingDocument.objects.filter(pk=secret.pk).update(notation_conflict=False)
