"""Read an edXML package (document or status) from untrusted bytes.

Hardened: expat through defusedxml with DTDs, entities and external references refused (XXE, billion
laughs), the package's byte size capped while it is fed, each element's text capped, and attachments
decoded from base64 chunk by chunk into files of `work_dir`, their decoded (and any declared) size
checked as they come, so nothing large is held in memory. Elements are read by local name in any
order (edxml.md, "Rules for a safe reader"); the root's namespace must be the official one, an older
gateway's, or none."""

import base64
import binascii
import hashlib
import re
import tempfile
from pathlib import Path
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from . import errors
from .errors import EdxmlError
from .mapping import to_document, to_status
from .model import LEGACY_NAMESPACES, NAMESPACE, Document, Status

CHUNK = 64 * 1024
MAX_TEXT = 1024 * 1024  # one header element's text; attachments do not count
_SPACE = re.compile(rb"\s+")
_ACCEPTED_NAMESPACES = {NAMESPACE, *LEGACY_NAMESPACES, ""}
_CONTENT = {"ContentTransferEncoded", "Content"}  # the base64 text of an Attachment (both forms seen)


class Node:
    """A small element: local name, attributes, children, text (attachments carry `path` and `size`)."""

    __slots__ = ("name", "attrs", "children", "parts", "length", "path", "size", "sha256")

    def __init__(self, name, attrs):
        self.name, self.attrs, self.children, self.parts, self.length = name, attrs, [], [], 0
        self.path, self.size, self.sha256 = None, 0, None

    @property
    def text(self) -> str:
        return "".join(self.parts).strip()

    def all(self, name) -> list["Node"]:
        return [child for child in self.children if child.name == name]

    def first(self, *path) -> "Node | None":
        node = self
        for name in path:
            node = next((child for child in node.children if child.name == name), None)
            if node is None:
                return None
        return node

    def get(self, *path) -> str:
        node = self.first(*path)
        return node.text if node is not None else ""


