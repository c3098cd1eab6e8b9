from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    ASSIGNED = "assigned", _("Được chuyển văn bản")
    RETURNED = "returned", _("Văn bản bị trả lại")
    RECALLED = "recalled", _("Văn bản bị thu hồi")
    URGED = "urged", _("Bị đôn đốc")
    EXTENDED = "extended", _("Văn bản được gia hạn xử lý")
    CLOSED = "closed", _("Phần việc được đóng")
    DUE_TOMORROW = "due_tomorrow", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    OPINION_REQUESTED = "opinion_requested", _("Được xin ý kiến")
    APPROVAL_REQUESTED = "approval_requested", _("Được trình duyệt")
    DECIDED = "decided", _("Dự thảo được duyệt / trả lại")
    ISSUED = "issued", _("Văn bản được phát hành")
    DIGEST = "digest", _("Tổng hợp việc cần làm")
    RIGHTS_CHANGED = "rights_changed", _("Thay đổi quyền truy cập")
    ARCHIVE = "archive", _("Hồ sơ nộp lưu, lưu trữ")


# A change to one's rights is a security alert (F-3.c): by e-mail too unless the person opts out.
DEFAULT_EMAIL_KINDS = [Kind.ASSIGNED, Kind.URGED, Kind.OVERDUE, Kind.DIGEST, Kind.RIGHTS_CHANGED]


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("nội dung"))
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # When its e-mail left (monitoring.tasks.email_notification): the once-only mark of the e-mail.
    emailed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx")]

    def __str__(self):
        return self.text[:80]


class Preference(models.Model):
    """Which kinds of notification also go by e-mail to this person."""

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    email_kinds = models.JSONField(default=list)

    def __str__(self):
        return str(self.person)


class CheckTime(models.Model):
    """The agency's daily check-in times (giờ kiểm tra văn bản), editable by the administrator."""

    at = models.TimeField(_("giờ"), unique=True)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("giờ kiểm tra hằng ngày")
        verbose_name_plural = _("giờ kiểm tra hằng ngày")
        ordering = ["at"]

    def __str__(self):
        return self.at.strftime("%H:%M")


class JobRun(models.Model):
    """A periodic job claimed once for its slot (e.g. the 07:30 digest of one day): the unique key is
    what makes a restart or a second scheduler harmless."""

    job = models.CharField(max_length=40)
    slot = models.CharField(max_length=40)
    claimed_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="job_run_once_per_slot")]

    def __str__(self):
        return f"{self.job} {self.slot}"


class Delivery(models.Model):
    """One person's share of a job run: sent at most once, even if the run is resumed after a crash."""

    run = models.ForeignKey(JobRun, on_delete=models.CASCADE, related_name="deliveries")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=40, default="", blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "person", "key"], name="delivery_once")]

    def __str__(self):
        return f"{self.run} → {self.person}"
