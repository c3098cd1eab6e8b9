"""Exports of archived records (F-4.g, F-5.c): a record as one PDF — its index page (Mục lục văn bản trong
hồ sơ) then every document in date order, with a bookmark per document — and as XML of its metadata
(Annex VI II, validated against `schema/record.xsd`); a batch of permanent records as a package for the
historical archive: a zip with, per record, its metadata XML, its index as PDF/A-3b and its files —
PDF/A where the stored file already is (issued documents, Word drafts converted by LibreOffice) or where
OCR kept a PDF/A copy; otherwise the stored file as it is, marked so in the XML (`PdfA` empty).

What goes in follows what the viewer reads in the archive (`search.rows`): a confidential document they
may not open is left out and counted on the index page."""

import base64
import io
import re
import tempfile
import threading
import zipfile
from copy import deepcopy
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from qlvb import access
from qlvb.access import Action
from qlvb.audit.models import AccessLog
from qlvb.audit.services import log_access
from qlvb.audit.services import record as audit
from qlvb.core.text import clean

from . import search

NS = "urn:qlvb:ho-so:1"
SCHEMA = Path(__file__).parent / "schema" / "record.xsd"
MAX_BATCH = 100        # records in one package, built while the archivist waits
IMAGES = {"image/png", "image/jpeg", "image/tiff"}
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


_local = threading.local()


def schema():
    """The XML schema, parsed once per thread (an lxml validator is not shared between threads)."""
    from lxml import etree

    if not hasattr(_local, "schema"):
        _local.schema = etree.XMLSchema(etree.parse(str(SCHEMA)))
    return _local.schema


def _text(value, limit: int) -> str:
    return _NOT_XML.sub("", clean(str(value or ""))).strip()[:limit]


def _agency():
    from qlvb.organization.models import Agency

    return Agency.objects.first()


# ---- metadata XML --------------------------------------------------------------------------------------

class _Builder:
    def __init__(self):
        from lxml import etree

        self.etree = etree

    def el(self, parent, name, value=None):
        tag = f"{{{NS}}}{name}"
        node = self.etree.Element(tag, nsmap={None: NS}) if parent is None else self.etree.SubElement(parent, tag)
        if value is not None:
            node.text = value.isoformat() if hasattr(value, "isoformat") else str(value)
        return node

    def opt(self, parent, name, value):
        if value not in (None, ""):
            self.el(parent, name, value)


def _code(notation: str) -> tuple[str, str]:
    from qlvb.documents.identifiers import split_code

    try:
        return split_code(notation)
    except ValidationError:
        return "", _text(notation, 30)


def _document_fields(row) -> dict:
    """Annex VI I/II fields of an index row's document."""
    entry, kind = row.entry, row.entry.kind
    fields = {"TypeName": str(entry.get_kind_display()), "IssuedDate": row.day, "Subject": row.title,
              "Author": row.author, "Language": settings.QLVB_DOCUMENT_LANGUAGE}
    if kind == "incoming":
        doc = entry.incoming
        number, notation = (doc.code_number, doc.code_notation) if doc.code_number else _code(doc.notation)
        fields.update(TypeName=doc.document_type.name, CodeNumber=number, CodeNotation=notation,
                      OrganName=doc.issuer_name, Subject=doc.summary,
                      ArrivalDate=timezone.localdate(doc.arrived_at) if doc.arrived_at else None,
                      ArrivalNumber=doc.arrival_number)
    elif kind == "outgoing":
        doc = entry.outgoing
        number, notation = _code(doc.notation)
        fields.update(TypeName=doc.document_type.name, CodeNumber=number, CodeNotation=notation,
                      OrganName=doc.agency_name, Subject=doc.summary, Language=doc.language)
    elif kind == "draft":
        fields.update(TypeName=entry.version.draft.document_type.name)
    return fields


