"""Backup → wipe → restore gives back every row of every table (column by column, as the database
holds it), every auto-increment position and every file byte, on SQLite and on PostgreSQL."""

import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings as settings_module
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from qlvb.audit.models import AuditEntry
from qlvb.backup.services import create_backup, restore_backup
from qlvb.incoming.models import IncomingDocument
from qlvb.incoming.search import matching
from qlvb.organization.models import Person
from tests.backup import world
from tests.factories import pdf_upload, register_doc

pytestmark = pytest.mark.django_db(transaction=True)

# Live state a backup leaves out on purpose (docs/backup.md): a restore signs everyone out.
LEFT_OUT = {"django_session", "accounts_sessionrecord", "django_tasks_database_dbtaskresult"}


def _pk_columns() -> dict[str, str]:
    return {m._meta.db_table: m._meta.pk.column for m in apps.get_models(include_auto_created=True)}


def _rows() -> dict[str, list[tuple]]:
    """Every row of every table, exactly as the database driver returns it, in primary-key order."""
    q, pks = connection.ops.quote_name, _pk_columns()
    rows = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.django_table_names(only_existing=True)):
            cursor.execute(f"SELECT * FROM {q(table)} ORDER BY {q(pks[table])}")
            rows[table] = cursor.fetchall()
    return rows


