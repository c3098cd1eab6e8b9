"""Backup and restore: one archive holds a consistent database dump, the file store and a manifest.

The archive (`qlvb-backup-YYYYmmdd-HHMMSS.tar`) contains:
- `database.json`: Django's serialisation of every table (except sessions and finished task
  results), taken inside one transaction (REPEATABLE READ on PostgreSQL, BEGIN IMMEDIATE on SQLite),
  so it is a consistent snapshot that loads on either database;
- `files/ab/cd/<sha256>`: the content-addressed store;
- `manifest.json`: row counts per table, and the SHA-256 and size of the dump and of every file.
A restore first verifies the whole archive, then replaces the database in one transaction and the
file store with exactly the archive's files, then checks the row counts.
"""

import hashlib
import io
import json
import os
import tarfile
import tempfile
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qlvb.audit.services import record

EXCLUDED = {"sessions.session", "django_tasks_database.dbtaskresult"}
PREFIX = "qlvb-backup-"


def _models():
    return [m for m in apps.get_models() if m._meta.label_lower not in EXCLUDED and m._meta.managed
            and not m._meta.proxy]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 16):
            digest.update(chunk)
    return digest.hexdigest()


def _snapshot(dump_path: Path) -> dict:
    """Dump every table and count its rows, all inside one consistent read."""
    # The isolation level can only be chosen as a transaction's first statement; when called
    # inside a caller's transaction (a test, a shell) that transaction is the snapshot.
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            connection.cursor().execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        counts = {m._meta.label_lower: m._base_manager.count() for m in _models()}
        call_command("dumpdata", *[f"--exclude={label}" for label in EXCLUDED], output=str(dump_path),
                     verbosity=0)
    return counts


def create_backup(*, actor=None, output_dir=None, keep: int | None = None) -> Path:
    """Write a new archive (atomically: a half-written one never has the final name); keep the newest `keep`."""
    output_dir = Path(output_dir or settings.QLVB_BACKUP_DIR)
    output_dir.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    final = output_dir / f"{PREFIX}{stamp}.tar"
    with tempfile.TemporaryDirectory(dir=output_dir) as work:
        dump = Path(work) / "database.json"
        counts = _snapshot(dump)
        files_root = Path(settings.QLVB_FILES_DIR)
        files = sorted(p for p in files_root.glob("*/*/*") if p.is_file()) if files_root.exists() else []
        manifest = {
            "format": 1, "created_at": timezone.now().isoformat(), "database": connection.vendor,
            "counts": counts, "dump": {"sha256": _sha256(dump), "size": dump.stat().st_size},
            "files": [{"path": str(p.relative_to(files_root)), "size": p.stat().st_size, "sha256": _sha256(p)}
                      for p in files],
        }
        partial = Path(work) / "archive.tar"
        with tarfile.open(partial, "w") as tar:
            data = json.dumps(manifest, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname="database.json")
            for p in files:
                tar.add(p, arcname=f"files/{p.relative_to(files_root)}")
        with open(partial, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, final)
    record(actor=actor, action="backup.created", changes={"archive": final.name, "files": len(files),
                                                          "rows": sum(counts.values())})
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


def verify_archive(path) -> dict:
    """Check every member against the manifest; return the manifest, or raise ValidationError."""
    try:
        with tarfile.open(path, "r") as tar:
            members = {m.name: m for m in tar.getmembers()}
            if "manifest.json" not in members or "database.json" not in members:
                raise _bad(_("thiếu tệp kê khai hoặc dữ liệu"))
            manifest = json.load(tar.extractfile("manifest.json"))
            expected = {"database.json": manifest["dump"]["sha256"]}
            expected.update({f"files/{f['path']}": f["sha256"] for f in manifest["files"]})
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


def restore_backup(path, *, actor=None) -> dict:
    """Replace the database and the file store with the archive's (verified first; nothing changes if not)."""
    manifest = verify_archive(path)
    files_root = Path(settings.QLVB_FILES_DIR)
    with tempfile.TemporaryDirectory() as work, tarfile.open(path, "r") as tar:
        tar.extract("database.json", work, filter="data")
        with transaction.atomic():
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            call_command("loaddata", str(Path(work) / "database.json"), verbosity=0)
            counts = {m._meta.label_lower: m._base_manager.count() for m in _models()}
            wrong = {k: (v, counts.get(k)) for k, v in manifest["counts"].items() if counts.get(k) != v}
            if wrong:
                raise _bad(_("số bản ghi sau khi nạp không khớp: %(t)s") % {"t": ", ".join(sorted(wrong))})
        _restore_files(tar, manifest, files_root)
    record(actor=actor, action="backup.restored",
           changes={"archive": Path(path).name, "created_at": manifest["created_at"]})
    return manifest


def _restore_files(tar, manifest, root: Path) -> None:
    wanted = {f["path"] for f in manifest["files"]}
    for entry in manifest["files"]:
        target = root / entry["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".restore-{target.name}")
        with tar.extractfile(f"files/{entry['path']}") as source, open(temp, "wb") as out:
            while chunk := source.read(1 << 16):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)
    if root.exists():
        for path in root.glob("*/*/*"):
            if path.is_file() and str(path.relative_to(root)) not in wanted:
                path.unlink()


def archives(output_dir=None) -> list[tuple[Path, datetime]]:
    folder = Path(output_dir or settings.QLVB_BACKUP_DIR)
    return [(p, datetime.fromtimestamp(p.stat().st_mtime)) for p in sorted(folder.glob(f"{PREFIX}*.tar"),
                                                                            reverse=True)]
