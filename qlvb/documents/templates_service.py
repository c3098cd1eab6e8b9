"""The administrator uploads an agency's document templates (HTML/CSS or Word) and their fixed positions."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qlvb import access
from qlvb.access import Action
from qlvb.audit.services import record as audit
from qlvb.files.officefiles import DOCX
from qlvb.files.storage import store

from .models import DocumentTemplate

MARKER_IDS = ("box-number", "box-date", "box-signer")


def check_html(text: str) -> None:
    """The template compiles and lays out the places of the number, date and signature."""
    from django.template import TemplateSyntaxError

    from qlvb.outgoing.rendering.content import DocumentData
    from qlvb.outgoing.rendering.html import to_html

    sample = DocumentData(agency_name="A", parent_agency_name="B", place_name="C", type_name="D", summary="E")
    try:
        html = to_html(sample, text)
    except TemplateSyntaxError as exc:
        raise ValidationError({"upload": _("Mẫu HTML có lỗi cú pháp: %(e)s") % {"e": exc}}) from exc
    missing = [marker for marker in MARKER_IDS if f'id="{marker}"' not in html]
    if missing:
        raise ValidationError({"upload": _("Mẫu HTML thiếu phần tử đánh dấu: %(m)s (kế thừa "
                                           "rendering/base.html để có sẵn).") % {"m": ", ".join(missing)}})


def check_boxes(value: dict) -> None:
    from qlvb.outgoing.rendering.boxes import KEYS, from_json

    unknown = sorted(set(value or {}) - set(KEYS))
    try:
        if unknown:
            raise ValueError(", ".join(unknown))
        from_json(value)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ValidationError({"boxes": _("Vị trí cố định không hợp lệ (%(e)s): cần page, x1, y1, x2, y2 "
                                          "cho number, date, signer, seal.") % {"e": exc}}) from exc


@transaction.atomic
def save_template(*, actor, template: DocumentTemplate, upload=None) -> DocumentTemplate:
    """Save a template with its uploaded file: HTML/CSS kept as text, Word into the file store."""
    access.require(actor, Action.ADMINISTER)
    if upload is not None and template.kind == DocumentTemplate.Kind.HTML:
        try:
            template.html = upload.read().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationError({"upload": _("Tệp mẫu HTML phải là văn bản UTF-8.")}) from exc
    elif upload is not None:
        template.blob = store(upload, allowed={DOCX: "Word (.docx)"})
        template.file_name = str(getattr(upload, "name", "") or "mau.docx")[:255]
    if template.kind == DocumentTemplate.Kind.HTML and template.html:
        check_html(template.html)
    if template.kind == DocumentTemplate.Kind.DOCX and template.blob is None:
        raise ValidationError({"upload": _("Chọn tệp Word (.docx) của mẫu.")})
    check_boxes(template.boxes)
    template.updated_by = actor
    template.save()
    audit(actor=actor, action="documents.template.save", obj=template,
          changes={"document_type": str(template.document_type), "kind": template.kind,
                   "file": template.file_name, "boxes": template.boxes})
    return template
