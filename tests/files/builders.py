"""Office and PDF files built in code, ordinary and hostile, as an attacker would craft them."""

import io
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CONTENT_TYPES = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml"
 ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""
RELS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Target="word/document.xml"
 Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>
</Relationships>"""


def document_xml(text: str = "Kính gửi: Sở Giao thông vận tải", doctype: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n{doctype}'
            f'<w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>'
            ).encode()


def docx_bytes(document: bytes | None = None, extra: dict | None = None) -> bytes:
    parts = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS,
             "word/document.xml": document if document is not None else document_xml(), **(extra or {})}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


XXE_DOCX = docx_bytes(document_xml(
    "&xxe;", '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'))
LAUGHS = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
BILLION_LAUGHS_DOCX = docx_bytes(document_xml("&lol9;", f'<!DOCTYPE w:document [<!ENTITY lol0 "lol">{LAUGHS}]>\n'))


def bomb_docx(inflated: int = 1100 * 1024 * 1024) -> bytes:
    """A DOCX whose document.xml inflates to `inflated` bytes (1.1 GB) from about 1 MB, with honest
    sizes and CRC, built without ever holding or compressing the inflated bytes."""
    head, tail = document_xml("").split(b"<w:t>")
    head, tail, block = head + b"<w:t>", b"<w:t>" + tail, b" " * (1024 * 1024)
    count = (inflated - len(head) - len(tail)) // len(block)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    # After a full flush deflate starts afresh, so one compressed megabyte can be repeated.
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(block) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.compress(tail) + compressor.flush()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in (("[Content_Types].xml", CONTENT_TYPES), ("_rels/.rels", RELS)):
            archive.writestr(name, data)
        archive.writestr("word/document.xml", start + repeat * count + end)
        info = archive.infolist()[-1]  # written as is; declared as deflated, as a bomb maker would
        info.compress_type, info.file_size, info.CRC = zipfile.ZIP_DEFLATED, len(head) + count * len(block) + len(
            tail), crc
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def registration_form(register, name: str, data: bytes) -> dict:
    """What the clerk submits on the registration page, with one file."""
    from qlvb.documents.models import DocumentType

    return {"register": register.pk, "issuer_name": "UBND tỉnh Bắc Kạn", "notation": "77/UBND-VP",
            "issued_on": "2026-11-20", "document_type": DocumentType.objects.get(name="Công văn").pk,
            "summary": "V/v báo cáo tình hình", "urgency": "normal", "confidentiality": "normal",
            "medium": "electronic", "files": [upload(name, data)]}


def api_form(form: dict) -> dict:
    """The same registration through the API, whose fields name the ids."""
    form = dict(form)
    ids = {"register_id": form.pop("register"), "document_type_id": form.pop("document_type")}
    return {**form, **ids}


def assert_served(response, disposition: str) -> None:
    """A stored file is served sandboxed and unsniffed, inline or as a download."""
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(f"{disposition};")
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"


def pdf_with(*, javascript: bool = False, open_action: bool = False, launch: bool = False,
             embedded: bool = False) -> bytes:
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    if javascript:  # the document's JavaScript names tree, run when the file opens
        script = writer._add_object(DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                                                      NameObject("/JS"): TextStringObject("app.alert(1)")}))
        tree = DictionaryObject({NameObject("/Names"): ArrayObject([TextStringObject("chao"), script])})
        writer._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): tree})
    if open_action:
        writer._root_object[NameObject("/OpenAction")] = DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert(1)")})
    if launch:
        action = DictionaryObject({NameObject("/S"): NameObject("/Launch"),
                                   NameObject("/F"): TextStringObject("cmd.exe")})
        link = DictionaryObject({NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
                                 NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4),
                                 NameObject("/A"): action})
        page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    if embedded:
        writer.add_attachment("hoa-don.exe", b"MZ\x90\x00")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def raw_pdf(*objects: str) -> bytes:
    """A PDF written by hand (object 1 is the catalog), for names pypdf would never write itself."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


PAGES = ("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
# /J#61vaScript is /JavaScript with one letter escaped, the usual way to slip past byte scanners.
OBFUSCATED_JS_PDF = raw_pdf("<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", *PAGES,
                            "<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>")
OBFUSCATED_EMBEDDED_PDF = raw_pdf("<< /Type /Catalog /Pages 2 0 R /Names << /#45mbeddedFiles 4 0 R >> >>", *PAGES,
                                  "<< /Names [(a.exe) << /Type /Filespec /F (a.exe) >>] >>")
OBFUSCATED_LAUNCH_PDF = raw_pdf("<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [4 0 R] >>",
                                "<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /L#61unch /F (cmd.exe) >> >>")
