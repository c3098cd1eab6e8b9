from django.db import models
from django.utils.translation import gettext_lazy as _


class Blob(models.Model):
    """One stored content, named by its SHA-256; many attachments may point to it."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    size = models.BigIntegerField(_("dung lượng"))
    content_type = models.CharField(_("kiểu tệp"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp lưu trữ")
        verbose_name_plural = _("tệp lưu trữ")

    def __str__(self):
        return f"{self.sha256[:12]} ({self.content_type}, {self.size} B)"
