"""Backup and restore: one archive holds a consistent database dump, the file store and a manifest.

The archive (`qlvb-backup-YYYYmmdd-HHMMSS.tar`) contains:
- `database.jsonl`: every row of every table (`dump.py`: exact to the microsecond, link tables with
  their ids), taken inside one transaction (REPEATABLE READ on PostgreSQL, BEGIN IMMEDIATE on SQLite),
  so it is a consistent snapshot that loads on either database;
- `files/ab/cd/<sha256>`: the content-addressed store;
- `manifest.json`: row counts per table, each table's auto-increment position, and the SHA-256 and
  size of the dump and of every file (the archive's last member: the files are hashed as they are
  streamed in, from the local store or from S3, read once).
Left out on purpose (`EXCLUDED`): sign-in sessions and their list (bearer credentials that must not
travel in an archive; a restore signs everyone out) and the task queue (jobs queued or running at
backup time; a restored "running" row would never finish).
A restore first verifies the whole archive, refuses a database that holds data unless told to replace
it (then backs that data up first), writes the archive's files into the store, replaces every table
in one transaction, puts the auto-increments back, checks the row counts, and only then removes the
files the restored database does not know.
"""

import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb.audit.models import AuditEntry
from qlvb.audit.services import record
from qlvb.files import backends

from . import dump

EXCLUDED = {"sessions.session", "accounts.sessionrecord", "django_tasks_database.dbtaskresult"}
PREFIX = "qlvb-backup-"
FORMAT = 2  # 1: dumpdata's JSON (timestamps cut to milliseconds), no auto-increment positions or schema


def _models():
    """Every table a backup holds: each model, and each many-to-many link table, except `EXCLUDED`."""
    def kept(model):
        owner = model._meta.auto_created or model
        return model._meta.managed and not model._meta.proxy and owner._meta.label_lower not in EXCLUDED

    return [m for m in apps.get_models(include_auto_created=True) if kept(m)]


def _counts_known(counts: dict) -> None:
    """The manifest names tables this version has, with whole numbers (LookupError or ValueError if not)."""
    for label, count in counts.items():
        apps.get_model(label)
        if not isinstance(count, int):
            raise ValueError(label)


def _counts(labels) -> dict[str, int]:
    return {label: apps.get_model(label)._base_manager.count() for label in labels}


def _stored_files() -> list[backends.Stored]:
    return sorted(backends.current().listing())


class _Hashing:
    """Reads a stream through SHA-256 (a file goes into the archive and its manifest entry in one read)."""

    def __init__(self, stream):
        self.stream, self.digest = stream, hashlib.sha256()

    def read(self, size=-1):
        chunk = self.stream.read(size)
        self.digest.update(chunk)
        return chunk


def _add_files(tar, stored: list[backends.Stored]) -> list[dict]:
    """Stream every stored file into the archive; return their manifest entries."""
    backend, entries = backends.current(), []
    for item in stored:
        info = tarfile.TarInfo(f"files/{item.key}")
        info.size, info.mode = item.size, 0o644
        with backend.open(item.key) as handle:
            reader = _Hashing(handle)
            tar.addfile(info, reader)
        entries.append({"path": item.key, "size": item.size, "sha256": reader.digest.hexdigest()})
    return entries


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 16):
            digest.update(chunk)
    return digest.hexdigest()


def _schema() -> list[str]:
    """The migrations applied: a dump loads only into the schema it was taken from."""
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


def _snapshot(dump_path: Path) -> tuple[dict, dict]:
    """Dump every table, count its rows and read its auto-increment, all inside one consistent read."""
    models = _models()
    # The isolation level can only be chosen as a transaction's first statement; when called
    # inside a caller's transaction (a test, a shell) that transaction is the snapshot.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            connection.cursor().execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        counts = _counts(m._meta.label_lower for m in models)
        dump.write(models, dump_path)
        positions = dump.positions(models)
    return counts, positions


