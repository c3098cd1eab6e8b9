"""Templates are data: the administrator uploads an agency's HTML/CSS or Word template for a document type
(checked before it is kept); the demo agency has templates shipped (seed_demo)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from qlvb.audit.models import AuditEntry
from qlvb.documents.models import DocumentTemplate, DocumentType
from qlvb.outgoing import rendering
from qlvb.outgoing.rendering import demo as demo_templates
from tests.conftest import login
from tests.factories import reply_path

from .helpers import text_of

URL = "/admin/documents/documenttemplate/add/"


def post(client, agency, kind, upload, boxes="{}", type_name="Công văn"):
    return client.post(URL, {"agency": agency.pk, "document_type": DocumentType.objects.get(name=type_name).pk,
                             "kind": kind, "name": "Mẫu của Sở", "upload": upload, "boxes": boxes,
                             "is_active": "on"})


def test_administrator_uploads_an_html_template_used_for_the_type(demo, agency, client):
    login(client, demo.quantri)
    html = ('{% extends "rendering/base.html" %}{% block title %}<p>MẪU HTML TẢI LÊN</p>{% endblock %}')
    response = post(client, agency, "html", SimpleUploadedFile("mau.html", html.encode()))
    assert response.status_code == 302, response.content.decode()[:2000]
    template = DocumentTemplate.objects.get()
    assert template.html == html and template.updated_by == demo.quantri
    assert AuditEntry.objects.filter(action="documents.template.save").exists()
    assert "MẪU HTML TẢI LÊN" in text_of(rendering.render(reply_path(demo)[2]).pdf)


def test_an_uploaded_template_reads_no_local_file(demo, agency, client, tmp_path):
    """A template may carry inline images (data: URLs) but cannot make the worker read a file of the server
    (or reach another server) and print it into the document."""
    from io import BytesIO

    from PIL import Image
    from pypdf import PdfReader

    secret = tmp_path / "bi-mat.png"
    Image.new("RGB", (40, 40), "red").save(secret)
    login(client, demo.quantri)
    html = ('{% extends "rendering/base.html" %}{% block title %}<p>MẪU</p>'
            f'<img src="file://{secret}" style="width: 20mm">{{% endblock %}}')
    assert post(client, agency, "html", SimpleUploadedFile("mau.html", html.encode())).status_code == 302
    pdf = rendering.render(reply_path(demo)[2]).pdf
    resources = PdfReader(BytesIO(pdf)).pages[0]["/Resources"]
    assert "MẪU" in text_of(pdf) and not resources.get("/XObject")  # the page draws no image


@pytest.mark.parametrize(("kind", "content", "boxes", "message"), [
    ("html", b"<p>{{ summary }}</p>", "{}", "thiếu phần tử đánh dấu: box-number, box-date, box-signer"),
    ("html", b"{% if %}", "{}", "Mẫu HTML có lỗi cú pháp"),
    ("html", "<p>x</p>".encode("utf-16"), "{}", "UTF-8"),
    ("docx", b"%PDF-1.4 not a word file", "{}", "Word (.docx)"),
    ("html", None, '{"number": {"page": 0}}', "Vị trí cố định không hợp lệ"),
    ("html", None, '{"stamp": {}}', "Vị trí cố định không hợp lệ"),
])
def test_a_bad_template_is_refused_with_a_message_and_nothing_kept(demo, agency, client, kind, content, boxes,
                                                                    message):
    login(client, demo.quantri)
    upload = SimpleUploadedFile("mau", content) if content is not None else ""
    response = post(client, agency, kind, upload, boxes=boxes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not DocumentTemplate.objects.exists()


def test_word_template_upload_is_kept_in_the_file_store(demo, agency, client):
    login(client, demo.quantri)
    response = post(client, agency, "docx", SimpleUploadedFile("mau-cong-van.docx", demo_templates.word_template()))
    assert response.status_code == 302
    template = DocumentTemplate.objects.get()
    assert template.blob.content_type.endswith("wordprocessingml.document")
    assert template.file_name == "mau-cong-van.docx"


def test_only_the_administrator_opens_the_templates(demo, client):
    login(client, demo.vanthu)
    assert client.get(URL).status_code == 403


def test_demo_templates_are_loaded_and_reloading_is_safe(demo, agency):
    demo_templates.load(agency)
    demo_templates.load(agency)
    kinds = set(DocumentTemplate.objects.values_list("document_type__name", "kind"))
    assert {("Quyết định", "html"), ("Công văn", "html"), ("Tờ trình", "html"), ("Thông báo", "html"),
            ("Quyết định", "docx"), ("Công văn", "docx")} == kinds
    text = text_of(rendering.render(reply_path(demo, document_type="Tờ trình")[2]).pdf)
    assert "TỜ TRÌNH" in text


def test_only_the_administrator_saves_a_template(demo, agency):
    from django.core.exceptions import PermissionDenied

    from qlvb.documents.templates_service import save_template

    template = DocumentTemplate(agency=agency, document_type=DocumentType.objects.get(name="Công văn"),
                                kind="html", name="Mẫu")
    with pytest.raises(PermissionDenied):
        save_template(actor=demo.vanthu, template=template,
                      upload=SimpleUploadedFile("mau.html", b'{% extends "rendering/base.html" %}'))
    assert not DocumentTemplate.objects.exists()
