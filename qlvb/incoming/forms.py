from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qlvb.core.forms import DateField, DateInput, DateTimeField, DateTimeInput
from qlvb.documents.models import DocumentType, ExternalAgency
from qlvb.documents.selectors import upcoming_number
from qlvb.organization.models import Field, Person, Role
from qlvb.workdays.calendar import add_working_days

from .models import IncomingDocument


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"class": "form-control"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


def _style(form):
    for name, field in form.fields.items():
        if name == "confirm_duplicate":
            field.widget.attrs["class"] = "form-check-input"
        elif isinstance(field.widget, forms.Select):
            field.widget.attrs["class"] = "form-select"
        else:
            field.widget.attrs.setdefault("class", "form-control")


CODE_HELP = {
    "notation": _("Như in trên văn bản, ví dụ 12/QĐ-UBND: hệ thống tách thành Số và Ký hiệu. "
                  "Hoặc để trống và nhập riêng Số, Ký hiệu."),
    "issuer_code": _("Theo QCVN 102:2016 (000.00.00.H49) hoặc Quyết định 20/2020/QĐ-TTg (H01.151)."),
}

DATE_FIELDS = {"issued_on": DateField, "deadline": DateField, "arrived_at": DateTimeField}  # dd/mm/yyyy
WIDGETS = {
    "issued_on": DateInput(), "deadline": DateInput(), "arrived_at": DateTimeInput(),
    "summary": forms.Textarea(attrs={"rows": 3}),
    "notes": forms.Textarea(attrs={"rows": 2}),
    "issuer_name": forms.TextInput(attrs={"list": "known-agencies", "autocomplete": "off"}),
    "issuer_code": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
}


class RegisterForm(forms.ModelForm):
    register = forms.ChoiceField(label=_("Sổ văn bản đến"))
    files = MultipleFileField(label=_("Tệp văn bản (bản quét PDF và tệp kèm theo)"), required=False)
    send_to = forms.ModelChoiceField(label=_("Trình lãnh đạo"), required=False, queryset=Person.objects.none(),
                                     empty_label=_("— Theo lĩnh vực, mặc định Giám đốc —"))
    instruction = forms.CharField(label=_("Ghi chú khi trình"), required=False,
                                  widget=forms.TextInput(attrs={"class": "form-control"}))
    deadline_days = forms.IntegerField(label=_("Hoặc số ngày làm việc"), required=False, min_value=1, max_value=365,
                                       help_text=_("Tính từ ngày đến, không kể thứ Bảy, Chủ nhật và ngày lễ."))
    confirm_duplicate = forms.BooleanField(label=_("Tôi đã kiểm tra, vẫn vào sổ văn bản này"), required=False)

    class Meta:
        model = IncomingDocument
        fields = ["issuer_name", "issuer_code", "notation", "code_number", "code_notation", "issued_on",
                  "document_type", "summary", "signer_position", "signer_name", "urgency", "confidentiality",
                  "page_count", "medium", "arrived_at", "deadline", "field", "notes", "document_identifier"]
        widgets = WIDGETS
        field_classes = DATE_FIELDS
        help_texts = CODE_HELP

    def __init__(self, *args, registers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].choices = [(r.pk, str(r)) for r in registers]
        self.registers = {str(r.pk): r for r in registers}
        self.upcoming = [(r, upcoming_number(r)) for r in registers]  # shown beside the register, not taken
        self.fields["document_type"].queryset = DocumentType.objects.filter(is_active=True)
        self.fields["field"].queryset = Field.objects.select_related("leader")
        self.fields["send_to"].queryset = Person.objects.filter(
            position__role__in=[Role.LEADER], is_active=True).order_by("position__rank", "full_name")
        self.fields["arrived_at"].required = False
        self.fields["arrived_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.known_agencies = ExternalAgency.objects.filter(is_active=True).values_list("name", flat=True)[:500]
        _style(self)

    def clean_register(self):
        register = self.registers.get(self.cleaned_data["register"])
        if register is None:
            raise forms.ValidationError(_("Chọn sổ văn bản đến."))
        return register

    def clean(self):
        data = super().clean()
        if not data.get("deadline") and data.get("deadline_days"):
            start = timezone.localdate(data["arrived_at"]) if data.get("arrived_at") else timezone.localdate()
            data["deadline"] = add_working_days(start, data["deadline_days"])
        if data.get("confidentiality", "normal") != "normal" and data.get("register") and \
                not data["register"].is_confidential:
            self.add_error("register", _("Văn bản mật phải vào sổ văn bản đến mật."))
        return data


class EditForm(forms.ModelForm):
    """The clerk corrects what was typed at registration (services.update_incoming)."""

    class Meta:
        model = IncomingDocument
        fields = ["issuer_name", "issuer_code", "notation", "code_number", "code_notation", "issued_on",
                  "document_type", "summary", "signer_position", "signer_name", "urgency", "page_count", "medium",
                  "deadline", "field", "notes", "document_identifier"]
        widgets = WIDGETS
        field_classes = DATE_FIELDS
        help_texts = CODE_HELP

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].queryset = DocumentType.objects.filter(is_active=True)
        self.fields["field"].queryset = Field.objects.select_related("leader")
        self.known_agencies = ExternalAgency.objects.filter(is_active=True).values_list("name", flat=True)[:500]
        _style(self)

    def _post_clean(self):
        pass  # the service validates and saves; the form only parses


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy"), max_length=500)