def _publish(partial: Path, output_dir: Path) -> Path:
    """Give the finished archive its final name, never over another's (two backups in one second)."""
    while (final := output_dir / f"{PREFIX}{timezone.localtime():%Y%m%d-%H%M%S}.tar").exists():
        time.sleep(0.25)
    os.replace(partial, final)
    return final


def create_backup(*, actor=None, output_dir=None, keep: int | None = None) -> Path:
    """Write a new archive (atomically: a half-written one never has the final name); keep the newest `keep`."""
    output_dir = Path(output_dir or settings.QLVB_BACKUP_DIR)
    output_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output_dir) as work:
        database = Path(work) / dump.NAME
        counts, positions = _snapshot(database)
        files = _stored_files()
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w") as tar:
            tar.add(database, arcname=dump.NAME)
            manifest = {
                "format": FORMAT, "created_at": timezone.now().isoformat(), "database": connection.vendor,
                "schema": _schema(), "counts": counts, "sequences": positions,
                "dump": {"name": dump.NAME, "sha256": _sha256(database), "size": database.stat().st_size},
                "files": _add_files(tar, files),
            }
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        final = _publish(partial, output_dir)
    record(actor=actor, action="backup.created", changes={
        "archive": final.name, "files": len(files), "rows": sum(counts.values()),
        "manifest_sha256": hashlib.sha256(data).hexdigest()})
    if keep:
        prune(output_dir, keep)
    return final


def prune(output_dir: Path, keep: int) -> list[Path]:
    archives = sorted(Path(output_dir).glob(f"{PREFIX}*.tar"))
    old = archives[:-keep] if keep > 0 else []
    for path in old:
        path.unlink()
    return old


def _bad(message: str) -> ValidationError:
    return ValidationError(_("Bản sao lưu không dùng được: %(why)s") % {"why": message})


def _dump_name(manifest) -> str:
    name = manifest["dump"].get("name", "database.json")  # format 1: dumpdata's JSON
    if name not in {"database.json", dump.NAME}:
        raise _bad(_("tên tệp lạ %(name)s") % {"name": name})
    return name


def _store_path(sha256: str) -> str:
    if not (len(sha256) == 64 and all(c in "0123456789abcdef" for c in sha256)):
        raise ValueError(sha256)
    return backends.key_for(sha256)


def verify_archive(path) -> dict:
    """Check every member against the manifest; return the manifest, or raise ValidationError."""
    try:
        with tarfile.open(path, "r") as tar:
            members = {m.name: m for m in tar.getmembers()}
            if "manifest.json" not in members:
                raise _bad(_("thiếu tệp kê khai"))
            manifest = json.load(tar.extractfile("manifest.json"))
            if manifest.get("format", 1) > FORMAT:
                raise _bad(_("được tạo bởi một phiên bản QLVB mới hơn"))
            expected = {_dump_name(manifest): manifest["dump"]["sha256"]}
            for entry in manifest["files"]:
                if entry["path"] != _store_path(entry["sha256"]):  # content-addressed: never a path outside
                    raise _bad(_("tên tệp lạ %(name)s") % {"name": entry["path"]})
                expected[f"files/{entry['path']}"] = entry["sha256"]
            for name, sha in expected.items():
                member = members.get(name)
                if member is None or not member.isfile():
                    raise _bad(_("thiếu %(name)s") % {"name": name})
                digest = hashlib.sha256()
                with tar.extractfile(member) as handle:
                    while chunk := handle.read(1 << 16):
                        digest.update(chunk)
                if digest.hexdigest() != sha:
                    raise _bad(_("%(name)s đã bị thay đổi hoặc hỏng") % {"name": name})
            unexpected = set(members) - set(expected) - {"manifest.json"}
            if unexpected:
                raise _bad(_("có tệp lạ %(name)s") % {"name": sorted(unexpected)[0]})
    except (tarfile.TarError, OSError, KeyError, ValueError) as exc:
        raise _bad(_("tệp lưu trữ hỏng")) from exc
    return manifest


