from django.db import models
from django.utils.translation import gettext_lazy as _

ACTIVE_CONTENT_LABELS = {
    "javascript": _("mã JavaScript"),
    "launch": _("lệnh mở chương trình"),
    "embedded_file": _("tệp nhúng bên trong"),
    "xfa": _("biểu mẫu XFA có mã lệnh"),
    "unscannable": _("nội dung không kiểm tra được"),
}


class Blob(models.Model):
    """One stored content, named by its SHA-256; many attachments may point to it."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.BigIntegerField(_("dung lượng"))
    content_type = models.CharField(_("kiểu tệp"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    # What a PDF reader may run or hand to the system (qlvb/files/pdffiles.py): [] for none; NULL for
    # files stored before the check existed, decided when first served (a verdict of the bytes only).
    active_content = models.JSONField(_("nội dung thực thi"), null=True, blank=True)

    class Meta:
        verbose_name = _("tệp lưu trữ")
        verbose_name_plural = _("tệp lưu trữ")

    def __str__(self):
        return f"{self.sha256[:12]} ({self.content_type}, {self.size} B)"

    @property
    def is_active(self) -> bool:
        """Carries active content: stored, but never opened in the browser."""
        return bool(self.active_content)

    @property
    def can_preview(self) -> bool:
        """A PDF known to be free of active content, which the pages may show inline."""
        return self.content_type == "application/pdf" and self.active_content == []

    def active_content_display(self) -> str:
        return ", ".join(str(ACTIVE_CONTENT_LABELS.get(code, code)) for code in self.active_content or [])
