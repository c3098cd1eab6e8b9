"""Signing credentials (who signs with which key), trusted roots, verification results, remote requests."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SigningCredential(models.Model):
    """A certificate a person or the agency signs with, and where its private key lives (the backend).

    The database never holds a usable key: a PKCS#12 stays protected by its PIN and is encrypted again at
    rest (`keystore`); a token keeps its key inside; a remote service keeps it at the CA."""

    class Backend(models.TextChoices):
        PKCS12 = "pkcs12", _("Tệp PKCS#12 (.p12/.pfx)")
        PKCS11 = "pkcs11", _("Thiết bị ký số (USB token, PKCS#11)")
        REMOTE = "remote", _("Ký số từ xa (SmartCA…)")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Đang dùng")
        DISABLED = "disabled", _("Ngừng dùng")

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="signing_credentials",
        verbose_name=_("người ký"), help_text=_("Để trống: chứng thư số của cơ quan."),
    )
    agency = models.ForeignKey("organization.Agency", on_delete=models.PROTECT, related_name="signing_credentials",
                               verbose_name=_("cơ quan"))
    backend = models.CharField(_("cách ký"), max_length=10, choices=Backend.choices)
    label = models.CharField(_("tên gọi"), max_length=200, blank=True,
                             help_text=_("Để trống: lấy tên trong chứng thư số."))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    certificate_pem = models.TextField(_("chứng thư số (PEM)"))
    chain_pem = models.TextField(_("chuỗi chứng thư (PEM)"), blank=True)
    subject = models.CharField(_("chủ thể"), max_length=500)
    issuer = models.CharField(_("tổ chức cấp"), max_length=500)
    serial = models.CharField(_("số hiệu"), max_length=100)
    not_before = models.DateTimeField(_("hiệu lực từ"))
    not_after = models.DateTimeField(_("hiệu lực đến"))
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64)
    # PKCS#12: its private key under the file's password (the holder's PIN), encrypted again at rest.
    encrypted_key = models.BinaryField(null=True, blank=True, editable=False)
    # PKCS#11: which token and key; the module path comes from the setting unless given here.
    pkcs11_module = models.CharField(_("thư viện PKCS#11"), max_length=300, blank=True)
    token_label = models.CharField(_("nhãn token"), max_length=100, blank=True)
    key_label = models.CharField(_("nhãn khóa"), max_length=100, blank=True)
    # Remote: the provider adapter and the holder's identifier there (CCCD/MST for SmartCA).
    remote_provider = models.CharField(_("dịch vụ ký từ xa"), max_length=30, blank=True)
    remote_user_id = models.CharField(_("mã người dùng dịch vụ"), max_length=100, blank=True)
    # Appearance: the leader's signature (blue) or the agency's seal (red), transparent PNG.
    signature_image = models.ForeignKey("files.Blob", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("ảnh chữ ký"))
    seal_image = models.ForeignKey("files.Blob", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("ảnh con dấu"))
    seal_size_mm = models.DecimalField(_("đường kính con dấu (mm)"), max_digits=5, decimal_places=1,
                                       null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chứng thư số")
        verbose_name_plural = _("chứng thư số")
        ordering = ["agency", "owner__full_name", "label"]
        indexes = [models.Index(fields=["owner", "status"], name="credential_owner_idx")]

    def __str__(self):
        return self.label

    @property
    def is_agency(self) -> bool:
        return self.owner_id is None


class TrustedRoot(models.Model):
    """A root certificate signatures are trusted under (the demo CA; the Government's CAs, uploaded)."""

    name = models.CharField(_("tên"), max_length=300)
    certificate_pem = models.TextField(_("chứng thư gốc (PEM)"))
    fingerprint = models.CharField(_("dấu vân tay SHA-256"), max_length=64, unique=True)
    not_after = models.DateTimeField(_("hiệu lực đến"))
    is_active = models.BooleanField(_("đang tin cậy"), default=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chứng thư gốc tin cậy")
        verbose_name_plural = _("chứng thư gốc tin cậy")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Verdict(models.TextChoices):
    VALID = "valid", _("Hợp lệ")
    MODIFIED = "modified", _("Bị sửa đổi sau khi ký")
    UNTRUSTED = "untrusted", _("Không tin cậy")
    UNSIGNED = "unsigned", _("Không có chữ ký số")


class Verification(models.Model):
    """What `verify_pdf` found in one content (keyed by its SHA-256), kept so pages show it at once.
    Re-checked when the trusted roots change (`roots_version`)."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    verdict = models.CharField(_("kết quả"), max_length=10, choices=Verdict.choices)
    signatures = models.JSONField(_("các chữ ký"), default=list)
    roots_version = models.CharField(max_length=64)
    checked_at = models.DateTimeField(_("kiểm tra lúc"), auto_now=True)

    class Meta:
        verbose_name = _("kết quả kiểm tra chữ ký số")
        verbose_name_plural = _("kết quả kiểm tra chữ ký số")

    def __str__(self):
        return f"{self.sha256[:12]} {self.verdict}"


class RemoteSigningRequest(models.Model):
    """One hash sent to a remote signing service, waiting for its holder's confirmation.

    Holds what pyHanko's interrupted signing needs to finish later (explicit fields, not a pickle):
    the prepared PDF with its placeholder, the byte range digest and the signed attributes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xác nhận trên điện thoại")
        SIGNED = "signed", _("Đã ký")
        REFUSED = "refused", _("Người ký từ chối")
        EXPIRED = "expired", _("Hết thời gian chờ")
        FAILED = "failed", _("Lỗi dịch vụ ký")

    transaction_id = models.UUIDField(unique=True)
    provider_ref = models.CharField(max_length=100, blank=True)
    credential = models.ForeignKey(SigningCredential, on_delete=models.PROTECT, related_name="remote_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    prepared_pdf = models.BinaryField()
    document_digest = models.BinaryField()
    reserved_start = models.BigIntegerField()
    reserved_end = models.BigIntegerField()
    signed_attrs = models.BinaryField()
    data_hash = models.CharField(max_length=64)
    result_pdf = models.ForeignKey("files.Blob", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    message = models.CharField(max_length=500, blank=True)
    # What the caller needs once the signature arrives (a draft's id and the boxes of its rendering).
    context = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("yêu cầu ký từ xa")
        verbose_name_plural = _("yêu cầu ký từ xa")
        indexes = [models.Index(fields=["status", "expires_at"], name="remote_pending_idx")]

    def __str__(self):
        return str(self.transaction_id)
