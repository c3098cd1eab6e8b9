"""Backup → wipe → restore → verify: byte-identical files and the same rows, on SQLite and PostgreSQL."""

import tarfile

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError

from qlvb.backup.services import _models, create_backup, restore_backup
from qlvb.files.storage import path_for
from qlvb.incoming.models import IncomingDocument
from qlvb.organization.models import Person
from tests.factories import pdf_upload, register_doc

pytestmark = pytest.mark.django_db(transaction=True)


def _counts():
    return {m._meta.label_lower: m._base_manager.count() for m in _models()}


@pytest.fixture
def data(demo, settings, tmp_path):
    settings.QLVB_BACKUP_DIR = tmp_path / "backups"
    first = register_doc(demo.vanthu, notation="1/A", files=[pdf_upload("a.pdf", 1), pdf_upload("b.pdf", 3)])
    register_doc(demo.vanthu, notation="2/B", files=[pdf_upload("c.pdf", 2)])
    return first


def test_round_trip_restores_rows_and_files_exactly(data, settings):
    before = _counts()
    blobs = {a.blob.sha256: path_for(a.blob.sha256).read_bytes() for a in data.attachments.all()}
    hash_before = Person.objects.get(username="vanthu").password
    archive = create_backup()
    call_command("verify_backup", str(archive))

    call_command("flush", interactive=False, verbosity=0)
    for sha in blobs:
        path_for(sha).unlink()
    assert IncomingDocument.objects.count() == 0

    restore_backup(archive)
    after = _counts()
    after.pop("audit.auditentry"), before.pop("audit.auditentry")  # the restore itself is audited
    after.pop("audit.audithead"), before.pop("audit.audithead")
    assert after == before
    assert {sha: path_for(sha).read_bytes() for sha in blobs} == blobs
    assert Person.objects.get(username="vanthu").password == hash_before
    call_command("verify_files")
    call_command("verify_audit")


def _tamper(archive, tmp_path):
    """Rewrite the archive with one byte of one stored file changed."""
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("files/"):
                data = data[:-1] + bytes([data[-1] ^ 1])
            import io

            out.addfile(member, io.BytesIO(data))
    return damaged


def test_damaged_archive_is_refused_and_changes_nothing(data, tmp_path):
    archive = create_backup()
    damaged = _tamper(archive, tmp_path)
    register_doc(data.registered_by, notation="3/C", files=[])
    before = _counts()
    with pytest.raises(CommandError, match="thay đổi hoặc hỏng"):
        call_command("verify_backup", str(damaged))
    with pytest.raises(CommandError, match="thay đổi hoặc hỏng"):
        call_command("restore", str(damaged), "--yes")
    assert _counts() == before


def test_keep_deletes_the_oldest(data, settings):
    import os
    import time

    made = []
    for _ in range(3):
        archive = create_backup()
        os.rename(archive, archive.with_name(f"qlvb-backup-2026010{len(made)}-000000.tar"))
        made.append(archive.with_name(f"qlvb-backup-2026010{len(made)}-000000.tar"))
        time.sleep(0.01)
    create_backup(keep=2)
    left = sorted(p.name for p in settings.QLVB_BACKUP_DIR.glob("*.tar"))
    assert len(left) == 2 and made[0].name not in left and made[1].name not in left


def test_restore_refuses_without_confirmation_when_not_interactive(data):
    archive = create_backup()
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))
    assert apps.get_model("incoming", "IncomingDocument").objects.count() == 2
