from django import forms
from django.utils.translation import gettext_lazy as _

from qlvb.core.forms import DateField
from qlvb.documents.models import DocumentType, ExternalAgency
from qlvb.organization.models import Delegation, Field, Person, Role, Unit

from .models import Draft, WorkRecord


def _style(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs["class"] = "form-select"
        else:
            widget.attrs.setdefault("class", "form-control")


class RecordForm(forms.ModelForm):
    """Open a record: ad hoc the handler gives the code, retention and start date (code and retention may
    wait until closing); from the file plan they come from the planned record."""

    retention = forms.CharField(label=_("Thời hạn bảo quản"), required=False, max_length=30,
                                help_text=_("“Vĩnh viễn” hoặc số năm, ví dụ “10 năm”."))

    class Meta:
        model = WorkRecord
        fields = ["title", "code", "start_date", "field", "deadline", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"deadline": DateField, "start_date": DateField}  # dd/mm/yyyy

    def __init__(self, *args, plan_item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = Field.objects.all()
        self.fields["title"].required = plan_item is None
        if plan_item is not None:  # the plan decides these
            for name in ("code", "retention"):
                del self.fields[name]
        _style(self)


class RecordMetadataForm(forms.ModelForm):
    """The record fields of Decree 30 Annex VI III the owner corrects while the record is open."""

    retention = forms.CharField(label=_("Thời hạn bảo quản"), required=False, max_length=30)

    class Meta:
        model = WorkRecord
        fields = ["title", "code", "retention", "rights", "language", "start_date", "notes", "construction"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"start_date": DateField}  # dd/mm/yyyy

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["retention"].initial = self.instance.retention
        self.fields["code"].required = False
        _style(self)


# A searchable picker (static/qlvb/pickers.js) and its texts.
PICKER = {"data-picker": "", "data-picker-placeholder": _("Gõ tên để tìm"), "data-picker-empty": _("Không tìm thấy"),
          "data-picker-remove": _("Bỏ")}


class DraftForm(forms.ModelForm):
    body = forms.CharField(label=_("Nội dung dự thảo"), required=False, widget=forms.Textarea(attrs={"rows": 12}))
    upload = forms.FileField(label=_("Hoặc tệp dự thảo (DOCX, PDF)"), required=False)

    class Meta:
        model = Draft
        fields = ["document_type", "summary", "signer", "signing_form", "collective", "delegation", "urgency",
                  "confidentiality", "recipient_units", "recipient_people", "recipient_agencies"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2}),
                   "recipient_units": forms.SelectMultiple(attrs={"size": 5}),
                   "recipient_people": forms.SelectMultiple(attrs={"size": 5}),
                   "recipient_agencies": forms.SelectMultiple(attrs={"size": 5})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document_type"].queryset = DocumentType.objects.filter(is_active=True)
        self.fields["signer"].queryset = Person.objects.filter(
            position__role__in=[Role.LEADER, Role.HEAD], is_active=True).order_by("position__rank", "full_name")
        current = self.instance.delegation_id if self.instance else None
        self.fields["delegation"].queryset = (Delegation.objects.active() | Delegation.objects.filter(pk=current or 0)
                                              ).select_related("delegator", "delegate")
        self.fields["recipient_units"].queryset = Unit.objects.filter(is_active=True)
        self.fields["recipient_people"].queryset = Person.objects.filter(is_active=True).order_by("full_name")
        self.fields["recipient_people"].label_from_instance = lambda p: f"{p.full_name} – {p.title}" if p.title \
            else p.full_name
        self.fields["recipient_agencies"].queryset = ExternalAgency.objects.filter(is_active=True)
        for name in ("recipient_units", "recipient_people", "recipient_agencies"):
            self.fields[name].required = False
            self.fields[name].widget.attrs.update(PICKER)
        _style(self)
