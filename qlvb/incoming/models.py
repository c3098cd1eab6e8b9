"""Incoming documents (văn bản đến), with the metadata of Decree 30/2020, Annex VI."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

from qlvb.core.text import fold
from qlvb.documents import identifiers
from qlvb.documents.codes import priority
from qlvb.documents.models import Confidentiality, Urgency


class IncomingDocument(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Chờ phân phối")
        IN_PROGRESS = "in_progress", _("Đang xử lý")
        DONE = "done", _("Đã xử lý xong")
        RETURNED = "returned", _("Bị trả lại văn thư")
        CANCELLED = "cancelled", _("Đã hủy đăng ký")
        WITHDRAWN = "withdrawn", _("Đã thu hồi")

    class Medium(models.TextChoices):
        ELECTRONIC = "electronic", _("Điện tử")
        PAPER = "paper", _("Giấy")

    register = models.ForeignKey("documents.Register", on_delete=models.PROTECT, related_name="incoming",
                                 verbose_name=_("sổ văn bản đến"))
    arrival_number = models.PositiveIntegerField(_("số đến"))
    arrived_at = models.DateTimeField(_("ngày giờ đến"))
    issuer = models.ForeignKey("documents.ExternalAgency", on_delete=models.PROTECT, null=True, blank=True,
                               verbose_name=_("cơ quan ban hành"))
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=255)
    issuer_code = models.CharField(_("mã định danh cơ quan ban hành"), max_length=identifiers.ORGAN_ID_MAX,
                                   blank=True, validators=[identifiers.validate_organ_id])
    # Annex VI CodeNumber and CodeNotation; `notation` is the two joined as printed (`12/QĐ-UBND`), shown and
    # searched. Rows registered before the split whose text did not split keep it whole in `notation`
    # with both parts empty: `code_needs_fix` flags them for the clerk.
    code_number = models.CharField(_("số"), max_length=identifiers.NUMBER_MAX, blank=True)
    code_notation = models.CharField(_("ký hiệu"), max_length=identifiers.NOTATION_MAX, blank=True)
    notation = models.CharField(_("số và ký hiệu"), max_length=100, blank=True)
    # Compared for duplicate registrations (incoming.duplicates): number without leading zeros, notation folded.
    code_key = models.CharField(max_length=100, editable=False, default="")
    document_identifier = models.CharField(
        _("mã định danh văn bản"), max_length=150, blank=True,
        help_text=_("DocumentId của văn bản điện tử nhận qua trục liên thông, nếu có "
                    "(ví dụ 000.00.00.G22,2015/09/30,7816/VPCP-TTĐT)."))
    issued_on = models.DateField(_("ngày văn bản"))
    document_type = models.ForeignKey("documents.DocumentType", on_delete=models.PROTECT,
                                      verbose_name=_("loại văn bản"))
    summary = models.TextField(_("trích yếu"), max_length=1000)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=100, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=50, blank=True)
    urgency = models.CharField(_("độ khẩn"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    confidentiality = models.CharField(_("độ mật"), max_length=12, choices=Confidentiality.choices,
                                       default=Confidentiality.NORMAL)
    page_count = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    medium = models.CharField(_("hình thức nhận"), max_length=10, choices=Medium.choices,
                              default=Medium.ELECTRONIC)
    deadline = models.DateField(_("hạn xử lý"), null=True, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    field = models.ForeignKey("organization.Field", on_delete=models.PROTECT, null=True, blank=True,
                              verbose_name=_("lĩnh vực"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name=_("văn thư vào sổ"))
    created_at = models.DateTimeField(_("thời điểm vào sổ"), auto_now_add=True)
    completed_at = models.DateTimeField(_("thời điểm xử lý xong"), null=True, blank=True)
    completed_on = models.DateField(_("ngày xử lý xong"), null=True, blank=True, editable=False)  # see done_on
    cancel_reason = models.CharField(_("lý do hủy"), max_length=500, blank=True)
    # Withdrawn from processing on the issuer's recall order (Decree 30 Art 18.4.b, PL VI I.III.8): the
    # metadata and the recall's own are kept; the files are hidden (or removed, QLVB_WITHDRAWN_INCOMING_FILES).
    withdrawn_at = models.DateTimeField(_("thời điểm thu hồi"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", editable=False, verbose_name=_("người thu hồi"))
    withdraw_reason = models.CharField(_("lý do thu hồi"), max_length=500, blank=True, editable=False)
    withdraw_order = models.CharField(_("văn bản yêu cầu thu hồi"), max_length=150, blank=True, editable=False,
                                      help_text=_("Số, ký hiệu văn bản (hoặc thông báo) thu hồi của cơ quan ban hành."))
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("văn bản đến")
        verbose_name_plural = _("văn bản đến")
        constraints = [
            models.UniqueConstraint(fields=["register", "arrival_number"], name="arrival_number_unique"),
        ]
        indexes = [
            models.Index(fields=["register", "-arrival_number"], name="incoming_register_book_idx"),
            models.Index(fields=["code_key"], name="incoming_duplicate_idx"),
            models.Index(fields=["document_identifier"], name="incoming_document_id_idx"),
            models.Index(fields=["status", "deadline"], name="incoming_status_deadline_idx"),
            # Reports select by period.
            models.Index(fields=["arrived_at"], name="incoming_arrived_idx"),
            models.Index(fields=["deadline"], name="incoming_deadline_idx"),
            # The routing suggestion's documents of the same issuer, newest first (assignments.routing):
            # without it the database reads the whole two-year window (220 ms at 100k on PostgreSQL).
            models.Index(Upper("issuer_name"), "arrived_at", "id", name="incoming_issuer_arrival_idx"),
        ]

    def __str__(self):
        return f"{self.arrival_number} – {self.notation}"

    def save(self, *args, **kwargs):
        self._join_code()
        self.code_key = identifiers.code_key(self.notation)
        self.document_identifier = self.document_identifier.strip()
        self.search_text = self.search_text_with(self.arrival_number)
        super().save(*args, **kwargs)

    def search_text_with(self, arrival_number) -> str:
        """The folded words of the register's quick search: the number, then notation, summary and issuer.
        With `arrival_number` "", the words after the number: the registration's statement puts the number
        it takes in front of them (incoming.services._take_number)."""
        rest = fold(" ".join([self.notation, self.summary, self.issuer_name]))
        return f"{arrival_number} {rest}".rstrip()

    def _join_code(self):
        """The parts make the printed form; a caller that set only the printed form gets it split."""
        if self.code_number and self.code_notation:
            self.notation = identifiers.join_code(self.code_number, self.code_notation)
        elif self.notation and not (self.code_number or self.code_notation):
            try:
                self.code_number, self.code_notation = identifiers.split_code(self.notation)
            except ValidationError:
                return  # kept whole, flagged by code_needs_fix
            self.notation = identifiers.join_code(self.code_number, self.code_notation)

    @property
    def code_needs_fix(self) -> bool:
        """Registered before number and notation were two fields, and the text did not split."""
        return bool(self.notation) and not self.code_number

    @property
    def signer(self) -> str:
        return " ".join(p for p in (self.signer_position, self.signer_name) if p)

    @property
    def priority(self) -> int:
        """Annex VI / edXML Priority code (qlvb.documents.codes.priority)."""
        return int(priority(self.urgency, self.confidentiality))

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    @property
    def is_confidential(self) -> bool:
        return self.confidentiality != Confidentiality.NORMAL


class Attachment(models.Model):
    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="attachments")
    blob = models.ForeignKey("files.Blob", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên tệp"), max_length=255)
    is_main = models.BooleanField(_("tệp văn bản chính"), default=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["-is_main", "id"]

    def __str__(self):
        return self.name
