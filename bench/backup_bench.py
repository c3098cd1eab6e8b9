"""Backup and restore: time and size, and the round trip between databases (SQLite ↔ PostgreSQL).

    # on the database to back up (its data is REPLACED: use a bench database):
    .venv/bin/python bench/backup_bench.py backup OUT [--documents N]
    # on the database to restore into (emptied first; may be the other kind):
    .venv/bin/python bench/backup_bench.py restore OUT

`backup` loads the demo agency and a day's work (tests/backup/world.py), optionally N generated
documents (bench/generate.py), writes an archive and the rows as the ORM reads them to OUT/rows.json;
`restore` empties the database and the file store, restores the archive and compares every row.
"""

import argparse
import io
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

import setup_django  # noqa: F401
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from qlvb.backup.services import EXCLUDED, _models, create_backup, restore_backup

settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # the demo's 30 passwords


def rows() -> dict[str, list]:
    """Every row of every backed-up table as the ORM reads it (comparable across databases)."""
    return {m._meta.label_lower: [[repr(v) for v in r] for r in m._base_manager.order_by("pk").values_list()]
            for m in _models() if not m._meta.label_lower.startswith("audit.")}


def wipe():
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.QLVB_FILES_DIR, ignore_errors=True)


def backup(out: Path, documents: int):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.backup import world

    call_command("migrate", verbosity=0)
    wipe()
    world.build()
    if documents:
        subprocess.run([sys.executable, str(Path(__file__).with_name("generate.py")), "--documents",
                        str(documents)], check=True)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    archive = create_backup(output_dir=out)
    seconds, rss = time.perf_counter() - started, max_rss_mb()
    (out / "rows.json").write_text(json.dumps(rows()))
    report("backup", archive, seconds, max_rss_mb=rss)
    (out / "archive").write_text(str(archive))


def restore(out: Path):
    call_command("migrate", verbosity=0)
    wipe()
    archive = Path((out / "archive").read_text())
    started = time.perf_counter()
    restore_backup(archive)
    seconds, rss = time.perf_counter() - started, max_rss_mb()
    before, after = json.loads((out / "rows.json").read_text()), rows()
    different = sorted(t for t in before if before[t] != after.get(t) and t not in EXCLUDED)
    call_command("verify_audit", stdout=io.StringIO())
    call_command("verify_files", stdout=io.StringIO())
    report("restore", archive, seconds, max_rss_mb=rss, different=different or "none")


def report(step, archive, seconds, **extra):
    manifest = json.loads(subprocess.run(["tar", "-xOf", str(archive), "manifest.json"], capture_output=True,
                                         check=True).stdout)
    print(json.dumps({"step": step, "database": connection.vendor, "seconds": round(seconds, 2),
                      "archive_mb": round(archive.stat().st_size / 2**20, 2),
                      "dump_mb": round(manifest["dump"]["size"] / 2**20, 2), "rows": sum(manifest["counts"].values()),
                      "files": len(manifest["files"]), "from": manifest["database"], **extra}, ensure_ascii=False))


def max_rss_mb() -> int:
    """The process's peak memory so far (the step measured, before the comparison reads every row)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["backup", "restore"])
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=0)
    args = parser.parse_args()
    backup(args.out, args.documents) if args.step == "backup" else restore(args.out)


if __name__ == "__main__":
    main()