def _document(b, parent, row, packaged) -> None:
    f = _document_fields(row)
    doc = b.el(parent, "Document")
    b.el(doc, "DocOrdinal", row.ordinal)
    b.el(doc, "Kind", row.entry.kind)
    b.el(doc, "TypeName", _text(f["TypeName"], 100))
    b.opt(doc, "CodeNumber", _text(f.get("CodeNumber"), 11))
    b.opt(doc, "CodeNotation", _text(f.get("CodeNotation"), 30))
    b.opt(doc, "IssuedDate", f["IssuedDate"])
    b.opt(doc, "OrganName", _text(f.get("OrganName"), 200))
    b.el(doc, "Subject", _text(f["Subject"], 500))
    b.opt(doc, "Author", _text(f["Author"], 200))
    b.opt(doc, "Language", _text(f["Language"], 30))
    b.opt(doc, "PageAmount", row.pages)
    b.opt(doc, "PageRange", row.page_range)
    b.opt(doc, "Description", _text(row.notes, 500))
    b.opt(doc, "ArrivalDate", f.get("ArrivalDate"))
    b.opt(doc, "ArrivalNumber", f.get("ArrivalNumber"))
    for n, (name, blob) in enumerate(row.files, start=1):
        attachment = b.el(doc, "Attachment")
        b.el(attachment, "Name", _text(name, 255) or blob.sha256)
        b.el(attachment, "Sha256", blob.sha256)
        b.el(attachment, "ContentType", _text(blob.content_type, 100))
        copy = (packaged or {}).get((row.entry.pk, n))
        if copy:
            b.el(attachment, "Path", copy["path"])
            b.el(attachment, "PackagedSha256", copy["sha256"])
            b.el(attachment, "PdfA", copy["pdfa"])
            b.el(attachment, "Source", copy["source"])


def file_element(record, rows, *, packaged=None):
    """The record's <File> element (Annex VI III) with a <Document> per row given."""
    b = _Builder()
    agency = _agency()
    root = b.el(None, "File")
    code = b.el(root, "FileCode")
    b.opt(code, "OrganId", _text(agency.identifier if agency else "", 35))
    b.el(code, "FileCatalog", record.year or (record.start_date or timezone.localdate()).year)
    b.el(code, "FileNotation", _text(record.code, 20))
    b.el(root, "Title", _text(record.title, 500))
    b.el(root, "Maintenance", _text(record.retention, 30))
    b.el(root, "Rights", _text(record.get_rights_display(), 30))
    b.el(root, "Creator", _text(record.owner.full_name, 30))
    b.el(root, "Language", _text(record.language, 50))
    b.opt(root, "StartDate", record.start_date)
    b.opt(root, "EndDate", record.end_date)
    b.el(root, "DocTotal", record.doc_total)
    b.el(root, "PageTotal", record.page_total)
    b.opt(root, "Description", _text(record.notes, 500))
    b.opt(root, "IndexSha256", record.index_sha256)
    documents = b.el(root, "Documents")
    for row in rows:
        _document(b, documents, row, packaged)
    return root


def _serialized(element) -> bytes:
    from lxml import etree

    schema().assertValid(element)  # our own output: an invalid one is a bug, never served
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def record_xml(person, record) -> bytes:
    rows, _hidden = search.rows(person, record)
    return _serialized(file_element(record, rows))


# ---- the record as one PDF --------------------------------------------------------------------------------

def index_pdf(record, rows, hidden: int = 0, *, pdfa: bool = False) -> bytes:
    """The index page: the record's fields and the Mục lục văn bản trong hồ sơ (Annex V)."""
    from weasyprint import HTML

    html = render_to_string("archive/record_index_pdf.html", {
        "record": record, "rows": rows, "hidden": hidden, "agency": _agency(), "printed_at": timezone.now()})
    return HTML(string=html).write_pdf(**({"pdf_variant": "pdf/a-3b"} if pdfa else {}))