def _local(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


class _Base64Sink:
    """Decodes base64 text as it arrives into a temporary file, counting the decoded bytes."""

    def __init__(self, work_dir: Path, name: str, limit: int):
        fd, path = tempfile.mkstemp(dir=work_dir, prefix=".edxml-att-")
        self.path, self.name, self.limit = Path(path), name, limit
        self.file = open(fd, "wb")  # noqa: SIM115 - closed in close()
        self.pending, self.size, self.digest = b"", 0, hashlib.sha256()

    def feed(self, text: str) -> None:
        data = self.pending + _SPACE.sub(b"", text.encode("ascii", "replace"))
        usable = len(data) - len(data) % 4
        self.pending = data[usable:]
        if usable:
            self._write(data[:usable])

    def _write(self, data: bytes) -> None:
        try:
            decoded = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise EdxmlError(errors.BAD_BASE64, name=self.name) from exc
        self.size += len(decoded)
        if self.size > self.limit:
            raise EdxmlError(errors.ATTACHMENT_TOO_LARGE, name=self.name, size=self.size, limit=self.limit)
        self.digest.update(decoded)
        self.file.write(decoded)

    def close(self) -> None:
        try:
            if self.pending:
                raise EdxmlError(errors.BAD_BASE64, name=self.name)
        finally:
            self.file.close()


class _Target:
    """The parser target: builds Nodes, diverting attachment content into `_Base64Sink`s."""

    def __init__(self, work_dir: Path, max_attachment_bytes: int, max_attachments: int):
        self.work_dir, self.limit, self.max_attachments = work_dir, max_attachment_bytes, max_attachments
        self.stack: list[Node] = []
        self.root: Node | None = None
        self.sink: _Base64Sink | None = None
        self.attachments = 0
        self.files: list[Path] = []

    def start(self, tag, attrib):
        ns, name = _local(tag)
        node = Node(name, {_local(k)[1]: v for k, v in attrib.items()})
        if self.root is None:
            if name != "edXML":
                raise EdxmlError(errors.NOT_EDXML)
            if ns not in _ACCEPTED_NAMESPACES:
                raise EdxmlError(errors.WRONG_NAMESPACE, namespace=ns)
            self.root = node
        else:
            self.stack[-1].children.append(node)
        self.stack.append(node)
        if name == "Attachment":
            self._start_attachment(node)
        elif name in _CONTENT and len(self.stack) > 1 and self.stack[-2].name == "Attachment":
            attachment = self.stack[-2]
            self.sink = _Base64Sink(self.work_dir, attachment.get("AttachmentName") or f"#{self.attachments}",
                                    self.limit)
            self.files.append(self.sink.path)

    def _start_attachment(self, node):
        self.attachments += 1
        if self.attachments > self.max_attachments:
            raise EdxmlError(errors.TOO_MANY_ATTACHMENTS, limit=self.max_attachments)
        self._check_declared(node, node.attrs.get("size", ""))

    def _check_declared(self, attachment: Node, value: str):
        """A Size some builders declare: refuse an oversized one before decoding a byte of it."""
        if not value:
            return
        if not value.strip().isdigit():
            raise EdxmlError(errors.BAD_VALUE, field="Attachment/Size", value=value[:40])
        declared = int(value)
        if declared > self.limit:
            name = attachment.get("AttachmentName") or f"#{self.attachments}"
            raise EdxmlError(errors.ATTACHMENT_TOO_LARGE, name=name, size=declared, limit=self.limit)
        attachment.size = declared

    def end(self, tag):
        node = self.stack.pop()
        if self.sink is not None and node.name in _CONTENT:
            self.sink.close()
            node.path, node.size, node.sha256 = self.sink.path, self.sink.size, self.sink.digest.hexdigest()
            self.sink = None
        elif node.name == "Size" and self.stack and self.stack[-1].name == "Attachment":
            self._check_declared(self.stack[-1], node.text)

    def data(self, text):
        if self.sink is not None:
            self.sink.feed(text)
            return
        if self.stack:
            node = self.stack[-1]
            node.length += len(text)
            if node.length > MAX_TEXT:
                raise EdxmlError(errors.BAD_VALUE, field=node.name, value="…")
            node.parts.append(text)

    def close(self):
        return self.root

    def discard(self):
        if self.sink is not None:
            self.sink.file.close()
        for path in self.files:
            path.unlink(missing_ok=True)


def parse(source: BinaryIO, *, work_dir: Path, max_bytes: int, max_attachment_bytes: int,
          max_attachments: int = 50) -> Node:
    """The package's tree of Nodes, attachments decoded into `work_dir`; EdxmlError when refused (then
    no file is left in `work_dir` by this call)."""
    target = _Target(Path(work_dir), max_attachment_bytes, max_attachments)
    parser = DefusedXMLParser(target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    total = 0
    try:
        while chunk := source.read(CHUNK):
            total += len(chunk)
            if total > max_bytes:
                raise EdxmlError(errors.TOO_LARGE, size=total, limit=max_bytes)
            parser.feed(chunk)
        root = parser.close()
    except DefusedXmlException as exc:
        target.discard()
        raise EdxmlError(errors.FORBIDDEN) from exc
    except ParseError as exc:
        target.discard()
        raise EdxmlError(errors.MALFORMED, position=getattr(exc, "position", None)) from exc
    except BaseException:
        target.discard()
        raise
    return root


def read(source: BinaryIO, **limits) -> Document | Status:
    """A document or status package from `source` (see `parse` for the limits)."""
    root = parse(source, **limits)
    try:
        header = root.first("edXMLEnvelope", "edXMLHeader") or root.first("edXMLHeader") or root
        if header.first("Status") is not None:
            return to_status(header.first("Status"))
        if header.first("MessageHeader") is None:
            raise EdxmlError(errors.NOT_EDXML)
        return to_document(root, header)
    except BaseException:
        _remove_files(root)
        raise


def _remove_files(node: Node) -> None:
    if node.path is not None:
        Path(node.path).unlink(missing_ok=True)
    for child in node.children:
        _remove_files(child)
