"""Where the content-addressed store keeps its bytes: the local disk or an S3-compatible object store.

`QLVB_STORAGE=local` (default): `<QLVB_FILES_DIR>/ab/cd/<sha256>`. `QLVB_STORAGE=s3`: the object
`[QLVB_S3_PREFIX/]ab/cd/<sha256>` in `QLVB_S3_BUCKET` (Ceph RGW, MinIO or any S3-compatible store),
through django-storages (the `qlvb_files` entry of STORAGES). Either way `storage.py` stages and
checks uploads in a local scratch folder (QLVB_FILES_DIR) and hashes every read; this module only
moves bytes. Nothing here hands out a URL: downloads go through the app (permissions, access log).

Keys are relative names `ab/cd/<sha256>`; a backend answers `open` with a seekable binary file at
position 0 (the local file itself, or the object copied into a spooled temporary file: one GET,
memory bounded by QLVB_S3_SPOOL_BYTES), and FileNotFoundError when the content is not there.
"""

import os
import re
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import BinaryIO, NamedTuple

from django.conf import settings
from django.core.files import File

KEY = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}$")


def key_for(sha256: str) -> str:
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}"


class Stored(NamedTuple):
    key: str  # ab/cd/<sha256>
    size: int
    modified: datetime | float  # aware datetime (S3) or a timestamp (local)


class LocalBackend:
    """The store on this machine's disk (or a shared mount)."""

    uploads_early = False

    def __init__(self, root: Path):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / key

    def place(self, staged_path: Path, key: str) -> None:
        """Move a staged file (in the same folder tree) to its address: atomic, same bytes if it was there."""
        final = self.path(key)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged_path, final)

    def write(self, key: str, source: BinaryIO) -> None:
        """Write a stream to its address (restore): temporary file, fsync, rename."""
        target = self.path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.with_name(f".restore-{target.name}")
        with open(temp, "wb") as out:
            while chunk := source.read(1 << 16):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, target)

    def open(self, key: str) -> BinaryIO:
        return open(self.path(key), "rb")  # noqa: SIM115 - the caller closes it (or the response does)

    def listing(self) -> Iterator[Stored]:
        if not self.root.exists():
            return
        for path in sorted(self.root.glob("*/*/*")):
            if path.is_file() and KEY.match(key := path.relative_to(self.root).as_posix()):
                stat = path.stat()
                yield Stored(key, stat.st_size, stat.st_mtime)

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)

    def check(self) -> str:
        """Raise OSError unless a file can be written here (/healthz)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=self.root, prefix=".health-"):
            pass
        return "writable"


class S3Backend:
    """The store in an S3 bucket. Objects are written once: an existing key already holds these bytes
    (its name is their SHA-256), so it is never rewritten, except by a restore."""

    # Uploaded while staging, before the caller's transaction (a network round trip must not hold
    # the register's lock); an upload whose transaction then rolls back leaves an unreferenced object,
    # harmless and removed by `verify_files --prune`, exactly like a local file.
    uploads_early = True

    def __init__(self, storage):
        self.storage = storage  # storages.backends.s3.S3Storage

    def place(self, staged_path: Path, key: str) -> None:
        if self.storage.exists(key):
            return
        with open(staged_path, "rb") as handle:
            self.storage.save(key, File(handle))

    def write(self, key: str, source: BinaryIO) -> None:
        self.storage.save(key, File(source))

    def open(self, key: str) -> BinaryIO:
        handle = self.storage.open(key, "rb")  # FileNotFoundError when absent
        handle.seek(0)  # fetches the object into the spooled file now, so errors surface here
        return handle

    def listing(self) -> Iterator[Stored]:
        prefix = f"{self.storage.location}/" if self.storage.location else ""
        for obj in self.storage.bucket.objects.filter(Prefix=prefix):
            key = obj.key[len(prefix):]
            if KEY.match(key):
                yield Stored(key, obj.size, obj.last_modified)

    def delete(self, key: str) -> None:
        self.storage.delete(key)

    def check(self) -> str:
        """Raise unless the bucket answers (/healthz); the local scratch folder must be writable too."""
        LocalBackend(settings.QLVB_FILES_DIR).check()
        self.storage.connection.meta.client.head_bucket(Bucket=self.storage.bucket_name)
        return "s3"


def current() -> LocalBackend | S3Backend:
    """The backend chosen by QLVB_STORAGE (read on each call: tests switch it)."""
    if settings.QLVB_STORAGE == "s3":
        from django.core.files.storage import storages

        return S3Backend(storages["qlvb_files"])
    return LocalBackend(settings.QLVB_FILES_DIR)
