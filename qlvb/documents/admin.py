from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from qlvb.files.errors import FileRejected
from qlvb.files.officefiles import DOCX
from qlvb.files.storage import discard, stage_all

from .models import DocumentTemplate, DocumentType, ExternalAgency, Register
from .templates_service import check_boxes, check_html, save_template


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "is_copy", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(ExternalAgency)
class ExternalAgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "identifier", "is_active"]
    search_fields = ["name", "identifier"]


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "year", "code", "mark", "is_confidential", "last_number", "is_active"]
    list_filter = ["kind", "year", "is_confidential"]
    readonly_fields = ["last_number"]
    filter_horizontal = ["keepers"]


class DocumentTemplateForm(forms.ModelForm):
    upload = forms.FileField(label=_("Tệp mẫu"), required=False,
                             help_text=_("HTML/CSS (UTF-8) hoặc Word (.docx) theo loại mẫu."))

    class Meta:
        model = DocumentTemplate
        fields = ["agency", "document_type", "kind", "name", "upload", "boxes", "is_active"]

    def clean(self):
        data = super().clean()
        upload = data.get("upload")
        try:
            if upload is not None and data.get("kind") == DocumentTemplate.Kind.HTML:
                check_html(upload.read().decode("utf-8"))
                upload.seek(0)
            elif upload is not None:
                discard(stage_all([upload], allowed={DOCX: "Word (.docx)"}))  # the file store's checks
                upload.seek(0)
            check_boxes(data.get("boxes") or {})
        except FileRejected as exc:
            self.add_error("upload", exc.messages)
        except UnicodeDecodeError:
            self.add_error("upload", _("Tệp mẫu HTML phải là văn bản UTF-8."))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        if upload is None and data.get("kind") == DocumentTemplate.Kind.DOCX and not self.instance.blob_id:
            self.add_error("upload", _("Chọn tệp Word (.docx) của mẫu."))
        return data


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    """Templates are uploaded, not edited in a text box: the service checks each file before keeping it."""

    form = DocumentTemplateForm
    list_display = ["name", "document_type", "kind", "file_name", "is_active", "updated_at"]
    list_filter = ["kind", "is_active"]
    readonly_fields = ["file_name", "updated_by", "updated_at"]

    def save_model(self, request, obj, form, change):
        save_template(actor=request.user, template=obj, upload=form.cleaned_data.get("upload"))

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate instead: issued documents were rendered from it
