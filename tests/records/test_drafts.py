"""Work records and drafts: versions, opinions, the approval chain and its refusals."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from qlvb.records import services
from qlvb.records.models import Draft, Step
from tests.factories import reply_path

pytestmark = pytest.mark.django_db


def test_every_save_is_a_new_version(demo):
    _, record, draft = reply_path(demo)
    services.save_draft(actor=demo["cv.qlvt.long"], record=record, draft=draft, body="Nội dung sửa lần 2", data={})
    assert list(draft.versions.values_list("number", "body")) == [
        (1, "Sở Giao thông vận tải báo cáo như sau: ..."), (2, "Nội dung sửa lần 2")]


def test_opinion_asked_and_answered(demo):
    _, _, draft = reply_path(demo)
    [request] = services.ask_opinion(actor=demo["cv.qlvt.long"], draft=draft, people=[demo["cv.khtc.nga"]],
                                     question="Góp ý phần kinh phí")
    with pytest.raises(PermissionDenied):
        services.answer_opinion(actor=demo["cv.qlvt.trang"], request=request, answer="x")
    services.answer_opinion(actor=demo["cv.khtc.nga"], request=request, answer="Đề nghị bổ sung dự toán")
    request.refresh_from_db()
    assert request.answered_at and request.answer == "Đề nghị bổ sung dự toán"


def test_chain_head_returns_officer_revises_head_approves_signer_signs(demo):
    _, record, draft = reply_path(demo)
    services.submit(actor=demo["cv.qlvt.long"], draft=draft)
    draft.refresh_from_db()
    assert (draft.state, draft.holder) == (Draft.State.AT_HEAD, demo["tp.qlvt"])
    with pytest.raises(ValidationError):
        services.return_draft(actor=demo["tp.qlvt"], draft=draft, comment=" ")
    services.return_draft(actor=demo["tp.qlvt"], draft=draft, comment="Bổ sung số liệu quý III")
    draft.refresh_from_db()
    assert draft.state == Draft.State.RETURNED and draft.holder is None
    services.save_draft(actor=demo["cv.qlvt.long"], record=record, draft=draft, body="Đã bổ sung số liệu", data={})
    services.submit(actor=demo["cv.qlvt.long"], draft=draft)
    services.approve(actor=demo["tp.qlvt"], draft=draft, comment="Trình Phó Giám đốc")
    draft.refresh_from_db()
    assert (draft.state, draft.holder) == (Draft.State.AT_LEADER, demo["pgd.mai"])
    services.sign(actor=demo["pgd.mai"], draft=draft)
    draft.refresh_from_db()
    assert draft.state == Draft.State.APPROVED
    decisions = list(draft.steps.values_list("decision", "actor__username"))
    assert decisions == [("submit", "cv.qlvt.long"), ("return", "tp.qlvt"), ("submit", "cv.qlvt.long"),
                         ("approve", "tp.qlvt"), ("sign", "pgd.mai")]
    assert Step.objects.get(decision="return").comment == "Bổ sung số liệu quý III"


def test_wrong_people_and_wrong_states_are_refused(demo):
    _, record, draft = reply_path(demo)
    with pytest.raises(PermissionDenied):
        services.approve(actor=demo["tp.qlvt"], draft=draft)  # not submitted to anyone yet
    services.submit(actor=demo["cv.qlvt.long"], draft=draft)
    with pytest.raises(PermissionDenied):
        services.approve(actor=demo["tp.khtc"], draft=draft)  # not the holder
    with pytest.raises(PermissionDenied):
        services.sign(actor=demo["tp.qlvt"], draft=draft)  # the head is not the signer
    with pytest.raises(ValidationError):
        services.save_draft(actor=demo["cv.qlvt.long"], record=record, draft=draft, body="x", data={})
    with pytest.raises(PermissionDenied):
        services.save_draft(actor=demo["cv.qlvt.trang"], record=record, body="x", data={})


def test_closing_a_record_with_open_work_needs_a_note(demo):
    _, record, _ = reply_path(demo)
    with pytest.raises(ValidationError):
        services.close_record(actor=demo["cv.qlvt.long"], record=record)
    services.close_record(actor=demo["cv.qlvt.long"], record=record, note="Chuyển sang hồ sơ khác",
                          code="07.QLVT", retention="5 năm")
    record.refresh_from_db()
    assert record.status == "closed"


def test_shared_colleague_can_edit_only_when_allowed(demo):
    _, record, draft = reply_path(demo)
    services.share(actor=demo["cv.qlvt.long"], record=record, person=demo["cv.qlvt.trang"])
    with pytest.raises(PermissionDenied):
        services.add_note(actor=demo["cv.qlvt.trang"], record=record, text="ghi chú")
    services.share(actor=demo["cv.qlvt.long"], record=record, person=demo["cv.qlvt.trang"], can_edit=True)
    services.add_note(actor=demo["cv.qlvt.trang"], record=record, text="Đã liên hệ Phòng KHTC")
    assert record.record_notes.count() == 1
