"""PDFs that can run code (JavaScript, launch actions, embedded files) are stored but flagged: the clerk
is warned, and they are only ever downloaded. Every stored file is served sandboxed and unsniffed."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from qlvb.files.models import Blob
from qlvb.files.storage import store
from qlvb.incoming.models import Attachment
from tests.factories import incoming_register, pdf_bytes, register_doc

from .builders import (
    OBFUSCATED_EMBEDDED_PDF,
    OBFUSCATED_JS_PDF,
    OBFUSCATED_LAUNCH_PDF,
    api_form,
    assert_served,
    pdf_with,
    registration_form,
    upload,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("data, found", [
    (pdf_with(javascript=True), ["javascript"]),
    (pdf_with(open_action=True), ["javascript"]),
    (pdf_with(launch=True), ["launch"]),
    (pdf_with(embedded=True), ["embedded_file"]),
    (pdf_with(javascript=True, launch=True, embedded=True), ["embedded_file", "javascript", "launch"]),
    (OBFUSCATED_JS_PDF, ["javascript"]),
    (OBFUSCATED_LAUNCH_PDF, ["launch"]),
    (OBFUSCATED_EMBEDDED_PDF, ["embedded_file"]),
    (pdf_bytes(3), []),
])
def test_active_content_is_recorded_on_the_blob(data, found):
    blob = store(io.BytesIO(data))
    assert Blob.objects.get(pk=blob.pk).active_content == found


def _attachment_response(client, attachment, **params):
    url = reverse("incoming:attachment", args=[attachment.document_id, attachment.pk])
    return client.get(url, params)


def test_clerk_is_warned_and_the_pdf_is_only_downloaded(client, demo):
    register = incoming_register(demo.vanthu)
    client.force_login(demo.vanthu)
    form = registration_form(register, "to-trinh.pdf", pdf_with(open_action=True))
    response = client.post(reverse("incoming:register"), form, follow=True)
    page = response.content.decode()
    assert "Tệp “to-trinh.pdf” chứa mã JavaScript: đã lưu, nhưng chỉ cho tải về" in page
    assert 'data-testid="active-content"' in page and 'class="qlvb-pdf"' not in page  # flagged, no preview
    register.refresh_from_db()
    assert register.last_number == 1  # stored and registered, not refused

    attachment = Attachment.objects.get()
    response = _attachment_response(client, attachment)  # the "open" link, without ?download
    assert_served(response, "attachment")


def test_ordinary_pdf_is_shown_inline_but_sandboxed(client, demo):
    document = register_doc(demo.vanthu)
    client.force_login(demo.vanthu)
    page = client.get(reverse("incoming:detail", args=[document.pk])).content.decode()
    assert 'class="qlvb-pdf"' in page and 'data-testid="active-content"' not in page
    assert_served(_attachment_response(client, document.attachments.get()), "inline")


def test_api_registration_stores_the_flag(client, demo):
    register = incoming_register(demo.vanthu)
    client.force_login(demo.vanthu)
    payload = api_form(registration_form(register, "to-trinh.pdf", pdf_with(launch=True)))
    assert client.post("/api/incoming/", payload).status_code == 201
    assert Attachment.objects.get().blob.active_content == ["launch"]


def test_files_stored_before_the_check_are_judged_before_being_served(client, demo):
    document = register_doc(demo.vanthu, files=[upload("cu.pdf", pdf_with(javascript=True))])
    Blob.objects.update(active_content=None)  # as migration 0002 leaves older files
    client.force_login(demo.vanthu)
    assert_served(_attachment_response(client, document.attachments.get()), "attachment")
    assert Blob.objects.get().active_content == ["javascript"]


def test_verify_files_judges_the_files_stored_before_the_check(demo):
    register_doc(demo.vanthu, files=[upload("a.pdf", pdf_with(embedded=True)), upload("b.pdf", pdf_bytes())])
    Blob.objects.update(active_content=None)
    call_command("verify_files")
    assert sorted(Blob.objects.values_list("active_content", flat=True), key=len) == [[], ["embedded_file"]]


def test_a_pdf_too_large_to_walk_is_flagged_not_called_harmless(monkeypatch):
    from qlvb.files import pdffiles

    monkeypatch.setattr(pdffiles, "MAX_VALUES", 50)
    blob = store(io.BytesIO(pdf_bytes(20)))
    assert blob.active_content == ["unscannable"] and blob.is_active
