"""Issue 11: overdue by the document's deadline too, its extension, to do vs following up, items left
open on finished documents, counts that add up (services and selectors; the pages in tests/browser)."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qlvb import access
from qlvb.assignments import selectors
from qlvb.assignments import services as flow
from qlvb.assignments.models import Assignment, Event
from qlvb.assignments.services import Target
from qlvb.audit.models import AuditEntry
from qlvb.monitoring import selectors as dashboard
from qlvb.monitoring.models import Notification
from qlvb.organization.models import Unit
from tests.factories import register_doc, root_of

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def overdue_document(demo, **extra):
    return register_doc(demo.vanthu, deadline=TODAY - timedelta(days=2),
                        arrived_at=timezone.now() - timedelta(days=7), **extra)


def walk_down(demo, document, later=None):
    """Director → Deputy (the document's deadline) → head with a later deadline of his own."""
    deputy = flow.forward(actor=demo.giamdoc, assignment=root_of(document),
                          targets=[Target("main", person=demo["pgd.mai"])])[0]
    return flow.forward(actor=demo["pgd.mai"], assignment=deputy, deadline=later or TODAY + timedelta(days=7),
                        targets=[Target("main", unit=Unit.objects.get(abbreviation="QLVT"))])[0]


def test_a_later_sub_deadline_never_hides_an_overdue_document(demo):
    document = overdue_document(demo)
    head_item = walk_down(demo, document)
    document.refresh_from_db()
    assert document.deadline == TODAY - timedelta(days=2)  # not moved by the sub-assignment
    head, qlvt = demo["tp.qlvt"], Unit.objects.get(abbreviation="QLVT")
    assert list(selectors.overdue(head)) == [head_item]
    assert selectors.counts(head)["overdue"] == 1
    assert list(selectors.unit_items(head, qlvt, overdue_only=True)) == [head_item]
    assert [a.pk for a in dashboard.overdue_items(demo.giamdoc)] == [head_item.pk]
    assert {r["unit"].abbreviation: r["overdue"] for r in dashboard.units_overview(demo.giamdoc)}["QLVT"] == 1
    # The Deputy and the Director follow it up: counted once, with the head who holds it.
    assert selectors.counts(demo["pgd.mai"])["overdue"] == 0


def test_a_finished_document_makes_no_item_overdue_by_its_deadline(demo):
    document = overdue_document(demo)
    root = root_of(document)
    flow.forward(actor=demo.giamdoc, assignment=root, deadline=TODAY + timedelta(days=3),
                 targets=[Target("co", unit=Unit.objects.get(abbreviation="KHTC"))])
    assert selectors.counts(demo["tp.khtc"])["overdue"] == 1
    flow.complete(actor=demo.giamdoc, assignment=root, result="Đã xử lý")
    assert selectors.counts(demo["tp.khtc"])["overdue"] == 0


def test_the_clerk_who_set_the_deadline_extends_it_with_a_reason(demo):
    document = overdue_document(demo)
    head_item = walk_down(demo, document)
    deputy_item = head_item.parent
    new = TODAY + timedelta(days=10)
    with pytest.raises(PermissionDenied):
        flow.extend_deadline(actor=demo["pgd.mai"], document=document, deadline=new, reason="Xin lùi hạn")
    with pytest.raises(ValidationError) as refused:
        flow.extend_deadline(actor=demo.vanthu, document=document, deadline=new, reason=" ")
    assert "reason" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        flow.extend_deadline(actor=demo.vanthu, document=document, deadline=document.deadline, reason="Lùi hạn")
    assert "deadline" in refused.value.message_dict

    flow.extend_deadline(actor=demo.vanthu, document=document, deadline=new, reason="UBND tỉnh đồng ý lùi hạn")
    document.refresh_from_db()
    deputy_item.refresh_from_db()
    head_item.refresh_from_db()
    assert document.deadline == new
    assert deputy_item.deadline == new  # it carried the old deadline
    assert head_item.deadline == TODAY + timedelta(days=7)  # its own
    event = Event.objects.get(kind=Event.Kind.EXTENDED)
    assert event.assignment == root_of(document) and "UBND tỉnh đồng ý lùi hạn" in event.note
    assert AuditEntry.objects.filter(action="incoming.deadline_extended").exists()
    assert Notification.objects.filter(recipient=demo["tp.qlvt"], kind="extended").exists()
    assert selectors.counts(demo["tp.qlvt"])["overdue"] == 0
    assert access.deadline_setter(document) == demo.vanthu


def test_extension_over_the_api_shows_in_the_tree(client, demo):
    document = overdue_document(demo)
    walk_down(demo, document)
    client.force_login(demo.vanthu)
    url = f"/api/incoming/{document.pk}/extend-deadline"
    refused = client.post(url, {"deadline": (TODAY - timedelta(days=5)).isoformat(), "reason": "Lùi hạn"}, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["detail"][0]["field"] == "deadline"
    done = client.post(url, {"deadline": (TODAY + timedelta(days=5)).isoformat(), "reason": "Lùi hạn"},
                       content_type="application/json")
    assert done.status_code == 200
    tree = client.get(f"/api/incoming/{document.pk}/tree").json()
    assert [e["note"] for e in tree[0]["events"] if e["kind"] == "extended"]
    client.force_login(demo["pgd.mai"])
    assert client.post(url, {"deadline": (TODAY + timedelta(days=9)).isoformat(), "reason": "x"},
                       content_type="application/json").status_code == 403


def test_forwarding_moves_the_item_from_to_do_to_following_and_back(demo):
    document = register_doc(demo.vanthu)
    root = root_of(document)
    assert selectors.counts(demo.giamdoc)["todo"] == 1
    deputy = flow.forward(actor=demo.giamdoc, assignment=root, targets=[Target("main", person=demo["pgd.mai"])])[0]
    counts = selectors.counts(demo.giamdoc)
    assert (counts["todo"], counts["following"]) == (0, 1)
    assert list(selectors.inbox(demo.giamdoc, "following")) == [root]
    assert selectors.holders_below(demo.giamdoc, [root]) == {root.pk: demo["pgd.mai"]}
    flow.return_assignment(actor=demo["pgd.mai"], assignment=deputy, reason="Không thuộc lĩnh vực")
    counts = selectors.counts(demo.giamdoc)
    assert (counts["todo"], counts["following"]) == (1, 0)


def finished_with_open_items(demo):
    document = register_doc(demo.vanthu)
    qlvt, khtc = Unit.objects.get(abbreviation="QLVT"), Unit.objects.get(abbreviation="KHTC")
    deputy, info, co = flow.forward(actor=demo.giamdoc, assignment=root_of(document), targets=[
        Target("main", person=demo["pgd.mai"]), Target("info", unit=qlvt), Target("co", unit=khtc)])
    flow.complete(actor=demo["pgd.mai"], assignment=deputy, result="Đã báo cáo")
    return document, info, co


def test_heads_and_leaders_close_items_left_open_with_a_reason(demo):
    document, info, co = finished_with_open_items(demo)
    head = demo["tp.qlvt"]
    assert list(selectors.left_open(head)) == [info]
    assert set(selectors.left_open(demo.giamdoc)) == {info, co}
    assert not selectors.left_open(demo["cv.qlvt.long"]).exists()
    with pytest.raises(ValidationError):
        flow.close_left_open(actor=head, items=[info], reason="")
    with pytest.raises(PermissionDenied):
        flow.close_left_open(actor=head, items=[info, co], reason="Đã nắm")
    assert flow.close_left_open(actor=head, items=[info], reason="Đã nắm") == 1
    assert flow.close_left_open(actor=demo["pgd.dung"], items=[co], reason="Văn bản đã xong") == 1
    assert not document.assignments.filter(state__in=["new", "seen", "in_progress", "pending"]).exists()
    assert Event.objects.filter(kind=Event.Kind.CLOSED, note="Văn bản đã xong", assignment=co).exists()
    assert Notification.objects.filter(recipient=demo["tp.khtc"], kind="closed", text__contains="Văn bản đã xong")


def test_items_on_a_document_in_progress_are_not_closed_this_way(demo):
    document = register_doc(demo.vanthu)
    info = flow.forward(actor=demo.giamdoc, assignment=root_of(document),
                        targets=[Target("info", unit=Unit.objects.get(abbreviation="QLVT"))])[0]
    with pytest.raises(PermissionDenied):
        flow.close_left_open(actor=demo.giamdoc, items=[info], reason="Đã nắm")
    info.refresh_from_db()
    assert info.state == Assignment.State.NEW


def test_the_heads_table_adds_up_to_the_unit_overdue_list(demo):
    qlvt = Unit.objects.get(abbreviation="QLVT")
    kept, passed_on = overdue_document(demo), overdue_document(demo)
    for document in (kept, passed_on):
        flow.forward(actor=demo.giamdoc, assignment=root_of(document), targets=[Target("main", person=demo["tp.qlvt"])])
    flow.forward(actor=demo["tp.qlvt"], assignment=passed_on.assignments.get(receiver=demo["tp.qlvt"]),
                 targets=[Target("main", person=demo["cv.qlvt.long"])])
    rows = {r["person"].username: r["overdue"] for r in dashboard.people_overview(demo["tp.qlvt"], qlvt)}
    assert rows["tp.qlvt"] == rows["cv.qlvt.long"] == 1
    assert sum(rows.values()) == selectors.unit_items(demo["tp.qlvt"], qlvt, overdue_only=True).count() == 2
    assert selectors.counts(demo["tp.qlvt"])["overdue"] == 1  # his own: the one he still holds
    handler = selectors.Filters(handler=demo["cv.qlvt.long"].pk)
    assert selectors.unit_items(demo["tp.qlvt"], qlvt, overdue_only=True, filters=handler).count() == 1
