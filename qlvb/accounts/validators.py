import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


class CharacterClassesValidator:
    """At least three of: lowercase, uppercase, digits, symbols."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        classes = [any(c.islower() for c in password), any(c.isupper() for c in password),
                   any(c.isdigit() for c in password),
                   any(c in string.punctuation or (not c.isalnum() and not c.isspace()) for c in password)]
        if sum(classes) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _("Mật khẩu phải có ít nhất %(n)d trong 4 loại ký tự: chữ thường, chữ hoa, chữ số, ký hiệu.") % {
            "n": self.min_classes}
