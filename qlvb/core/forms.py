from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import dates


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa, chữ thường."),
        "inactive": _("Tài khoản này đã bị khóa. Liên hệ quản trị hệ thống."),
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["password"].label = _("Mật khẩu")
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


# Dates and times: a text input showing dd/mm/yyyy (HH:MM, 24 hours), the same whatever the browser's
# language (an <input type=date> follows the browser's locale); app.js adds the slashes as digits are
# typed and a calendar button. Every date field of every form uses these (qlvb.core.dates).
DATE_PATTERN = r"\s*(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})\s*"  # ISO too, as the server accepts it
DATETIME_PATTERN = r"\s*(\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2})([\sT]+\d{1,2}:\d{2})?\s*"


def date_attrs(attrs=None) -> dict:
    return {"placeholder": "dd/mm/yyyy", "pattern": DATE_PATTERN, "inputmode": "numeric", "autocomplete": "off",
            "maxlength": "12", "data-date": "date", "data-calendar-label": _("Chọn ngày trên lịch"),
            "title": _("Ngày dạng ngày/tháng/năm, ví dụ 05/12/2026"), **(attrs or {})}


class DateInput(forms.DateInput):
    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs=date_attrs(attrs), format=dates.DATE_FORMAT)


class DateTimeInput(forms.DateTimeInput):
    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(attrs={"placeholder": "dd/mm/yyyy hh:mm", "pattern": DATETIME_PATTERN,
                                "inputmode": "numeric", "autocomplete": "off", "maxlength": "19",
                                "data-date": "datetime", "data-calendar-label": _("Chọn ngày giờ trên lịch"),
                                "title": _("Ngày giờ dạng ngày/tháng/năm giờ:phút (24 giờ), ví dụ 05/12/2026 14:30"),
                                **(attrs or {})}, format=dates.DATETIME_FORMAT)


class DateField(forms.DateField):
    """dd/mm/yyyy (or ISO); a refusal names the field."""

    widget = DateInput
    input_formats = dates.DATE_INPUT_FORMATS

    def to_python(self, value):
        try:
            value = super().to_python(value)
        except ValidationError:
            raise ValidationError(dates.invalid_date_message(self.label), code="invalid") from None
        if value is not None and not dates.LOW <= value <= dates.HIGH:
            raise ValidationError(dates.invalid_date_message(self.label), code="invalid")
        return value


class DateTimeField(forms.DateTimeField):
    """dd/mm/yyyy HH:MM (24 hours; or ISO); a refusal names the field."""

    widget = DateTimeInput
    input_formats = dates.DATETIME_INPUT_FORMATS

    def to_python(self, value):
        try:
            value = super().to_python(value)
        except ValidationError:
            raise ValidationError(dates.invalid_datetime_message(self.label), code="invalid") from None
        if value is not None and not dates.LOW <= value.date() <= dates.HIGH:
            raise ValidationError(dates.invalid_datetime_message(self.label), code="invalid")
        return value
