from django import forms
from django.utils.translation import gettext_lazy as _


class ImportForm(forms.Form):
    KIND_CHOICES = [("units", _("Đơn vị")), ("people", _("Cán bộ"))]
    kind = forms.ChoiceField(label=_("Loại dữ liệu"), choices=KIND_CHOICES)
    file = forms.FileField(label=_("Tệp CSV hoặc XLSX"))
