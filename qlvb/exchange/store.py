"""Packages in the content-addressed file store (`qlvb.files`): written or received into a temporary
file of the store while hashed, then kept under their SHA-256 like every other file. The store's type
check knows only documents and scans; a package is XML that `edxml.reader` has just read, so it is
kept as `application/xml` and never served inline."""

import hashlib
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from qlvb.files import backends
from qlvb.files.storage import CHUNK, Staged, keep

XML = "application/xml"


class _HashingFile:
    """A binary file that hashes and counts what is written to it."""

    def __init__(self, handle):
        self.handle, self.digest, self.size = handle, hashlib.sha256(), 0

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.size += len(data)
        self.handle.write(data)


@contextmanager
def work_dir():
    """A temporary directory inside the store (same file system, so keeping is a rename), removed after."""
    root = Path(settings.QLVB_FILES_DIR)
    root.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(dir=root, prefix=".exchange-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def write(directory: Path, name: str, produce) -> Staged:
    """Run `produce(out)` into a new file of `directory`; the result, hashed, ready for `keep`."""
    path = directory / name
    with open(path, "wb") as handle:
        out = _HashingFile(handle)
        produce(out)
    return Staged(path, out.digest.hexdigest(), out.size, XML)


def spool(directory: Path, upload, limit: int) -> Staged | None:
    """Copy an upload into `directory` while hashing it; None when it is over `limit` bytes (the declared
    size is checked before a byte is read)."""
    if (getattr(upload, "size", None) or 0) > limit:
        return None
    chunks = upload.chunks(CHUNK) if hasattr(upload, "chunks") else iter(lambda: upload.read(CHUNK), b"")
    path = directory / "received.edxml"
    with open(path, "wb") as handle:
        out = _HashingFile(handle)
        for chunk in chunks:
            if out.size + len(chunk) > limit:
                return None
            out.write(chunk)
    return Staged(path, out.digest.hexdigest(), out.size, XML)


def keep_one(staged: Staged):
    """Keep a package file we wrote or received. Object storage takes checked uploads early (in
    `stage_all`, before the caller's transaction); a package never went through it, so it is placed here."""
    backend = backends.current()
    if backend.uploads_early:
        backend.place(staged.path, backends.key_for(staged.sha256))
    return keep([staged])[0]