def current_data() -> dict[str, int]:
    """What a restore would replace. A freshly migrated database has none of these: every account is a
    person, every action leaves an audit entry, every upload a file."""
    return {"people": apps.get_model(settings.AUTH_USER_MODEL)._base_manager.count(),
            "entries": AuditEntry.objects.count(), "files": len(_stored_files())}


def describe(held: dict[str, int]) -> str:
    return _("Cơ sở dữ liệu đang có dữ liệu: %(people)s người dùng, %(entries)s mục nhật ký, %(files)s tệp. "
             "Phục hồi sẽ THAY THẾ toàn bộ (dữ liệu hiện có sẽ được sao lưu trước vào %(folder)s).") % {
        **held, "folder": settings.QLVB_BACKUP_DIR}


def restore_backup(path, *, replace: bool = False) -> dict:
    """Replace the database and the file store with the archive's (verified first; nothing changes if not).
    A database that holds data is replaced only when `replace` is given, after a backup of it."""
    manifest = verify_archive(path)
    _check_schema(manifest)
    held = current_data()
    if any(held.values()) and not replace:
        raise ValidationError(describe(held))
    safety = create_backup() if any(held.values()) else None
    models = _models()
    with tempfile.TemporaryDirectory() as work, tarfile.open(path, "r") as tar:
        _write_files(tar, manifest)
        tar.extract(_dump_name(manifest), work, filter="data")
        with transaction.atomic():
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            dump.load(Path(work) / _dump_name(manifest))
            dump.set_positions(models, manifest.get("sequences", {}))
            counts = _counts(manifest["counts"])
            wrong = sorted(label for label, count in manifest["counts"].items() if counts[label] != count)
            if wrong:
                raise _bad(_("số bản ghi sau khi nạp không khớp: %(t)s") % {"t": ", ".join(wrong)})
            record(actor=None, action="backup.restored", changes={
                "archive": Path(path).name, "created_at": manifest["created_at"],
                "replaced_saved_in": safety.name if safety else ""})
    _remove_files_not_in(manifest)
    return manifest


def _check_schema(manifest) -> None:
    """The archive was made on this version's tables (format 1 did not record its migrations)."""
    theirs, ours = set(manifest.get("schema", _schema())), set(_schema())
    if theirs != ours:
        differing = sorted(theirs ^ ours)
        raise _bad(_("được tạo với cấu trúc dữ liệu khác phiên bản đang chạy (%(m)s). Hãy phục hồi trên đúng "
                     "phiên bản QLVB đã tạo bản sao lưu, rồi nâng cấp.") % {"m": ", ".join(differing[:3])})
    try:
        _counts_known(manifest["counts"])
    except (LookupError, ValueError) as exc:
        raise _bad(_("tệp kê khai hỏng")) from exc


def _write_files(tar, manifest) -> None:
    """Put each of the archive's files in the store (rewritten even when present: a restore repairs a
    damaged copy). Nothing is removed yet: until the database is replaced, the current rows still point
    to the current files."""
    backend = backends.current()
    for entry in manifest["files"]:
        with tar.extractfile(f"files/{entry['path']}") as source:
            backend.write(entry["path"], source)


def _remove_files_not_in(manifest) -> None:
    wanted = {f["path"] for f in manifest["files"]}
    backend = backends.current()
    for item in _stored_files():
        if item.key not in wanted:
            backend.delete(item.key)


def archives(output_dir=None) -> list[tuple[Path, datetime]]:
    folder = Path(output_dir or settings.QLVB_BACKUP_DIR)
    return [(p, datetime.fromtimestamp(p.stat().st_mtime)) for p in sorted(folder.glob(f"{PREFIX}*.tar"),
                                                                            reverse=True)]
