"""Attachments are verified on every read: a tampered file is reported, never served."""

import pytest
from django.urls import reverse

from qlvb.audit.models import AuditEntry
from tests.factories import pdf_bytes, register_doc
from tests.files.stored import read_stored, replace_stored

pytestmark = pytest.mark.django_db


def test_intact_attachment_is_served_with_its_type(client, demo):
    document = register_doc(demo.vanthu)
    attachment = document.attachments.get()
    client.force_login(demo.giamdoc)
    response = client.get(reverse("incoming:attachment", args=[document.pk, attachment.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_tampered_attachment_is_detected_and_not_served(client, demo):
    document = register_doc(demo.vanthu)
    attachment = document.attachments.get()
    sha = attachment.blob.sha256
    replace_stored(sha, read_stored(sha).replace(b"%%EOF", b"%%EOX"))
    client.force_login(demo.giamdoc)
    response = client.get(reverse("incoming:attachment", args=[document.pk, attachment.pk]), follow=True)
    page = response.content.decode()
    assert response.redirect_chain and "đã bị thay đổi hoặc hỏng" in page
    assert AuditEntry.objects.filter(action="files.corrupted", object_id=str(document.pk)).exists()
