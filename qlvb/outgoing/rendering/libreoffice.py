"""Word → PDF with LibreOffice headless (Debian's libreoffice-writer-nogui).

Each run has its own profile directory (two runs sharing one block each other, and a profile left
half-written by a killed run breaks the next) and a time-out (QLVB_SOFFICE_TIMEOUT, seconds). Converting
takes a second or more: production runs it in the worker (`tasks.convert_word_draft`)."""

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# PDF/A-3b, so the converted document is an archival original like the rendered ones.
FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"3"}}'


def soffice() -> str | None:
    return shutil.which(getattr(settings, "QLVB_SOFFICE", "soffice"))


def convert(content: bytes, *, suffix: str = ".docx") -> bytes:
    """The PDF of an office file, or ValidationError with a clear message."""
    program = soffice()
    if program is None:
        raise ValidationError({"file": _("Máy chủ chưa cài LibreOffice (libreoffice-writer-nogui): không "
                                         "chuyển được tệp Word sang PDF.")})
    timeout = getattr(settings, "QLVB_SOFFICE_TIMEOUT", 120)
    with tempfile.TemporaryDirectory(prefix="qlvb-soffice-") as work:
        root = Path(work)
        source = root / f"van-ban{suffix}"
        source.write_bytes(content)
        command = [program, "--headless", "--norestore", "--nologo", "--nodefault", "--nolockcheck",
                   f"-env:UserInstallation={(root / 'profile').as_uri()}",
                   "--convert-to", FILTER, "--outdir", str(root / "out"), str(source)]
        try:
            _run(command, root, timeout)
        except subprocess.TimeoutExpired as exc:
            raise ValidationError({"file": _("Chuyển tệp Word sang PDF quá %(s)d giây: tệp quá lớn hoặc hỏng.")
                                   % {"s": timeout}}) from exc
        result = root / "out" / "van-ban.pdf"
        if not result.exists():
            raise ValidationError({"file": _("LibreOffice không chuyển được tệp Word sang PDF (tệp hỏng?).")})
        return result.read_bytes()


def _run(command: list[str], root: Path, timeout: float) -> None:
    """Run in a session of its own, so a time-out kills soffice.bin too (the soffice script starts it
    as a child), never another process."""
    # S603: our own argument list, no shell.
    process = subprocess.Popen(command, cwd=root, stdout=subprocess.DEVNULL,  # noqa: S603
                               stderr=subprocess.DEVNULL, start_new_session=True,
                               env={"HOME": str(root), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise
