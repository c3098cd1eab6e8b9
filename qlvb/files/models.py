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


class FileText(models.Model):
    """The text of one stored content (issue 12), read once per content in the task queue
    (`files.texts`): from the PDF's text layer, a Word or Excel file's parts, or by OCR, which also keeps
    a searchable PDF/A (`ocr_blob`) beside the original — the original is never replaced, its SHA-256
    stays the evidence. Keyed by the blob, so the same file attached twice is read once."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ đọc nội dung")
        RUNNING = "running", _("Đang nhận dạng chữ…")
        DONE = "done", _("Đã đọc nội dung")
        FAILED = "failed", _("Không đọc được nội dung")

    class Method(models.TextChoices):
        NONE = "", _("không có chữ")
        TEXT_LAYER = "text", _("lớp chữ của PDF")
        OFFICE = "office", _("tệp Word/Excel")
        OCR = "ocr", _("nhận dạng chữ (OCR)")

    blob = models.OneToOneField(Blob, on_delete=models.CASCADE, primary_key=True, related_name="text")
    state = models.CharField(_("trạng thái"), max_length=8, choices=State.choices, default=State.PENDING)
    method = models.CharField(_("cách đọc"), max_length=8, choices=Method.choices, blank=True, default="")
    text = models.TextField(_("nội dung"), blank=True, default="")
    reason = models.CharField(_("lý do"), max_length=500, blank=True, default="")
    pages = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    ocr_blob = models.ForeignKey(Blob, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 verbose_name=_("bản PDF/A tìm kiếm được"))
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("nội dung tệp")
        verbose_name_plural = _("nội dung tệp")
        indexes = [models.Index(fields=["state"], name="filetext_state_idx")]

    def __str__(self):
        return f"{self.blob_id[:12]} {self.state}"

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.PENDING, self.State.RUNNING)