def _page(row, **context) -> bytes:
    """A page standing for a document (or a file) that is not a PDF which can be merged."""
    from weasyprint import HTML

    return HTML(string=render_to_string("archive/record_page_pdf.html", {"row": row, **context})).write_pdf()


def _append(writer, pdf: bytes) -> None:
    from pypdf import PdfReader

    writer.append(PdfReader(io.BytesIO(pdf)), import_outline=False)


def _append_file(writer, row, name: str, blob) -> None:
    from qlvb.files.storage import open_verified

    if blob.content_type == "application/pdf" and not blob.is_active:
        _append(writer, open_verified(blob))
    elif blob.content_type in IMAGES:
        data = base64.b64encode(open_verified(blob)).decode()
        _append(writer, _page(row, name=name, image=f"data:{blob.content_type};base64,{data}"))
    else:
        note = (_("Tệp có nội dung thực thi (%(w)s): không gộp vào bản xuất, xem tệp gốc trong kho lưu trữ.")
                % {"w": blob.active_content_display()} if blob.is_active
                else _("Tệp không phải PDF hay ảnh: không gộp vào bản xuất, xem tệp gốc trong kho lưu trữ."))
        _append(writer, _page(row, name=name, note=note, sha256=blob.sha256))


def _outline_title(row) -> str:
    day = f"{row.day:%d/%m/%Y}" if row.day else ""
    return " ".join(p for p in (f"{row.ordinal}.", row.notation, day, row.title) if p)[:200]


