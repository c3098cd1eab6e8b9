"""Issued outgoing documents (văn bản đi): numbered, dated, immutable; and where each copy went."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qlvb.core.text import fold
from qlvb.documents.models import Confidentiality, Correction, Urgency


class OutgoingDocument(models.Model):
    class Sending(models.TextChoices):
        ELECTRONIC = "electronic", _("Điện tử")
        PAPER_AND_ELECTRONIC = "paper_electronic", _("Giấy và điện tử")

    register = models.ForeignKey("documents.Register", on_delete=models.PROTECT, related_name="outgoing",
                                 verbose_name=_("sổ văn bản đi"))
    number = models.PositiveIntegerField(_("số"))
    notation = models.CharField(_("số và ký hiệu"), max_length=100)
    year = models.PositiveSmallIntegerField(_("năm"), editable=False)  # the register's: số + ký hiệu unique in it
    notation_conflict = models.BooleanField(
        _("trùng số, ký hiệu (dữ liệu cũ)"), default=False, editable=False,
        help_text=_("Văn bản phát hành trước khi có quy tắc số và ký hiệu duy nhất trong năm, trùng với văn bản khác."))
    issued_on = models.DateField(_("ngày ban hành"))
    document_type = models.ForeignKey("documents.DocumentType", on_delete=models.PROTECT,
                                      verbose_name=_("loại văn bản"))
    summary = models.CharField(_("trích yếu"), max_length=1000)
    body = models.TextField(_("nội dung"), blank=True)
    blob = models.ForeignKey("files.Blob", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    file_name = models.CharField(max_length=255, blank=True)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("người ký"))
    # Copied at issuing, never read back from the person or the agency: a later rename, promotion or
    # merger must not rewrite what was issued (Annex VI SignerInfo, OrganName).
    signer_name = models.CharField(_("họ tên người ký"), max_length=150)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=150)
    signing_form = models.CharField(_("hình thức ký"), max_length=5, blank=True)
    signing_authority = models.CharField(_("quyền hạn, chức vụ ký"), max_length=300, blank=True,
                                         help_text=_("Ví dụ: KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC."))
    agency_name = models.CharField(_("tên cơ quan ban hành"), max_length=255)
    parent_agency_name = models.CharField(_("tên cơ quan chủ quản"), max_length=255, blank=True)
    urgency = models.CharField(_("độ khẩn"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    confidentiality = models.CharField(_("độ mật"), max_length=12, choices=Confidentiality.choices,
                                       default=Confidentiality.NORMAL)
    drafting_unit = models.ForeignKey("organization.Unit", on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("đơn vị soạn thảo"))
    sending = models.CharField(_("hình thức gửi"), max_length=16, choices=Sending.choices,
                               default=Sending.ELECTRONIC)
    draft = models.OneToOneField("records.Draft", on_delete=models.PROTECT, related_name="outgoing")
    replies_to = models.ManyToManyField("incoming.IncomingDocument", blank=True, related_name="replies",
                                        verbose_name=_("trả lời cho văn bản"))
    replaces = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="replaced_by", verbose_name=_("thay thế / sửa đổi văn bản"))
    correction = models.CharField(_("hình thức"), max_length=8, choices=Correction.choices, blank=True)
    # Annex VI I (outgoing): 9 Language, 10 PageAmount, 11 Description, 15 IssuedAmount, 16 DueDate.
    language = models.CharField(_("ngôn ngữ"), max_length=30, default="Tiếng Việt")
    page_count = models.PositiveSmallIntegerField(_("số trang"), null=True, blank=True)
    notes = models.CharField(_("ghi chú"), max_length=500, blank=True)
    issued_amount = models.PositiveSmallIntegerField(_("số lượng bản phát hành"), null=True, blank=True)
    reply_due = models.DateField(_("hạn trả lời văn bản"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("văn thư phát hành"))
    issued_at = models.DateTimeField(auto_now_add=True)
    # Recall (thu hồi; Decree 30 Art 18.4.b, PL VI I.III.8): the document is frozen as it was, and who
    # recalled it, when and why is kept. Between agencies this is edXML BussinessDocType 1 (later).
    recalled_at = models.DateTimeField(_("thời điểm thu hồi"), null=True, blank=True, editable=False)
    recalled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", editable=False, verbose_name=_("người thu hồi"))
    recall_reason = models.CharField(_("lý do thu hồi"), max_length=500, blank=True, editable=False)
    recall_reference = models.CharField(_("số, ký hiệu văn bản thu hồi"), max_length=100, blank=True,
                                        editable=False)
    search_text = models.TextField(editable=False, default="")  # folded, as for incoming documents

    class Meta:
        verbose_name = _("văn bản đi")
        verbose_name_plural = _("văn bản đi")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["register", "number"], name="outgoing_number_unique"),
            # Art 15.1: số + ký hiệu unique in the year, across series (documents issued before the rule
            # that already collide are flagged, not renumbered).
            models.UniqueConstraint(fields=["year", "notation"], condition=models.Q(notation_conflict=False),
                                    name="outgoing_notation_unique_in_year"),
        ]
        indexes = [models.Index(fields=["register", "-number"], name="outgoing_register_idx")]

    def __str__(self):
        return self.notation

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.notation} {self.summary}")
        super().save(*args, **kwargs)

    @property
    def is_recalled(self) -> bool:
        return self.recalled_at is not None

    @property
    def signature_block(self) -> list[str]:
        """The lines above the signature as issued: `KT. GIÁM ĐỐC`, `PHÓ GIÁM ĐỐC` (Annex I II.7)."""
        lines = [self.signing_authority] if self.signing_authority else []
        if self.signing_form != "Q.":  # the acting head signs as "Q. GIÁM ĐỐC" only
            lines.append(self.signer_title.upper())
        return [line for line in lines if line]


class Recipient(models.Model):
    """One addressee on the "Nơi nhận" list, with its delivery status (the outbox for external ones)."""

    class Status(models.TextChoices):
        DELIVERED = "delivered", _("Đã chuyển vào hệ thống (nội bộ)")
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi điện tử")
        PAPER_SENT = "paper_sent", _("Đã gửi bản giấy")

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="recipients")
    unit = models.ForeignKey("organization.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    agency = models.ForeignKey("documents.ExternalAgency", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    incoming = models.ForeignKey("incoming.IncomingDocument", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["status"], name="recipient_status_idx")]

    def __str__(self):
        return str(self.unit or self.person or self.agency)


class WithBlob(models.Manager):
    """Attachments are always shown with their file's type, size and verdict: read the blob with them."""

    def get_queryset(self):
        return super().get_queryset().select_related("blob")


