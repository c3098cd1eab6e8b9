"""Migration 0005 (Decree 30/2020 PL VI II rows 4–5 and 14): existing rows get their number and notation
split, the ones that do not split keep their text whole and are flagged for the clerk, the one-line signer
becomes position and name; the quick-search index keeps working after SQLite rebuilt the table."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from qlvb.incoming.models import IncomingDocument
from qlvb.incoming.search import matching
from tests.factories import incoming_register

pytestmark = pytest.mark.django_db(transaction=True)
BEFORE = [("incoming", "0004_search_index")]


def _migrate(targets=None):
    """To `targets`, or back to the latest migrations."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_rows_are_split_or_flagged(demo):
    """PL VI II rows 4–5, 14: parsed where possible, kept whole and flagged otherwise; nothing lost."""
    from qlvb.documents.models import DocumentType

    register = incoming_register(demo.vanthu)
    apps = _migrate(BEFORE)
    try:
        Old = apps.get_model("incoming", "IncomingDocument")
        common = {"register_id": register.pk, "arrived_at": timezone.now(), "issuer_name": "UBND tỉnh Bắc Kạn",
                  "issued_on": timezone.localdate(), "summary": "V/v bảo trì đường bộ", "registered_by_id":
                  demo.vanthu.pk, "document_type_id": DocumentType.objects.get(name="Công văn").pk}
        Old.objects.create(arrival_number=1, notation="12/QĐ-UBND", signer="Phó Chủ tịch Lê Văn Bình",
                           search_text="1 12/qd-ubnd v/v bao tri duong bo", **common)
        Old.objects.create(arrival_number=2, notation="Công văn không số", signer="Nguyễn Thị Hà",
                           search_text="2 cong van khong so v/v bao tri duong bo", **common)
    finally:
        _migrate()
    parsed, flagged = IncomingDocument.objects.order_by("arrival_number")
    assert (parsed.code_number, parsed.code_notation, parsed.notation) == ("12", "QĐ-UBND", "12/QĐ-UBND")
    assert (parsed.signer_position, parsed.signer_name) == ("Phó Chủ tịch", "Lê Văn Bình")
    assert not parsed.code_needs_fix and parsed.code_key == "12/qd-ubnd"  # 0006: the duplicate-check key
    assert flagged.notation == "Công văn không số" and flagged.code_needs_fix
    assert (flagged.signer_position, flagged.signer_name) == ("", "Nguyễn Thị Hà")
    assert list(matching(IncomingDocument.objects.all(), "khong so")) == [flagged]
    flagged.summary = "V/v bảo trì cầu Pác Cáp"
    flagged.save()  # the search triggers were put back after SQLite rebuilt the table
    assert list(matching(IncomingDocument.objects.all(), "pac cap")) == [flagged]


def test_the_clerk_fixes_a_flagged_row_on_its_page(demo, client):
    """PL VI II rows 4–5: the flag shows on the document's page and goes once the clerk enters the parts."""
    from tests.factories import register_doc

    document = register_doc(demo.vanthu)
    IncomingDocument.objects.filter(pk=document.pk).update(code_number="", code_notation="", notation="CV không số")
    client.force_login(demo.vanthu)
    assert b'data-testid="code-needs-fix"' in client.get(f"/incoming/{document.pk}/").content
    form = client.get(f"/incoming/{document.pk}/edit/").context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data |= {"code_number": "15/UBND-VP", "issued_on": document.issued_on.isoformat(),
             "document_type": document.document_type_id}
    response = client.post(f"/incoming/{document.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    document.refresh_from_db()
    assert (document.code_number, document.code_notation, document.notation) == ("15", "UBND-VP", "15/UBND-VP")
    assert b'data-testid="code-needs-fix"' not in client.get(f"/incoming/{document.pk}/").content
