"""Office files (Word .docx, Excel .xlsx, OpenDocument .odt/.ods) are zip packages of XML parts: a
classic carrier of zip bombs and XML entity attacks (XXE, "billion laughs").

This module is the only way the product opens them: `check` at upload, and `open_package` for
anything that reads them later (text extraction), so every reader gets the same caps:

- the number of entries, read from the end-of-archive record before the directory is loaded;
- the total inflated size and each entry's compression ratio, first as declared by the archive
  (refused before a byte is inflated), then counted while inflating (never trusting the headers);
- only "stored" and "deflate" entries (what Office writes), never encrypted ones;
- every XML part streamed through `qlvb.core.safexml` (no DTD, no entities, nothing external),
  one chunk at a time: no part is ever inflated whole into memory.

Embedded objects (a workbook inside a document) are not opened: nothing here reads them.
"""

import contextlib
import dataclasses
import zipfile
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from qlvb.core import safexml

from .errors import FileRejected

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
TYPES = (DOCX, XLSX, ODT, ODS)
INFLATING = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)  # all Office writes; bzip2/lzma inflate unbounded per read
READ_ERRORS = (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError)
CHUNK = 64 * 1024
# Small parts may compress very well and are harmless whatever their ratio (Apache POI uses the
# same idea); the ratio is enforced once an entry inflates past this.
RATIO_GRACE_BYTES = 1024 * 1024
XML_SUFFIXES = (".xml", ".rels")
XML_HEADS = (b"<?xml", "<?xml".encode("utf-16-le"), "<?xml".encode("utf-16-be"))
ODF_MANIFEST = "META-INF/manifest.xml"
ODF_ENCRYPTION = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}encryption-data"


@dataclasses.dataclass(frozen=True)
class Limits:
    entries: int
    inflated_bytes: int
    ratio: int

    @classmethod
    def from_settings(cls) -> "Limits":
        return cls(settings.QLVB_OFFICE_MAX_ENTRIES, settings.QLVB_OFFICE_MAX_INFLATED_BYTES,
                   settings.QLVB_OFFICE_MAX_RATIO)


def _damaged() -> FileRejected:
    return FileRejected(_("Tệp nén bị hỏng hoặc không đúng định dạng."))


def _too_big(limits: Limits) -> FileRejected:
    return FileRejected(_("Tệp Office khi giải nén vượt quá %(max)s (nghi là “bom nén”).")
                        % {"max": filesizeformat(limits.inflated_bytes)})


def _ratio(limits: Limits) -> FileRejected:
    return FileRejected(_("Tệp Office có thành phần nén bất thường, hơn %(ratio)d lần (nghi là “bom nén”).")
                        % {"ratio": limits.ratio})


def _too_many(limits: Limits) -> FileRejected:
    return FileRejected(_("Tệp Office có quá nhiều thành phần (tối đa %(max)d).") % {"max": limits.entries})


def _encrypted() -> FileRejected:
    return FileRejected(_("Tệp Office được đặt mật khẩu; hãy gửi bản không mã hóa."))


class OfficePackage:
    """An opened Office package whose parts can only be read through the caps."""

    def __init__(self, archive: zipfile.ZipFile, limits: Limits):
        self._archive, self._limits, self._inflated = archive, limits, 0

    @property
    def names(self) -> list[str]:
        return self._archive.namelist()

    def xml_parts(self) -> list[str]:
        """The parts that are XML: by name, or by their declaration whatever they are named."""
        return [name for name in self.names if name.lower().endswith(XML_SUFFIXES) or self._declares_xml(name)]

    def chunks(self, name: str) -> Iterator[bytes]:
        """The part's bytes, inflated a chunk at a time; stops with FileRejected at a cap."""
        info = self._archive.getinfo(name)
        read = 0
        try:
            with self._archive.open(info) as entry:
                while chunk := entry.read(CHUNK):
                    read += len(chunk)
                    self._inflated += len(chunk)
                    if self._inflated > self._limits.inflated_bytes:
                        raise _too_big(self._limits)
                    if read > RATIO_GRACE_BYTES and read > self._limits.ratio * max(info.compress_size, 1):
                        raise _ratio(self._limits)
                    yield chunk
        except READ_ERRORS as exc:
            raise _damaged() from exc

    def parse(self, name: str, target=safexml.DISCARD):
        """Stream one XML part into an ElementTree parser target (default: check only)."""
        try:
            # Closed at once on a refusal: a half-read part would keep the upload open until collected.
            with contextlib.closing(self.chunks(name)) as chunks:
                return safexml.parse_stream(chunks, target)
        except safexml.XmlForbidden as exc:
            raise FileRejected(_("Tệp Office chứa khai báo DTD hoặc thực thể XML bị cấm (nguy cơ tấn công XXE)."
                                 )) from exc
        except safexml.XmlMalformed as exc:
            raise FileRejected(_("Tệp Office bị hỏng: thành phần “%(part)s” không đúng cú pháp XML.")
                               % {"part": name[:100]}) from exc

    def _declares_xml(self, name: str) -> bool:
        head = b"".join(_first(self.chunks(name), 64)).removeprefix(b"\xef\xbb\xbf")
        return head.removeprefix(b"\xff\xfe").removeprefix(b"\xfe\xff").startswith(XML_HEADS)


