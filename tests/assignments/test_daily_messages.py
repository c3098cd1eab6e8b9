"""Issue 11.6 on the document page: after each action on an item the message names who has the work now."""

import pytest
from django.contrib.messages import get_messages

from qlvb.assignments import services as flow
from qlvb.assignments.services import Target
from tests.conftest import login
from tests.factories import register_doc, root_of

pytestmark = pytest.mark.django_db


def _said(client, url, data=None) -> str:
    response = client.post(url, data or {})
    [said] = [str(m) for m in get_messages(response.wsgi_request)]
    client.get("/")  # shows the message, which consumes it
    return said


def _to_officer(demo):
    document = register_doc(demo.vanthu)
    head = flow.forward(actor=demo.giamdoc, assignment=root_of(document),
                        targets=[Target("main", person=demo["tp.qlvt"])])[0]
    [item] = flow.forward(actor=demo["tp.qlvt"], assignment=head,
                          targets=[Target("main", person=demo["cv.qlvt.long"])])
    return document, head, item


def test_return_recall_and_complete_name_the_person(client, demo):
    _document, _head, item = _to_officer(demo)
    login(client, demo["cv.qlvt.long"])
    assert _said(client, f"/assignments/{item.pk}/return/", {"note": "Không thuộc lĩnh vực"}) == \
        "Đã trả lại văn bản cho Trưởng phòng Phan Văn Đức."

    _document, _head, item = _to_officer(demo)
    login(client, demo["tp.qlvt"])
    assert _said(client, f"/assignments/{item.pk}/recall/") == "Đã thu hồi văn bản từ Chuyên viên Tạ Văn Long."

    _document, _head, item = _to_officer(demo)
    login(client, demo["cv.qlvt.long"])
    assert _said(client, f"/assignments/{item.pk}/complete/", {"note": "Đã kiểm tra"}) == \
        "Đã hoàn thành; văn bản đã xử lý xong."


def test_forward_to_a_unit_names_the_unit_and_its_head(client, demo):
    document = register_doc(demo.vanthu)
    login(client, demo.giamdoc)
    unit = demo["tp.khtc"].unit
    said = _said(client, f"/assignments/{root_of(document).pk}/forward/",
                 {f"role_u_{unit.pk}": "main", f"role_p_{demo['pgd.mai'].pk}": "info"})
    assert said == (f"Đã chuyển {unit} (Trưởng phòng Ngô Thị Hương nhận) xử lý chính; "
                    "Phó Giám đốc Trần Thị Mai để biết.")
