"""Registering incoming documents: numbers, files, routing to the leader, duplicates, cancel."""

from hashlib import sha256

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from qlvb.audit.models import AuditEntry
from qlvb.files.backends import key_for
from qlvb.files.models import Blob
from qlvb.incoming import services
from qlvb.incoming.models import IncomingDocument
from qlvb.organization.models import Field
from tests.factories import pdf_bytes, register_doc, root_of
from tests.files.stored import nothing_stored, scratch_files, stored_keys

pytestmark = pytest.mark.django_db


def test_numbers_run_from_one_and_document_goes_to_director(demo):
    first = register_doc(demo.vanthu, notation="1/UBND")
    second = register_doc(demo.vanthu, notation="2/UBND")
    assert (first.arrival_number, second.arrival_number) == (1, 2)
    assert root_of(first).receiver == demo.giamdoc
    assert root_of(first).sender == demo.vanthu
    assert first.attachments.get().is_main
    assert AuditEntry.objects.filter(action="incoming.register", object_id=str(first.pk)).exists()


def test_field_routes_to_the_deputy_in_charge(demo):
    field = Field.objects.get(code="VT")
    document = register_doc(demo.vanthu, field=field)
    assert root_of(document).receiver == demo["pgd.mai"]


def test_confidential_register_has_its_own_numbers_and_keepers(demo):
    register_doc(demo.vanthu, notation="1/A")
    secret = register_doc(demo["vanthu.mat"], notation="2/MAT", confidential=True)
    assert secret.arrival_number == 1 and secret.register.is_confidential
    with pytest.raises(PermissionDenied):
        register_doc(demo.vanthu, notation="3/MAT", confidential=True)


def test_only_clerks_register(demo):
    with pytest.raises(PermissionDenied):
        register_doc(demo["cv.qlvt.long"])
    assert IncomingDocument.objects.count() == 0


def test_rejected_file_leaves_no_document_and_no_number_used(demo):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    with pytest.raises(ValidationError):
        register_doc(demo.vanthu, files=[bad])
    assert IncomingDocument.objects.count() == 0
    assert Blob.objects.count() == 0
    assert register_doc(demo.vanthu).arrival_number == 1


def test_cancelled_number_is_kept_and_not_reused(demo):
    document = register_doc(demo.vanthu)
    services.cancel_registration(actor=demo.vanthu, document=document, reason="Vào sổ nhầm")
    document.refresh_from_db()
    assert document.status == IncomingDocument.Status.CANCELLED
    assert register_doc(demo.vanthu, notation="9/X").arrival_number == 2


def test_cancel_needs_a_reason(demo):
    document = register_doc(demo.vanthu)
    with pytest.raises(ValidationError):
        services.cancel_registration(actor=demo.vanthu, document=document, reason=" ")


def test_one_bad_file_among_several_stores_none(demo, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import pdf_upload

    truncated = SimpleUploadedFile("cut.pdf", pdf_upload().read()[:-40])
    with pytest.raises(ValidationError, match="cắt cụt|hỏng"):
        register_doc(demo.vanthu, files=[pdf_upload(), truncated])
    assert Blob.objects.count() == 0
    assert nothing_stored()


def test_refused_metadata_leaves_the_good_file_out_of_the_store(demo, settings):
    """The files are checked before the transaction; a refusal after that still stores nothing."""
    from datetime import datetime

    with pytest.raises(ValidationError, match="năm"):
        register_doc(demo.vanthu, arrived_at=datetime(2020, 5, 4, 9, tzinfo=timezone.get_current_timezone()))
    assert Blob.objects.count() == 0 and IncomingDocument.objects.count() == 0
    assert not scratch_files()
    # On object storage the checked file was uploaded before the transaction (which must not wait on
    # the network): it stays unreferenced, never served, until `verify_files --prune`.
    assert stored_keys() == ([] if settings.QLVB_STORAGE == "local" else [key_for(sha256(pdf_bytes()).hexdigest())])


def test_the_same_scan_attached_twice_is_stored_once(demo):
    from tests.factories import pdf_upload

    document = register_doc(demo.vanthu, files=[pdf_upload(), pdf_upload()])
    assert document.attachments.count() == 2 and Blob.objects.count() == 1
    again = register_doc(demo.vanthu, notation="2/X", files=[pdf_upload()])
    assert again.attachments.get().blob_id == document.attachments.first().blob_id and Blob.objects.count() == 1
