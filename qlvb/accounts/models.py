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
