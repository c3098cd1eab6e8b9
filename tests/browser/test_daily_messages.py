"""Issue 11.6: messages name the person and the next step, the submit button names its receiver, and a
notification opens the exact object (the draft's opinions, the item in the processing tree)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import reply_path

from .daily import Target, fill_date, forward, pick, root_of, signed_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_draft_messages_name_the_receiver_and_the_opinion_notice_opens_the_draft(new_page, demo):
    _incoming, _record, draft = reply_path(demo)
    by = timezone.localdate() + timedelta(days=7)

    officer = signed_in(new_page, "cv.qlvt.long")
    officer.goto(f"/records/drafts/{draft.pk}/")
    assert officer.inner_text("[data-testid=submit]") == "Trình Trưởng phòng Phan Văn Đức"
    pick(officer, "[data-testid=ask-people]", "cao thu")
    pick(officer, "[data-testid=ask-people]", "ha minh")
    officer.fill("[data-testid=ask-form] input[name=question]", "Góp ý số liệu quý IV")
    fill_date(officer, "[data-testid=ask-form] input[name=deadline]", by)
    officer.click("[data-testid=ask-form] button")
    assert officer.inner_text(".alert-success").startswith(f"Đã xin ý kiến 2 người, hạn {by:%d/%m}: ")
    assert "Chuyên viên Cao Thu Trang, Chuyên viên Hà Minh Quân" in officer.inner_text(".alert-success")
    assert officer.url.endswith(f"/records/drafts/{draft.pk}/#opinions")

    officer.click("[data-testid=submit]")
    officer.wait_for_selector(".alert-success")
    assert officer.inner_text(".alert-success").startswith("Đã trình Trưởng phòng Phan Văn Đức")

    colleague = signed_in(new_page, "cv.qlvt.trang")
    colleague.goto("/monitoring/notifications/")
    colleague.click("[data-testid=notifications] >> text=xin ý kiến dự thảo")
    colleague.wait_for_selector("[data-testid=answer-form]")
    assert colleague.url.endswith(f"/records/drafts/{draft.pk}/#opinions")  # the draft, not its work record
    colleague.fill("[data-testid=answer-form] textarea", "Đồng ý")
    colleague.click("[data-testid=answer-form] button")
    assert colleague.inner_text(".alert-success") == "Đã gửi ý kiến cho Chuyên viên Tạ Văn Long."

    head = signed_in(new_page, "tp.qlvt")
    head.goto(f"/records/drafts/{draft.pk}/")
    assert head.inner_text("[data-testid=approve]") == "Duyệt, trình Phó Giám đốc Trần Thị Mai ký"
    head.click("[data-testid=approve]")
    head.wait_for_selector(".alert-success")
    assert head.inner_text(".alert-success") == "Đã duyệt, trình Phó Giám đốc Trần Thị Mai ký."


def test_forward_message_names_receivers_roles_and_deadline_and_the_notice_opens_the_item(new_page, demo):
    from tests.factories import register_doc

    document = register_doc(demo.vanthu, summary="V/v kiểm tra tải trọng cầu Nà Cù")
    forward(demo.giamdoc, root_of(document), Target("main", person=demo["tp.qlvt"]))
    by = timezone.localdate() + timedelta(days=10)

    head = signed_in(new_page, "tp.qlvt")
    head.goto(f"/incoming/{document.pk}/")
    if not head.is_visible("[data-testid=forward-submit]"):
        head.click("summary:has-text('Chuyển xử lý')")
    head.select_option(f"[data-testid=role-p-{demo['cv.qlvt.long'].pk}]", "main")
    head.select_option(f"[data-testid=role-p-{demo['cv.qlvt.trang'].pk}]", "co")
    head.fill("[data-testid=instruction]", "Kiểm tra, báo cáo")
    fill_date(head, "[data-testid=forward-form] [name=deadline]", by)
    head.click("[data-testid=forward-submit]")
    head.wait_for_selector(".alert-success")
    assert head.inner_text(".alert-success") == (
        f"Đã chuyển Chuyên viên Tạ Văn Long xử lý chính; Chuyên viên Cao Thu Trang phối hợp; hạn {by:%d/%m/%Y}.")

    officer = signed_in(new_page, "cv.qlvt.long")
    officer.goto("/monitoring/notifications/")
    officer.click("[data-testid=notifications] >> text=Nà Cù")
    officer.wait_for_selector("[data-testid=doc-summary]")
    item = document.assignments.get(receiver=demo["cv.qlvt.long"])
    assert officer.url.endswith(f"/incoming/{document.pk}/#item-{item.pk}")
    assert officer.is_visible(f"#item-{item.pk}")
