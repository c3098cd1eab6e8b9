"""Append-only, hash-chained audit trail.

Each entry's hash covers its content and the previous entry's hash, and AuditHead keeps the
last hash and the count, so an edited, deleted or truncated entry is found by `verify_audit`.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("người thực hiện"),
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("thay mặt"),
    )
    action = models.CharField(_("hành động"), max_length=64)
    object_type = models.CharField(_("loại đối tượng"), max_length=64, blank=True)
    object_id = models.CharField(_("mã đối tượng"), max_length=64, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=255, blank=True)
    changes = models.JSONField(_("nội dung"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("nhật ký")
        verbose_name_plural = _("nhật ký hệ thống")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor", "at"], name="audit_actor_idx"),
            models.Index(fields=["action", "at"], name="audit_action_idx"),
        ]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M:%S} {self.action} {self.object_repr}"


class AuditHead(models.Model):
    """Singleton row: the chain's tip, locked while an entry is appended."""

    last_hash = models.CharField(max_length=64, default="0" * 64)
    count = models.BigIntegerField(default=0)

    def __str__(self):
        return f"{self.count} @ {self.last_hash[:12]}"


class AccessLog(models.Model):
    """Who opened, downloaded, printed or exported what, and when (Decree 30 PL VI I.III: F-5.a access/view
    history, F-6.a–c access counts, F-6.l usage history).

    Apart from the hash chain on purpose: a view is one INSERT, with no lock on the chain's head, so that
    reading never queues behind writing. Append-only: the application never updates or deletes a row
    (the admin is read-only); backups carry the table like any other."""

    class Kind(models.TextChoices):
        VIEW = "view", _("Xem")
        DOWNLOAD = "download", _("Mở, tải tệp")
        PRINT = "print", _("In")
        EXPORT = "export", _("Xuất")
        API = "api", _("Đọc qua API")

    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("người truy cập"))
    action = models.CharField(_("thao tác"), max_length=16, choices=Kind.choices)
    # Named like AuditEntry's, without a foreign key: one table for every kind of object, and no row here
    # ever holds a delete back.
    object_type = models.CharField(_("loại đối tượng"), max_length=64, blank=True)
    object_id = models.BigIntegerField(_("mã đối tượng"), null=True, blank=True)
    object_repr = models.CharField(_("đối tượng"), max_length=255, blank=True)
    blob = models.ForeignKey("files.Blob", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("tệp"))
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("lượt truy cập")
        verbose_name_plural = _("lịch sử truy cập")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"], name="access_object_idx"),
            models.Index(fields=["person", "at"], name="access_person_idx"),
            models.Index(fields=["at"], name="access_at_idx"),
        ]

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M:%S} {self.person_id} {self.action} {self.object_repr}"