def _first(chunks: Iterator[bytes], size: int) -> Iterator[bytes]:
    with contextlib.closing(chunks):
        for chunk in chunks:
            yield chunk[:size]
            return


def _entry_count(path: Path) -> int:
    """The entry count of the end-of-archive record, read before zipfile loads the whole directory
    (which a hostile archive can make enormous)."""
    size = path.stat().st_size
    with open(path, "rb") as handle:
        handle.seek(max(0, size - 22 - 65535))
        tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise _damaged()
    return int.from_bytes(tail[at + 10:at + 12], "little")


def _check_declared(archive: zipfile.ZipFile, limits: Limits) -> None:
    infos = archive.infolist()
    if len(infos) > limits.entries:
        raise _too_many(limits)
    if any(info.flag_bits & 0x1 for info in infos):
        raise _encrypted()
    if any(info.compress_type not in INFLATING for info in infos):
        raise _damaged()
    if len({info.filename for info in infos}) < len(infos):
        raise _damaged()  # readers disagree on which of two same-named parts counts: only one is checked
    if sum(info.file_size for info in infos) > limits.inflated_bytes:
        raise _too_big(limits)
    if any(info.file_size > max(RATIO_GRACE_BYTES, limits.ratio * info.compress_size) for info in infos):
        raise _ratio(limits)


def _open_zip(path: Path, limits: Limits) -> zipfile.ZipFile:
    if _entry_count(path) > limits.entries:
        raise _too_many(limits)
    try:
        return zipfile.ZipFile(path)
    except READ_ERRORS as exc:
        raise _damaged() from exc


def content_type(path: Path, limits: Limits | None = None) -> str | None:
    """The Office format of a zip file, from its parts (never its name); None if it is no Office file."""
    with _open_zip(path, limits or Limits.from_settings()) as archive:
        names = set(archive.namelist())
        mimetype = archive.getinfo("mimetype") if "mimetype" in names else None
        if mimetype and mimetype.compress_type in INFLATING:
            try:
                with archive.open(mimetype) as entry:  # 100 bytes at most: the entry may be a bomb
                    declared = entry.read(100).decode("ascii", "replace").strip()
            except READ_ERRORS as exc:
                raise _damaged() from exc
            if declared in (ODT, ODS):
                return declared
        if "word/document.xml" in names:
            return DOCX
        if "xl/workbook.xml" in names:
            return XLSX
    return None


@contextlib.contextmanager
def open_package(path: Path, limits: Limits | None = None) -> Iterator[OfficePackage]:
    """Open an Office file for reading its parts, or raise FileRejected (nothing inflated yet)."""
    limits = limits or Limits.from_settings()
    with _open_zip(path, limits) as archive:
        _check_declared(archive, limits)
        yield OfficePackage(archive, limits)


class _Manifest:
    """Notices OpenDocument encryption, which hides the parts' XML behind a password."""

    encrypted = False

    def start(self, tag, attrib):
        self.encrypted = self.encrypted or tag == ODF_ENCRYPTION

    def close(self):
        return self.encrypted


def check(path: Path, limits: Limits | None = None) -> None:
    """Refuse a hostile or damaged Office file with FileRejected: caps, encryption, every XML part."""
    with open_package(path, limits) as package:
        # The manifest first: an encrypted OpenDocument's other parts are not XML at all.
        for name in sorted(package.xml_parts(), key=lambda name: name != ODF_MANIFEST):
            if package.parse(name, _Manifest() if name == ODF_MANIFEST else safexml.DISCARD):
                raise _encrypted()
