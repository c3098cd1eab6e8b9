"""Dates as typed (issue 11 item 9): dd/mm/yyyy and ISO accepted, never mm/dd/yyyy; refusals name the field."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError

from qlvb.core import dates
from qlvb.core.forms import DateField, DateTimeField


@pytest.mark.parametrize(("text", "expected"), [
    ("05/12/2026", date(2026, 12, 5)), ("5/1/2027", date(2027, 1, 5)), (" 05/12/2026 ", date(2026, 12, 5)),
    ("2026-12-05", date(2026, 12, 5)), ("12/31/2026", None), ("31/02/2026", None), ("", None), (None, None),
    ("01/01/1899", None), ("hôm nay", None),
])
def test_parse_date(text, expected):
    assert dates.parse_date(text) == expected


def test_refusal_names_the_field():
    with pytest.raises(ValidationError) as refused:
        dates.date_or_refuse("12/31/2026", "Hạn xử lý")
    assert refused.value.messages == ["Hạn xử lý: nhập ngày dạng ngày/tháng/năm, ví dụ 05/12/2026."]
    assert dates.date_or_refuse("  ", "Hạn xử lý") is None


def test_form_fields():
    assert DateField(label="Ngày văn bản").clean("05/12/2026") == date(2026, 12, 5)
    with pytest.raises(ValidationError, match="Ngày văn bản: nhập ngày"):
        DateField(label="Ngày văn bản").clean("12/31/2026")
    typed = DateTimeField(label="Từ", required=False).to_python("05/12/2026 14:30")  # local time, 24 hours
    assert typed.replace(tzinfo=None) == datetime(2026, 12, 5, 14, 30) and str(typed.tzinfo) == "Asia/Ho_Chi_Minh"
    with pytest.raises(ValidationError, match="Từ: nhập ngày giờ"):
        DateTimeField(label="Từ").to_python("05/12/2026 2:30 PM")
    widget = DateField().widget
    assert widget.input_type == "text" and widget.format_value(date(2026, 12, 5)) == "05/12/2026"


def test_a_date_input_without_a_label_speaks_the_page_language():
    """The tag keeps each input's markup per process: a page in English must not get the Vietnamese hint
    a page in Vietnamese left there (the inbox's inputs have translated labels, which hide this)."""
    from django.template import Context, Template
    from django.utils import translation

    template = Template('{% load qlvb %}{% date_input "until" "2026-12-05" id="until" %}')
    with translation.override("vi"):
        vietnamese = template.render(Context())
    with translation.override("en"):
        english = template.render(Context())
    assert 'title="Ngày dạng ngày/tháng/năm, ví dụ 05/12/2026"' in vietnamese
    assert 'title="Date as day/month/year, e.g. 05/12/2026"' in english
    assert 'value="05/12/2026"' in english and 'value="05/12/2026"' in vietnamese
