"""Issue 11.1: an overdue document stays overdue. The Deputy forwards a document whose deadline has
passed: the form offers a valid date and says which deadline governs, a refusal keeps what she typed,
and once forwarded with a later date for the head the document is still overdue for the head and on the
Director's dashboard. The clerk who set the deadline extends it, with a reason, in the tree."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from qlvb.organization.models import Unit

from .daily import Target, forward, overdue_document, root_of, signed_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_forwarding_an_overdue_document_keeps_it_overdue(new_page, demo):
    summary = "V/v báo cáo khắc phục hậu quả mưa lũ tuyến ĐT 254"
    document = overdue_document(demo, summary)
    forward(demo.giamdoc, root_of(document), Target("main", person=demo["pgd.mai"]))

    deputy = signed_in(new_page, "pgd.mai")
    deputy.goto(f"/incoming/{document.pk}/")
    deadline = deputy.locator("[data-testid=forward-form] input[name=deadline]")
    assert datetime.strptime(deadline.input_value(), "%d/%m/%Y").date() >= timezone.localdate()  # a valid date
    governs = deputy.inner_text("[data-testid=deadline-governs]")
    assert document.deadline.strftime("%d/%m/%Y") in governs

    deputy.fill("[data-testid=instruction]", "Phòng QLVT tham mưu gấp")
    deputy.click("[data-testid=forward-submit]")  # nobody chosen: refused
    deputy.wait_for_selector(".alert-danger")
    assert deputy.locator("[data-testid=instruction]").input_value() == "Phòng QLVT tham mưu gấp"

    qlvt = Unit.objects.get(abbreviation="QLVT")
    deputy.select_option(f"[data-testid=role-u-{qlvt.pk}]", "main")
    deputy.fill("[data-testid=deadline-days]", "5")
    deputy.click("[data-testid=forward-submit]")
    deputy.wait_for_selector(".alert-success")
    document.refresh_from_db()
    assert document.deadline < timezone.localdate()  # the sub-assignment did not move it

    head = signed_in(new_page, "tp.qlvt")
    head.goto("/incoming/?tab=overdue")
    assert summary in head.inner_text("[data-testid=inbox-table]")
    director = signed_in(new_page, "giamdoc")
    director.goto("/monitoring/")
    assert summary in director.inner_text("[data-testid=overdue]")


def test_the_clerk_who_set_the_deadline_extends_it_in_the_tree(new_page, demo):
    summary = "V/v rà soát biển báo tốc độ trên quốc lộ 3"
    document = overdue_document(demo, summary)
    forward(demo.giamdoc, root_of(document), Target("main", person=demo["pgd.mai"]))
    later = timezone.localdate() + timedelta(days=10)

    clerk = signed_in(new_page, "vanthu")
    clerk.goto(f"/incoming/{document.pk}/")
    clerk.click("[data-testid=extend-deadline] summary")
    clerk.fill("[data-testid=extend-deadline] input[name=deadline]", later.isoformat())
    clerk.fill("[data-testid=extend-deadline] textarea[name=reason]", "UBND tỉnh đồng ý lùi thời hạn báo cáo")
    clerk.click("[data-testid=extend-submit]")
    clerk.wait_for_selector(".alert-success")
    tree = clerk.inner_text("[data-testid=tree]")
    assert "Gia hạn xử lý" in tree and "UBND tỉnh đồng ý lùi thời hạn báo cáo" in tree
    assert later.strftime("%d/%m/%Y") in clerk.inner_text("[data-testid=doc-deadline]")

    nodes = clerk.request.get(f"/api/incoming/{document.pk}/tree").json()
    kinds = [e["kind"] for e in nodes[0]["events"]]
    assert "extended" in kinds

    deputy = signed_in(new_page, "pgd.mai")  # not the one who set it: no extension offered
    deputy.goto(f"/incoming/{document.pk}/")
    assert deputy.locator("[data-testid=extend-deadline]").count() == 0
