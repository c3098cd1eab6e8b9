"""A draft's file goes through the same checks: a hostile DOCX is refused by name, an active PDF is
kept with a warning and served only as a sandboxed download."""

import pytest
from django.urls import reverse

from qlvb.documents.models import DocumentType
from qlvb.files.models import Blob
from qlvb.records.models import Version
from tests.factories import reply_path

from .builders import XXE_DOCX, assert_served, pdf_with, upload

pytestmark = pytest.mark.django_db


def _save_new_draft(client, demo, record, name, data):
    client.force_login(demo["cv.qlvt.long"])
    return client.post(reverse("records:draft_new", args=[record.pk]), {
        "document_type": DocumentType.objects.get(name="Công văn").pk, "summary": "V/v báo cáo bảo trì",
        "signer": demo["pgd.mai"].pk, "signing_form": "KT.", "urgency": "normal", "confidentiality": "normal",
        "upload": upload(name, data)}, follow=True)


def test_hostile_docx_draft_is_refused_by_name(client, demo):
    _incoming, record, _draft = reply_path(demo)
    blobs, versions = Blob.objects.count(), Version.objects.count()
    page = _save_new_draft(client, demo, record, "du-thao.docx", XXE_DOCX).content.decode()
    assert "Không nhận tệp “du-thao.docx”" in page and "thực thể XML bị cấm" in page
    assert (Blob.objects.count(), Version.objects.count()) == (blobs, versions)


def test_active_pdf_draft_is_kept_with_a_warning_and_only_downloaded(client, demo):
    _incoming, record, _draft = reply_path(demo)
    page = _save_new_draft(client, demo, record, "du-thao.pdf", pdf_with(javascript=True)).content.decode()
    assert "Tệp “du-thao.pdf” chứa mã JavaScript" in page and 'data-testid="active-content"' in page
    version = Version.objects.get(file_name="du-thao.pdf")
    response = client.get(reverse("records:version_file", args=[version.draft_id, version.number]))
    assert_served(response, "attachment")
