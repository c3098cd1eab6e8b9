"""edXML packages sent and received, and the status messages about them (QCVN 102:2016)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qlvb.documents.identifiers import ORGAN_ID_MAX


class Package(models.Model):
    """One document package, as the stored `.edxml` file (content-addressed: `blob_id` is its SHA-256)
    and its header fields. Outgoing: one per external recipient and business type. Incoming: one per
    DocumentId and sender, whatever the number of times it is imported or delivered."""

    class Direction(models.TextChoices):
        OUT = "out", _("Gửi đi")
        IN = "in", _("Nhận về")

    class State(models.TextChoices):
        EXPORTED = "exported", _("Đã xuất tệp gửi đi")
        QUEUED = "queued", _("Chờ gửi qua liên thông")
        SENT = "sent", _("Đã gửi qua liên thông")
        RECEIVED = "received", _("Chờ tiếp nhận")
        REGISTERED = "registered", _("Đã vào sổ")
        REFUSED = "refused", _("Đã từ chối")

    direction = models.CharField(_("chiều"), max_length=3, choices=Direction.choices)
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices)
    document_id = models.CharField(_("mã văn bản (DocumentId)"), max_length=255)
    sender_organ_id = models.CharField(_("mã định danh nơi gửi"), max_length=ORGAN_ID_MAX)
    receiver_organ_id = models.CharField(_("mã định danh nơi nhận"), max_length=ORGAN_ID_MAX)
    business_type = models.PositiveSmallIntegerField(_("loại nghiệp vụ"), default=0)
    blob = models.ForeignKey("files.Blob", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("tệp gói tin"))
    # What the inbox shows, copied from the header once read (the file stays the source).
    code = models.CharField(_("số, ký hiệu"), max_length=100)
    subject = models.CharField(_("trích yếu"), max_length=1000)
    sender_name = models.CharField(_("cơ quan gửi"), max_length=255, blank=True)
    promulgation_date = models.DateField(_("ngày ban hành"))
    header = models.JSONField(_("thông tin gói tin"), default=dict)
    outgoing = models.ForeignKey("outgoing.OutgoingDocument", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    recipient = models.ForeignKey("outgoing.Recipient", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="packages")
    incoming = models.ForeignKey("incoming.IncomingDocument", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    refusal_reason = models.CharField(_("lý do từ chối"), max_length=500, blank=True)
    # Revoke / update / replace (business_type 1–3): the package of the document it changes (both directions)
    # and the sender's reason; on a received original, when its sender revoked it (frozen from then on).
    original = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="changes",
                                 verbose_name=_("gói tin gốc"))
    business_reason = models.CharField(_("lý do thu hồi, cập nhật, thay thế"), max_length=500, blank=True)
    revoked_at = models.DateTimeField(_("bị thu hồi lúc"), null=True, blank=True)
    # The sending agency's XML-DSig (`edxml/dsig.py`): our verdict on receipt (valid, untrusted, unsigned; a
    # modified package is refused and never stored), or on a package we signed ("valid"); and the signer.
    signature_verdict = models.CharField(_("chữ ký số của gói tin"), max_length=10, blank=True)
    signature = models.JSONField(_("người ký gói tin"), default=dict, blank=True)
    peer = models.ForeignKey("Peer", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("cơ quan liên thông trực tiếp"))
    # None: delivered by a peer over the direct transport (no person of ours acted).
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("gói tin edXML")
        verbose_name_plural = _("gói tin edXML")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Idempotent receipt: the same package imported or delivered twice is one row (exchange-platforms §3).
            models.UniqueConstraint(fields=["document_id", "sender_organ_id", "business_type"],
                                    condition=models.Q(direction="in"), name="exchange_package_in_once"),
            models.UniqueConstraint(fields=["recipient", "business_type"], condition=models.Q(direction="out"),
                                    name="exchange_package_out_once"),
        ]
        indexes = [models.Index(fields=["direction", "state", "-created_at"], name="exchange_package_list_idx")]

    def __str__(self):
        return f"{self.code} ({self.get_direction_display()})"

    @property
    def business_label(self) -> str:
        return BUSINESS_LABELS.get(self.business_type, str(self.business_type))

    @property
    def signature_label(self) -> str:
        from .signature import verdict_label

        return verdict_label(self.signature_verdict)

    @property
    def delivery(self) -> str:
        """"Đã gửi" / "Đang chờ gửi lại (lần 3, lỗi …)" of a package sent through the outbox ("" otherwise);
        reads `outbox` (prefetch it for lists)."""
        from .outbox import describe

        items = [i for i in self.outbox.all() if i.status_message_id is None]
        return describe(items[0]) if items else ""

    @property
    def file_name(self) -> str:
        return f"{self.code.replace('/', '_')}-{self.receiver_organ_id}.edxml"


# "Thay thế" is also a form of correction of an issued document (documents.Correction): its own context here.
BUSINESS_LABELS = {0: _("Văn bản mới"), 1: _("Thu hồi"), 2: _("Cập nhật"),
                   3: pgettext_lazy("exchange: replace a document sent", "Thay thế")}


class PackageAttachment(models.Model):
    """A file a received package carried, kept in the file store once its type was checked."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="attachments")
    blob = models.ForeignKey("files.Blob", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên tệp"), max_length=255)
    description = models.CharField(_("mô tả"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["package", "position"]

    def __str__(self):
        return self.name


class StatusMessage(models.Model):
    """One status notice (thông báo trạng thái): sent by us about a package we received, or received by us
    about a package we sent (the history of an outgoing recipient). Unknown codes are kept and shown."""

    class Direction(models.TextChoices):
        OUT = "out", _("Gửi đi")
        IN = "in", _("Nhận về")

    direction = models.CharField(_("chiều"), max_length=3, choices=Direction.choices)
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="statuses")
    code = models.CharField(_("mã trạng thái"), max_length=3)
    description = models.CharField(_("mô tả"), max_length=1000, blank=True)
    organ_id = models.CharField(_("mã định danh nơi báo"), max_length=ORGAN_ID_MAX)
    department = models.CharField(_("đơn vị xử lý"), max_length=255, blank=True)
    staff = models.CharField(_("cán bộ xử lý"), max_length=255, blank=True)
    mobile = models.CharField(_("điện thoại"), max_length=40, blank=True)
    email = models.CharField(_("thư điện tử"), max_length=255, blank=True)
    timestamp = models.DateTimeField(_("thời điểm"))
    blob = models.ForeignKey("files.Blob", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("tệp thông báo"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thông báo trạng thái")
        verbose_name_plural = _("thông báo trạng thái")
        ordering = ["package", "timestamp", "pk"]
        constraints = [
            # A status file imported twice is one entry.
            models.UniqueConstraint(fields=["package", "direction", "code", "timestamp"],
                                    name="exchange_status_once"),
        ]

    def __str__(self):
        return f"{self.code} {self.code_name}"

    @property
    def code_name(self) -> str:
        from .messages import status_label

        return status_label(self.code)


class Peer(models.Model):
    """Another QLVB installation we exchange with directly over HTTPS (no hub): its agency's OrganId, where
    to send, the shared token it presents to us and we present to it, and the certificate it signs its
    packages with (pinned: a package from it signed by another certificate is not trusted)."""

    organ_id = models.CharField(_("mã định danh"), max_length=ORGAN_ID_MAX, unique=True)
    name = models.CharField(_("tên cơ quan"), max_length=255)
    endpoint = models.URLField(_("địa chỉ nhận gói tin"), max_length=500,
                               help_text=_("Địa chỉ gốc của hệ thống bên kia, ví dụ https://qlvb.sogtvt.example.vn; "
                                           "gói tin gửi tới /api/exchange/receive."))
    token = models.CharField(_("mã xác thực"), max_length=200,
                             help_text=_("Chuỗi bí mật dùng chung cho cả hai chiều; hai bên khai báo giống nhau."))
    certificate_pem = models.TextField(_("chứng thư số ký gói tin (PEM)"), blank=True)
    is_active = models.BooleanField(_("đang liên thông"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cơ quan liên thông trực tiếp")
        verbose_name_plural = _("cơ quan liên thông trực tiếp")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.organ_id})"


class OutboxItem(models.Model):
    """One package or status notice to deliver to a peer, kept until delivered or refused: nothing is lost
    while the peer is down. Retried with exponential backoff (`attempts`, `next_attempt_at`, `last_error`)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        REFUSED = "refused", _("Bị từ chối")

    peer = models.ForeignKey(Peer, on_delete=models.PROTECT, related_name="outbox")
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="outbox")
    status_message = models.OneToOneField(StatusMessage, on_delete=models.CASCADE, null=True, blank=True,
                                          related_name="outbox")
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(_("số lần đã thử"), default=0)
    next_attempt_at = models.DateTimeField(_("thử lại lúc"))
    last_error = models.CharField(_("lỗi lần gần nhất"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("gửi được lúc"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hàng đợi gửi liên thông")
        verbose_name_plural = _("hàng đợi gửi liên thông")
        constraints = [
            # One delivery per package (the status notices each have their own row).
            models.UniqueConstraint(fields=["package"], condition=models.Q(status_message__isnull=True),
                                    name="exchange_outbox_package_once"),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="exchange_outbox_due_idx")]

    def __str__(self):
        return f"{self.peer} {self.get_state_display()}"
