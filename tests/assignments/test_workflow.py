"""Forwarding down the hierarchy and processing: the whole path, and each refusal."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qlvb.assignments import services
from qlvb.assignments.models import Assignment
from qlvb.assignments.services import Target
from qlvb.incoming.models import IncomingDocument
from qlvb.organization.models import Unit
from tests.factories import register_doc, root_of

pytestmark = pytest.mark.django_db
MAIN, CO, INFO = Assignment.Role.MAIN, Assignment.Role.CO, Assignment.Role.INFO


@pytest.fixture
def document(demo):
    return register_doc(demo.vanthu)


def _down_to_officer(demo, document):
    """Director → Deputy → QLVT head (main) + KHTC (co) → officer."""
    deputy = services.forward(actor=demo.giamdoc, assignment=root_of(document),
                              targets=[Target(MAIN, person=demo["pgd.mai"])], instruction="Đề nghị xử lý")[0]
    head, co = services.forward(actor=demo["pgd.mai"], assignment=deputy, targets=[
        Target(MAIN, unit=Unit.objects.get(abbreviation="QLVT")),
        Target(CO, unit=Unit.objects.get(abbreviation="KHTC"))])
    officer = services.forward(actor=demo["tp.qlvt"], assignment=head,
                               targets=[Target(MAIN, person=demo["cv.qlvt.long"])])[0]
    return deputy, head, co, officer


def test_full_path_completes_the_document(demo, document):
    deputy, head, co, officer = _down_to_officer(demo, document)
    assert head.receiver == demo["tp.qlvt"] and head.to_unit
    assert co.receiver == demo["tp.khtc"]
    services.mark_pending(actor=demo["cv.qlvt.long"], assignment=officer, note="Chờ hồ sơ từ Thanh tra")
    officer.refresh_from_db()
    assert officer.state == "pending"
    services.complete(actor=demo["cv.qlvt.long"], assignment=officer, result="Đã tham mưu văn bản trả lời")
    for item in (officer, head, deputy, root_of(document)):
        item.refresh_from_db()
        assert item.state == "done", item
    document.refresh_from_db()
    assert document.status == IncomingDocument.Status.DONE
    co.refresh_from_db()
    assert co.state == "new"  # co-handlers do not block completion
    assert officer.events.filter(kind="pending", note="Chờ hồ sơ từ Thanh tra").exists()


def test_only_one_main_handler_per_level(demo, document):
    with pytest.raises(ValidationError):
        services.forward(actor=demo.giamdoc, assignment=root_of(document), targets=[
            Target(MAIN, person=demo["pgd.mai"]), Target(MAIN, person=demo["pgd.minh"])])
    services.forward(actor=demo.giamdoc, assignment=root_of(document), targets=[Target(MAIN, person=demo["pgd.mai"])])
    with pytest.raises(ValidationError):
        services.forward(actor=demo.giamdoc, assignment=root_of(document),
                         targets=[Target(MAIN, person=demo["pgd.minh"])])


def test_head_forwards_only_inside_own_unit(demo, document):
    deputy, head, co, officer = _down_to_officer(demo, document)
    with pytest.raises(PermissionDenied):
        services.forward(actor=demo["tp.qlvt"], assignment=head, targets=[Target(CO, person=demo["cv.khtc.nga"])])


def test_officer_cannot_forward_or_act_on_others_items(demo, document):
    deputy, head, co, officer = _down_to_officer(demo, document)
    with pytest.raises(PermissionDenied):
        services.forward(actor=demo["cv.qlvt.long"], assignment=officer,
                         targets=[Target(INFO, person=demo["cv.qlvt.trang"])])
    with pytest.raises(PermissionDenied):
        services.complete(actor=demo["cv.qlvt.trang"], assignment=officer, result="x")


def test_pending_requires_a_note(demo, document):
    with pytest.raises(ValidationError):
        services.mark_pending(actor=demo.giamdoc, assignment=root_of(document), note="  ")


def test_for_information_item_closes_in_one_click(demo, document):
    info = services.forward(actor=demo.giamdoc, assignment=root_of(document),
                            targets=[Target(INFO, person=demo["pgd.dung"])])[0]
    assert info.box == "info"
    services.complete(actor=demo["pgd.dung"], assignment=info)
    info.refresh_from_db()
    assert (info.state, info.box, info.result) == ("done", "done", "Đã xem, lưu theo dõi")


def test_return_goes_back_to_sender_and_clerk_presents_again(demo, document):
    services.return_assignment(actor=demo.giamdoc, assignment=root_of(document), reason="Thuộc lĩnh vực Phó GĐ")
    document.refresh_from_db()
    assert document.status == IncomingDocument.Status.RETURNED
    from qlvb.incoming.services import present_again

    present_again(actor=demo.vanthu, document=document, receiver=demo["pgd.minh"])
    assert document.assignments.get(parent=None, state="new").receiver == demo["pgd.minh"]


def test_recall_only_before_the_receiver_acts(demo, document):
    deputy = services.forward(actor=demo.giamdoc, assignment=root_of(document),
                              targets=[Target(MAIN, person=demo["pgd.mai"])])[0]
    services.recall(actor=demo.giamdoc, assignment=deputy)
    deputy.refresh_from_db()
    assert deputy.state == "recalled"
    again = services.forward(actor=demo.giamdoc, assignment=root_of(document),
                             targets=[Target(MAIN, person=demo["pgd.minh"])])[0]
    services.mark_pending(actor=demo["pgd.minh"], assignment=again, note="Chờ ý kiến")
    with pytest.raises(ValidationError):
        services.recall(actor=demo.giamdoc, assignment=again)
    with pytest.raises(PermissionDenied):
        services.recall(actor=demo["pgd.mai"], assignment=again)


def test_cannot_complete_while_main_handler_below_is_open(demo, document):
    deputy, head, co, officer = _down_to_officer(demo, document)
    with pytest.raises(ValidationError):
        services.complete(actor=demo["tp.qlvt"], assignment=head, result="Xong")


def test_mark_seen_only_for_receiver(demo, document):
    root = root_of(document)
    services.mark_seen(actor=demo.vanthu, assignment=root)
    root.refresh_from_db()
    assert root.state == "new"
    services.mark_seen(actor=demo.giamdoc, assignment=root)
    root.refresh_from_db()
    assert root.state == "seen" and root.seen_at


def test_completion_is_dated_in_the_agencys_time_zone(demo, document, monkeypatch):
    """Done at 23:30 UTC is 06:30 the next morning in Việt Nam: the on-time figures use that day."""
    from datetime import UTC, date, datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 3, 9, 23, 30, tzinfo=UTC))
    services.complete(actor=demo.giamdoc, assignment=root_of(document), result="Xong")
    root = root_of(document)
    document.refresh_from_db()
    assert (root.done_on, document.completed_on) == (date(2026, 3, 10), date(2026, 3, 10))