class DraftAttachment(models.Model):
    """A file attached to a draft as an attachment in a separate file (phụ lục, văn bản kèm theo): at
    issuing it becomes a PDF signed by the agency at the top right of page 1 (Annex I §1.6)."""

    draft = models.ForeignKey("records.Draft", on_delete=models.CASCADE, related_name="separate_attachments")
    blob = models.ForeignKey("files.Blob", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên tệp"), max_length=255)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    objects = WithBlob()

    class Meta:
        verbose_name = _("phụ lục, văn bản kèm theo (tệp riêng) của dự thảo")
        verbose_name_plural = _("phụ lục, văn bản kèm theo (tệp riêng) của dự thảo")
        ordering = ["id"]

    def __str__(self):
        return self.name


class OutgoingAttachment(models.Model):
    """An issued attachment in a separate file: the PDF signed by the agency with the document's number and
    notation and the signing time (Annex I §1.6), in the order the drafter attached them."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="attachments")
    position = models.PositiveSmallIntegerField()
    blob = models.ForeignKey("files.Blob", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên tệp"), max_length=255)
    source = models.ForeignKey("files.Blob", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("tệp đính kèm của dự thảo"))

    objects = WithBlob()

    class Meta:
        verbose_name = _("phụ lục, văn bản kèm theo (tệp riêng)")
        verbose_name_plural = _("phụ lục, văn bản kèm theo (tệp riêng)")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["document", "position"], name="outgoing_attachment_unique")]

    def __str__(self):
        return self.name