def _sequences() -> dict[str, int]:
    """The last number each table's auto-increment handed out."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            return {name: seq for name, seq in cursor.fetchall() if seq}
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = current_schema()"
                       " AND last_value IS NOT NULL")
        return dict(cursor.fetchall())


def _files(root) -> dict[str, bytes]:
    root = Path(root)
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def data(settings, tmp_path):
    settings.QLVB_BACKUP_DIR = tmp_path / "backups"
    return world.build()


def test_round_trip_gives_back_every_row_sequence_and_file(data, settings):
    rows, sequences, files = _rows(), _sequences(), _files(settings.QLVB_FILES_DIR)
    assert sum(map(len, rows.values())) > 500 and len(files) >= 5
    assert any(len(r) for t, r in rows.items() if t.startswith(("axes_", "otp_")))
    archive = create_backup()
    call_command("verify_backup", str(archive), stdout=io.StringIO())

    # Disaster: the database is emptied and the file store lost.
    call_command("flush", interactive=False, verbosity=0)
    for path in Path(settings.QLVB_FILES_DIR).rglob("*"):
        if path.is_file():
            path.unlink()

    call_command("restore", str(archive), stdout=io.StringIO())  # an empty database: no question asked
    after = _rows()
    restored = AuditEntry.objects.order_by("id").last()
    assert restored.action == "backup.restored"
    assert after.pop("audit_auditentry") == rows.pop("audit_auditentry") + [_row_of(restored)]
    assert after.pop("audit_audithead") != rows.pop("audit_audithead")  # one entry longer
    for table in LEFT_OUT:
        assert after.pop(table) == [], table
        rows.pop(table)
    different = {t: [r for r in rows[t] if r not in after[t]][:2] for t in rows if rows[t] != after[t]}
    assert different == {}
    assert _without_audit(_sequences()) == _without_audit(sequences)
    assert _files(settings.QLVB_FILES_DIR) == files
    call_command("verify_files", stdout=io.StringIO())
    call_command("verify_audit", stdout=io.StringIO())
    # The search index is rebuilt with the rows, and new rows take the next numbers.
    assert matching(IncomingDocument.objects.all(), "sửa chữa cầu Nà Cù").count() == 1
    before = list(IncomingDocument.objects.all())
    new = register_doc(Person.objects.get(username="vanthu"), notation="99/NEW", files=[])
    assert new.pk == max(d.pk for d in before) + 1
    assert new.arrival_number == max(d.arrival_number for d in before if d.register_id == new.register_id) + 1


def _without_audit(sequences):
    """Less the audit trail's (one entry longer) and the left-out tables' (emptied)."""
    skip = ("audit_", *LEFT_OUT)
    return {name: last for name, last in sequences.items() if not name.startswith(skip)}


def _row_of(entry):
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditentry WHERE id = %s", [entry.pk])
        return cursor.fetchone()


def _manage(*args, env):
    subprocess.run([sys.executable, "manage.py", *args], env={**os.environ, **env}, check=True,
                   cwd=settings_module.BASE_DIR, capture_output=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite ↔ PostgreSQL: run with DATABASE_URL on PostgreSQL")
def test_round_trip_through_sqlite_gives_back_every_row(data, settings, tmp_path):
    """PostgreSQL → archive → a new SQLite installation → its archive → PostgreSQL: the same rows."""
    rows, sequences, files = _rows(), _sequences(), _files(settings.QLVB_FILES_DIR)
    archive = create_backup()
    other = tmp_path / "sqlite-site"
    env = {"DATABASE_URL": f"sqlite:///{other / 'qlvb.sqlite3'}", "QLVB_VAR_DIR": str(other),
           "QLVB_FILES_DIR": str(other / "files"), "QLVB_BACKUP_DIR": str(other / "backups")}
    _manage("migrate", env=env)
    _manage("restore", str(archive), env=env)
    _manage("backup", "--output", str(other / "backups"), env=env)
    (back,) = list((other / "backups").glob("qlvb-backup-*.tar"))
    call_command("restore", str(back), "--yes", stdout=io.StringIO())

    after = _rows()
    entries = after.pop("audit_auditentry")
    assert entries[:-2] == rows.pop("audit_auditentry")
    assert [e.action for e in AuditEntry.objects.order_by("-id")[:2]] == ["backup.restored"] * 2  # SQLite, here
    for table in (*LEFT_OUT, "audit_audithead"):
        after.pop(table), rows.pop(table)
    assert {t for t in rows if rows[t] != after[t]} == set()
    assert _without_audit(_sequences()) == _without_audit(sequences)
    assert _files(settings.QLVB_FILES_DIR) == files
    call_command("verify_audit", stdout=io.StringIO())


def _rewrite(archive, tmp_path, member_prefix, change):
    """Copy the archive with each member whose name starts with `member_prefix` passed through `change`."""
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith(member_prefix):
                data = change(data)
                member.size = len(data)
            out.addfile(member, io.BytesIO(data))
    return damaged


@pytest.mark.parametrize("member, change", [
    ("files/", lambda data: data[:-1] + bytes([data[-1] ^ 1])),
    ("database", lambda data: data.replace("Văn bản mật".encode(), "Văn bản MẬT".encode())),
], ids=["file", "dump"])
def test_tampered_archive_is_refused_and_changes_nothing(data, tmp_path, member, change):
    archive = create_backup()
    damaged = _rewrite(archive, tmp_path, member, change)
    rows = _rows()
    with pytest.raises(CommandError, match="đã bị thay đổi hoặc hỏng"):
        call_command("verify_backup", str(damaged))
    with pytest.raises(CommandError, match="đã bị thay đổi hoặc hỏng"):
        call_command("restore", str(damaged), "--yes")
    assert _rows() == rows


def _later_schema(data):
    manifest = json.loads(data)
    manifest["schema"].append("incoming.9999_a_later_version")
    return json.dumps(manifest).encode()


def test_archive_of_another_schema_is_refused_and_changes_nothing(data, tmp_path):
    archive = _rewrite(create_backup(), tmp_path, "manifest.json", _later_schema)
    rows = _rows()
    with pytest.raises(CommandError, match="cấu trúc dữ liệu khác phiên bản đang chạy .incoming.9999_a_later"):
        call_command("restore", str(archive), "--yes")
    assert _rows() == rows


def _escaping(archive, tmp_path):
    """A hostile archive: its first stored file renamed, in the manifest and in the tar, to lead out of the store."""
    crafted = tmp_path / "crafted.tar"
    with tarfile.open(archive) as source, tarfile.open(crafted, "w") as out:
        manifest = json.load(source.extractfile("manifest.json"))
        first = manifest["files"][0]
        victim, first["path"] = f"files/{first['path']}", "../escaped"
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == "manifest.json":
                data = json.dumps(manifest).encode()
                member.size = len(data)
            elif member.name == victim:
                member.name = "files/../escaped"
            out.addfile(member, io.BytesIO(data))
    return crafted


def test_archive_writing_outside_the_store_is_refused(data, tmp_path, settings):
    archive = _escaping(create_backup(), tmp_path)
    with pytest.raises(CommandError, match="tên tệp lạ ../escaped"):
        call_command("restore", str(archive), "--yes")
    assert not (Path(settings.QLVB_FILES_DIR).parent / "escaped").exists()


def test_keep_deletes_the_oldest(data, settings):
    import os

    made = []
    for n in range(3):
        archive = create_backup()
        made.append(archive.with_name(f"qlvb-backup-2026010{n}-000000.tar"))
        os.rename(archive, made[-1])
    create_backup(keep=2)
    left = sorted(p.name for p in settings.QLVB_BACKUP_DIR.glob("*.tar"))
    assert len(left) == 2 and made[0].name not in left and made[1].name not in left


def test_restore_over_data_is_refused_in_vietnamese_and_changes_nothing(data, settings):
    archive = create_backup()
    rows, files = _rows(), _files(settings.QLVB_FILES_DIR)
    with pytest.raises(ValidationError) as refused:
        restore_backup(archive)
    people, entries = Person.objects.count(), AuditEntry.objects.count()
    assert refused.value.messages[0].startswith(
        f"Cơ sở dữ liệu đang có dữ liệu: {people} người dùng, {entries} mục nhật ký, {len(files)} tệp.")
    with pytest.raises(CommandError, match="THAY THẾ toàn bộ.*Chạy lại với --yes"):
        call_command("restore", str(archive))  # not at a terminal, so nobody can be asked
    assert _rows() == rows and _files(settings.QLVB_FILES_DIR) == files


def test_restore_with_yes_replaces_the_data_after_backing_it_up(data, settings):
    archive = create_backup()
    later = register_doc(data.vanthu, notation="88/SAU", files=[pdf_upload("sau.pdf", 4)])
    later_file = _files(settings.QLVB_FILES_DIR)
    rows_later = _rows()

    call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    assert not IncomingDocument.objects.filter(notation="88/SAU").exists()
    assert len(_files(settings.QLVB_FILES_DIR)) == len(later_file) - 1  # its file went with it

    saved = AuditEntry.objects.get(action="backup.restored").changes["replaced_saved_in"]
    call_command("restore", str(settings.QLVB_BACKUP_DIR / saved), "--yes", stdout=io.StringIO())
    assert IncomingDocument.objects.get(notation="88/SAU").pk == later.pk
    assert _files(settings.QLVB_FILES_DIR) == later_file
    back = _rows()
    for table in ("audit_auditentry", "audit_audithead", *LEFT_OUT):
        back.pop(table), rows_later.pop(table)
    assert back == rows_later
    call_command("verify_audit", stdout=io.StringIO())