def record_pdf(person, record) -> bytes:
    """One PDF: the index page, then each document the person reads, in date order, bookmarked."""
    from pypdf import PdfWriter

    rows, hidden = search.rows(person, record)
    writer = PdfWriter()
    _append(writer, index_pdf(record, rows, hidden))
    writer.add_outline_item(title=_("Mục lục văn bản trong hồ sơ"), page_number=0)
    for row in rows:
        first = len(writer.pages)
        for name, blob in row.files:
            _append_file(writer, row, name, blob)
        if len(writer.pages) == first:  # no file: the draft's text, or the row itself
            body = row.entry.version.body if row.entry.kind == "draft" else ""
            _append(writer, _page(row, body=body, note="" if body else _("Văn bản không có tệp.")))
        writer.add_outline_item(title=_outline_title(row), page_number=first)
    writer.add_metadata({"/Title": _text(f"{record.file_code} {record.title}", 500), "/Producer": "QLVB"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def file_name(record, ext: str) -> str:
    return f"Ho so {_folder(record)}.{ext}"


# ---- the package for the historical archive ----------------------------------------------------------------

def pdfa_level(pdf: bytes) -> str:
    """The PDF/A part and conformance the file declares in its XMP metadata ("3B"), or ""."""
    from pypdf import PdfReader

    try:
        metadata = PdfReader(io.BytesIO(pdf)).trailer["/Root"].get("/Metadata")
        xmp = metadata.get_object().get_data().decode("utf-8", "replace") if metadata else ""
    except Exception:  # noqa: BLE001 - a file pypdf cannot read declares nothing
        return ""
    part = re.search(r"pdfaid:part(?:>|=[\"'])\s*(\d)", xmp)
    conformance = re.search(r"pdfaid:conformance(?:>|=[\"'])\s*([ABUabu])", xmp)
    return f"{part.group(1)}{conformance.group(1).upper() if conformance else ''}" if part else ""


def archival_copy(blob) -> tuple[bytes, str, str]:
    """(bytes, source, PDF/A level) of the copy packaged for a stored file: the file itself when it is
    PDF/A, else the PDF/A that OCR kept beside it, else the file as stored (level "")."""
    from qlvb.files.models import FileText
    from qlvb.files.storage import open_verified

    data = open_verified(blob)
    if blob.content_type == "application/pdf" and (level := pdfa_level(data)):
        return data, "original", level
    text = FileText.objects.filter(blob=blob, ocr_blob__isnull=False).select_related("ocr_blob").first()
    if text is not None:
        copy = open_verified(text.ocr_blob)
        if level := pdfa_level(copy):
            return copy, "ocr", level
    return data, "original", ""


def _folder(record) -> str:
    return re.sub(r"[^\w.-]", "_", record.file_code or f"HS-{record.pk}", flags=re.ASCII)


def _packaged_name(row, n: int, name: str, source: str) -> str:
    stem, dot, ext = (name or "tep").rpartition(".")
    if not dot:
        stem, ext = ext, ""
    ext = "pdf" if source == "ocr" else slugify(ext)[:10]
    return f"{row.ordinal:03d}-{n}-{slugify(stem)[:60] or 'tep'}{'.' + ext if ext else ''}"


def _check_batch(records) -> None:
    if not records:
        raise ValidationError({"records": _("Chọn hồ sơ để xuất gói nộp lưu vào lưu trữ lịch sử.")})
    if len(records) > MAX_BATCH:
        raise ValidationError({"records": _("Một gói gồm tối đa %(n)d hồ sơ: chọn ít hơn.") % {"n": MAX_BATCH}})
    for record in records:
        if not (record.is_archived and record.retention_permanent):
            raise ValidationError({"records": _(
                "Hồ sơ “%(t)s” không phải hồ sơ bảo quản vĩnh viễn đã nộp lưu: chỉ hồ sơ vĩnh viễn được nộp lưu "
                "vào lưu trữ lịch sử.") % {"t": record.title}})


def historical_package(*, actor, records):
    """The zip for the historical archive (a spooled temporary file, at its start) and its name:
    `GoiNopLuu.xml` (every record's metadata), and per record `<mã hồ sơ>/HoSo.xml`, `MucLuc.pdf`
    (PDF/A-3b) and its documents' files. Only the archivist makes it, of archived permanent records."""
    access.require(actor, Action.RECEIVE_RECORDS)
    records = list(records)
    _check_batch(records)
    b, agency, now = _Builder(), _agency(), timezone.now()
    package = b.el(None, "Package")
    b.opt(package, "OrganId", _text(agency.identifier if agency else "", 35))
    b.el(package, "OrganName", _text(agency.name if agency else "", 200))
    b.el(package, "CreatedAt", now.replace(microsecond=0))
    b.el(package, "CreatedBy", _text(actor.full_name, 200))
    b.el(package, "FileAmount", len(records))
    spool = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)  # noqa: SIM115 - handed to the response
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
        for record in records:
            package.append(deepcopy(_package_record(archive, actor, record)))
        archive.writestr("GoiNopLuu.xml", _serialized(package))
    spool.seek(0)
    name = f"Goi nop luu lich su {timezone.localtime(now):%Y%m%d-%H%M}.zip"
    with transaction.atomic():
        audit(actor=actor, action="archive.historical_export", changes={"records": [r.pk for r in records]})
    for record in records:  # each record's access history says it left in this package
        log_access(person=actor, action=AccessLog.Kind.EXPORT, obj=record, file_name=name)
    return spool, name


def _package_record(archive, actor, record):
    import hashlib

    folder = _folder(record)
    rows, _hidden = search.rows(actor, record)
    archive.writestr(f"{folder}/MucLuc.pdf", index_pdf(record, rows, pdfa=True))
    packaged = {}
    for row in rows:
        for n, (name, blob) in enumerate(row.files, start=1):
            data, source, level = archival_copy(blob)
            path = f"{folder}/{_packaged_name(row, n, name, source)}"
            archive.writestr(path, data)
            packaged[(row.entry.pk, n)] = {"path": path, "sha256": hashlib.sha256(data).hexdigest(),
                                           "pdfa": level, "source": source}
    element = file_element(record, rows, packaged=packaged)
    archive.writestr(f"{folder}/HoSo.xml", _serialized(element))
    return element
