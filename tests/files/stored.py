"""What the file store holds, whichever backend the tests run with (local, or S3 with --qlvb-storage=s3)."""

import io

from django.conf import settings

from qlvb.files import backends


def stored_keys() -> list[str]:
    """The contents in the store (`ab/cd/<sha256>`)."""
    return [item.key for item in backends.current().listing()]


def scratch_files() -> list:
    """Every file under QLVB_FILES_DIR: the local store's contents and any staged upload left behind."""
    return [p for p in settings.QLVB_FILES_DIR.rglob("*") if p.is_file()]


def nothing_stored() -> bool:
    return not stored_keys() and not scratch_files()


def read_stored(sha256: str) -> bytes:
    with backends.current().open(backends.key_for(sha256)) as handle:
        return handle.read()


def replace_stored(sha256: str, data: bytes) -> None:
    """Change a stored content behind the app's back (a damaged disk, an edited object)."""
    backends.current().write(backends.key_for(sha256), io.BytesIO(data))
