"""The inbox's rows, filter options, date inputs and menu are written by template tags in Python
(`incoming_list.inbox_rows`, `qlvb.options`, `qlvb.date_input`, `qlvb.main_menu`): what was typed
stays text, the chosen filters stay chosen, and each language gets its own words."""

import pytest
from django.conf import settings
from django.urls import reverse

from qlvb.documents.models import DocumentType

from .test_inbox_compiled import inbox, to_officer

pytestmark = pytest.mark.django_db


def test_markup_typed_into_a_document_shows_as_text_in_the_inbox(demo, client):
    officer = demo["cv.qlvt.long"]
    to_officer(demo, officer, 'V/v <b onmouseover="x()">họp</b> & "gấp"')
    page = inbox(client, officer, tab="todo")
    assert "V/v &lt;b onmouseover=&quot;x()&quot;&gt;họp&lt;/b&gt; &amp; &quot;gấp&quot;" in page
    assert "<b onmouseover" not in page


def test_the_chosen_filters_stay_chosen(demo, client):
    officer = demo["cv.qlvt.long"]
    to_officer(demo, officer, "V/v lọc theo loại")
    kind = DocumentType.objects.get(name="Quyết định")
    page = inbox(client, officer, tab="todo", urgency="urgent", type=kind.pk, state="seen", **{"from": "2026-11-01"})
    assert '<option value="urgent" selected>Khẩn</option>' in page
    assert f'<option value="{kind.pk}" selected>Quyết định</option>' in page
    assert '<option value="seen" selected>' in page and '<option value="new">' in page
    assert 'name="from" value="01/11/2026"' in page


def test_each_language_gets_its_own_words_in_the_rows_the_date_inputs_and_the_menu(demo, client):
    officer = demo["cv.qlvt.long"]
    to_officer(demo, officer, "V/v ngôn ngữ")
    vietnamese = inbox(client, officer, tab="todo")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = inbox(client, officer, tab="todo")
    assert "Ngày dạng ngày/tháng/năm, ví dụ 05/12/2026" in vietnamese
    assert "Date as day/month/year, e.g. 05/12/2026" in english
    assert "Ngày dạng ngày/tháng/năm" not in english
    inbox_link = f'class="nav-link active"\n             href="{reverse("incoming:inbox")}"'
    assert inbox_link in vietnamese and inbox_link in english
    assert "> Văn bản đến<" in vietnamese and "> Incoming documents<" in english
