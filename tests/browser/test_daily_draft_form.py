"""Issue 11.8: the draft form answers the incoming document — its issuer is already a recipient — and picks
people, units and agencies by typing (a vendored picker, no outside network); the opinion list starts with the
unit's colleagues and never offers the reporting account."""

import pytest

from qlvb.documents.models import ExternalAgency
from qlvb.organization.models import Person, Role
from qlvb.records import services as records
from tests.factories import register_doc

from .daily import Target, forward, pick, root_of, signed_in

pytestmark = pytest.mark.django_db(transaction=True)
ISSUER = "Cục Đường bộ Việt Nam"


def test_draft_form_prefills_the_issuer_and_picks_by_typing(new_page, demo, live_server):
    ExternalAgency.objects.create(name=ISSUER)
    ExternalAgency.objects.create(name="Cục Đăng kiểm Việt Nam")
    incoming = register_doc(demo.vanthu, issuer=ISSUER, summary="V/v báo cáo tải trọng cầu")
    head = forward(demo.giamdoc, root_of(incoming), Target("main", person=demo["tp.qlvt"]))[0]
    forward(demo["tp.qlvt"], head, Target("main", person=demo["cv.qlvt.long"]))
    record = records.open_record(actor=demo["cv.qlvt.long"], title="Trả lời Cục Đường bộ", incoming=incoming)

    officer = signed_in(new_page, "cv.qlvt.long")
    elsewhere = []
    officer.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith(live_server.url) else None)
    officer.goto(f"/records/{record.pk}/drafts/new/")
    chosen = officer.locator("#id_recipient_agencies + .ts-wrapper .item").all_inner_texts()
    assert [c.strip("×").strip() for c in chosen] == [ISSUER]  # the incoming document's issuer

    officer.select_option("#id_document_type", label="Công văn")
    officer.fill("#id_summary", "V/v báo cáo tải trọng cầu Nà Cù")
    officer.select_option("#id_signer", label="Trần Thị Mai")
    officer.select_option("#id_signing_form", value="KT.")
    pick(officer, "#id_recipient_units", "ke hoach")  # no accents typed: "Phòng Kế hoạch – Tài chính"
    pick(officer, "#id_recipient_people", "duong thi yen")
    officer.fill("#id_body", "Sở Giao thông vận tải báo cáo như sau.")
    officer.click("[data-testid=draft-save]")
    officer.wait_for_selector("[data-testid=draft-state]")
    recipients = officer.inner_text("text=Nơi nhận >> xpath=..")
    assert "Phòng Kế hoạch – Tài chính" in recipients and "Dương Thị Yến" in recipients and ISSUER in recipients

    # The opinion picker: the record's unit first, then the agency; no reporting or admin-only account.
    officer.locator("[data-testid=ask-people] + .ts-wrapper .ts-control input").click()
    # The dropdown opens after the click: read its options once they are there, not at once.
    officer.wait_for_selector("[data-testid=ask-people] + .ts-wrapper .ts-dropdown .option")
    offered = officer.locator("[data-testid=ask-people] + .ts-wrapper .ts-dropdown .option").all_inner_texts()
    qlvt = {p.full_name for p in Person.objects.filter(unit__abbreviation="QLVT").exclude(username="cv.qlvt.long")}
    assert {o.split(" – ")[0] for o in offered[:len(qlvt)]} == qlvt
    reporting = Person.objects.get(position__role=Role.REPORTER)
    assert not any(reporting.full_name in o for o in offered)
    assert not any(demo.quantri.full_name in o for o in offered)
    assert elsewhere == []  # every script, style and font from the server itself
