from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SessionRecord(models.Model):
    """A signed-in session of a person, listed on their account page so they can end the others."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_records")
    session_key = models.CharField(max_length=40, unique=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("đăng nhập lúc"), auto_now_add=True)
    last_seen = models.DateTimeField(_("hoạt động gần nhất"), auto_now_add=True)

    class Meta:
        verbose_name = _("phiên đăng nhập")
        verbose_name_plural = _("phiên đăng nhập")
        ordering = ["-last_seen"]

    def __str__(self):
        return f"{self.person} @ {self.ip}"


class SavedSearch(models.Model):
    """A search a person keeps to run again (Circular 01/2019 F-6.f): its criteria as query-string values
    (`documents.search.as_params`), the columns shown and the order. Only its owner sees it."""

    class Kind(models.TextChoices):
        INCOMING = "incoming", _("Văn bản đến")
        OUTGOING = "outgoing", _("Văn bản đi")

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches",
                              verbose_name=_("người lưu"))
    name = models.CharField(_("tên tìm kiếm"), max_length=100)
    kind = models.CharField(_("loại văn bản"), max_length=8, choices=Kind.choices)
    params = models.JSONField(_("điều kiện tìm kiếm"), default=dict)
    columns = models.JSONField(_("cột hiển thị"), default=list)
    order = models.CharField(_("sắp xếp theo"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tìm kiếm đã lưu")
        verbose_name_plural = _("tìm kiếm đã lưu")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="saved_search_name_unique")]

    def __str__(self):
        return self.name
