"""The agency's file plan (Danh mục hồ sơ, Decree 30 Art 28, Annex V): one per year, headings by unit
or field (Roman numerals for big headings, Arabic for sub-headings) and the planned records under them,
each with its code (`01.TCCB`), title, retention, the person who will keep it, and notes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .retention import Retention


class FilePlan(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        APPROVED = "approved", _("Đã phê duyệt, ban hành")

    class Numbering(models.TextChoices):
        """Annex V: the ordinal runs through the whole plan, or restarts at 01 under each big heading."""

        CONTINUOUS = "continuous", _("Liên tục trong toàn danh mục")
        PER_HEADING = "per_heading", _("Bắt đầu lại từ 01 ở mỗi đề mục lớn")

    agency = models.ForeignKey("organization.Agency", on_delete=models.PROTECT, related_name="file_plans",
                               verbose_name=_("cơ quan"))
    year = models.PositiveSmallIntegerField(_("năm"))
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.DRAFT)
    numbering = models.CharField(_("cách đánh số hồ sơ"), max_length=12, choices=Numbering.choices,
                                 default=Numbering.CONTINUOUS)
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                    verbose_name=_("sao từ danh mục"))
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("người lập"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("người phê duyệt"))
    approved_at = models.DateTimeField(_("ngày phê duyệt"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("danh mục hồ sơ")
        verbose_name_plural = _("danh mục hồ sơ")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="file_plan_year_unique")]

    def __str__(self):
        return gettext("Danh mục hồ sơ năm %(y)s") % {"y": self.year}

    @property
    def is_draft(self) -> bool:
        return self.state == self.State.DRAFT


class PlanHeading(models.Model):
    """A heading (đề mục): big (no parent, numbered I, II…, with the abbreviation the codes end with) or
    a sub-heading (numbered 1, 2… under its big heading)."""

    plan = models.ForeignKey(FilePlan, on_delete=models.CASCADE, related_name="headings")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children",
                               verbose_name=_("đề mục lớn"))
    position = models.PositiveIntegerField(default=0)
    number = models.CharField(_("số thứ tự"), max_length=10, blank=True)  # I, II… or 1, 2…; kept by renumber
    title = models.CharField(_("tên đề mục"), max_length=500)
    abbreviation = models.CharField(_("ký hiệu đề mục"), max_length=15, blank=True,
                                    help_text=_("Chữ viết tắt ở cuối số và ký hiệu hồ sơ, ví dụ TCCB."))
    unit = models.ForeignKey("organization.Unit", on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("đơn vị"))

    class Meta:
        verbose_name = _("đề mục")
        verbose_name_plural = _("đề mục")
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.number}. {self.title}"

    @property
    def big(self):
        return self.parent if self.parent_id else self


class PlanItem(Retention):
    """A planned record (hồ sơ trong danh mục)."""

    plan = models.ForeignKey(FilePlan, on_delete=models.CASCADE, related_name="items")
    heading = models.ForeignKey(PlanHeading, on_delete=models.CASCADE, related_name="items",
                                verbose_name=_("đề mục"))
    position = models.PositiveIntegerField(default=0)
    ordinal = models.PositiveIntegerField(default=0)  # kept by renumber
    code = models.CharField(_("số và ký hiệu hồ sơ"), max_length=20, blank=True)
    title = models.CharField(_("tiêu đề hồ sơ"), max_length=500)
    responsible = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="planned_records", verbose_name=_("người lập hồ sơ"))
    responsible_name = models.CharField(_("người lập hồ sơ (ghi trong danh mục)"), max_length=100, blank=True)
    notes = models.CharField(_("ghi chú"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("hồ sơ trong danh mục")
        verbose_name_plural = _("hồ sơ trong danh mục")
        ordering = ["ordinal", "id"]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def responsible_label(self) -> str:
        return self.responsible.full_name if self.responsible_id else self.responsible_name


class Handover(models.Model):
    """Biên bản giao nhận hồ sơ (electronic: number of records and files), made when the archivist
    accepts submitted records; with the Mục lục hồ sơ nộp lưu (its records) both printed as PDF."""

    number = models.PositiveIntegerField(_("số biên bản"))
    year = models.PositiveSmallIntegerField(_("năm"))
    handed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("người giao"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("người nhận"))
    received_at = models.DateTimeField(_("thời gian giao nhận"))
    record_count = models.PositiveIntegerField(_("số hồ sơ"))
    file_count = models.PositiveIntegerField(_("số tệp"))

    class Meta:
        verbose_name = _("biên bản giao nhận hồ sơ")
        verbose_name_plural = _("biên bản giao nhận hồ sơ")
        ordering = ["-received_at"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="handover_number_unique")]

    def __str__(self):
        return gettext("Biên bản giao nhận số %(n)s/%(y)s") % {"n": self.number, "y": self.year}


class Submission(models.Model):
    """A closed record submitted (nộp lưu) to the agency archive; accepted into a handover or returned
    with a reason (then the owner may submit it again: a new row)."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Chờ lưu trữ tiếp nhận")
        ACCEPTED = "accepted", _("Đã tiếp nhận")
        RETURNED = "returned", _("Bị trả lại")

    record = models.ForeignKey("records.WorkRecord", on_delete=models.CASCADE, related_name="submissions")
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("người nộp"))
    submitted_at = models.DateTimeField(_("ngày nộp"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("người xử lý"))
    decided_at = models.DateTimeField(_("ngày xử lý"), null=True, blank=True)
    reason = models.TextField(_("lý do trả lại"), blank=True)
    handover = models.ForeignKey(Handover, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="submissions", verbose_name=_("biên bản giao nhận"))

    class Meta:
        verbose_name = _("hồ sơ nộp lưu")
        verbose_name_plural = _("hồ sơ nộp lưu")
        ordering = ["submitted_at", "id"]

    def __str__(self):
        return f"{self.record} ({self.get_state_display()})"


class KeepRequest(models.Model):
    """A request to keep a record past its submission deadline (Art 31: the head's consent, at most
    2 years); approved, its `until` is the new deadline."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ phê duyệt")
        APPROVED = "approved", _("Đã đồng ý")
        REFUSED = "refused", _("Không đồng ý")

    record = models.ForeignKey("records.WorkRecord", on_delete=models.CASCADE, related_name="keep_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("người đề nghị"))
    requested_at = models.DateTimeField(auto_now_add=True)
    until = models.DateField(_("giữ lại đến ngày"))
    reason = models.TextField(_("lý do"))
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("người phê duyệt"))
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đề nghị giữ lại hồ sơ")
        verbose_name_plural = _("đề nghị giữ lại hồ sơ")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.record} → {self.until:%d/%m/%Y}"


class Disposal(models.Model):
    """Hủy tài liệu hết giá trị (Luật Lưu trữ; Decree 30 F-5.e): archived records whose retention has
    run out, proposed by the archivist with a reason each (Danh mục tài liệu hết giá trị); the value
    appraisal council's view and the head of the agency's decision recorded here (decision number,
    date, council members, who approved); then the records' documents and files are destroyed and the
    Biên bản hủy tài liệu (PDF, `report`) is kept with each record's metadata, which stays."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Chờ phê duyệt")
        APPROVED = "approved", _("Đã có quyết định hủy")
        REFUSED = "refused", _("Không phê duyệt")
        DISPOSED = "disposed", _("Đã hủy")

    number = models.PositiveIntegerField(_("số đề nghị"))
    year = models.PositiveSmallIntegerField(_("năm"))
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.PROPOSED)
    note = models.TextField(_("thuyết minh"), blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("người đề nghị"))
    proposed_at = models.DateTimeField(_("ngày đề nghị"))
    decision_number = models.CharField(_("số quyết định"), max_length=50, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    council = models.TextField(_("thành viên hội đồng xác định giá trị tài liệu"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("người phê duyệt"))
    decided_at = models.DateTimeField(_("thời gian phê duyệt"), null=True, blank=True)
    refusal_reason = models.TextField(_("lý do không phê duyệt"), blank=True)
    disposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("người thực hiện hủy"))
    disposed_at = models.DateTimeField(_("thời gian hủy"), null=True, blank=True)
    file_count = models.PositiveIntegerField(_("số tệp đã hủy"), default=0)
    report = models.ForeignKey("files.Blob", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("biên bản hủy tài liệu"))

    class Meta:
        verbose_name = _("đề nghị hủy tài liệu")
        verbose_name_plural = _("đề nghị hủy tài liệu")
        ordering = ["-proposed_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="disposal_number_unique")]

    def __str__(self):
        return gettext("Đề nghị hủy tài liệu số %(n)s/%(y)s") % {"n": self.number, "y": self.year}

    @property
    def council_members(self) -> list[str]:
        return [line.strip() for line in self.council.splitlines() if line.strip()]


class DisposalItem(models.Model):
    """One record proposed for disposal, with its reason; once destroyed, `contents` keeps the index of
    what was destroyed (each document's line and its files' names, sizes and SHA-256)."""

    disposal = models.ForeignKey(Disposal, on_delete=models.CASCADE, related_name="items")
    record = models.ForeignKey("records.WorkRecord", on_delete=models.PROTECT, related_name="disposal_items",
                               verbose_name=_("hồ sơ"))
    reason = models.TextField(_("lý do hủy"))
    contents = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("hồ sơ đề nghị hủy")
        verbose_name_plural = _("hồ sơ đề nghị hủy")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["disposal", "record"], name="disposal_item_once")]

    def __str__(self):
        return f"{self.record} ({self.disposal})"


class DestroyedFile(models.Model):
    """A stored content destroyed by a disposal. Its `Blob` row may stay, as the file's metadata, when
    the access history names it (`audit.AccessLog` is never changed); `verify_files` does not look for
    such contents in the store."""

    sha256 = models.CharField(max_length=64, primary_key=True)
    disposal = models.ForeignKey(Disposal, on_delete=models.PROTECT, related_name="destroyed_files")
    destroyed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đã hủy")
        verbose_name_plural = _("tệp đã hủy")

    def __str__(self):
        return self.sha256[:12]


class AccessRequest(models.Model):
    """A request to read an archived record from outside its creating unit (F-6.c): the person asks with a
    reason; the archivist, the head of the creating unit or the head of the agency approves until a day
    (a time-limited grant, checked in `access.readable_archived_records`) or refuses with a reason."""

    class State(models.TextChoices):
        PENDING = "pending", _("Chờ phê duyệt")
        APPROVED = "approved", _("Đã đồng ý")
        REFUSED = "refused", _("Không đồng ý")

    record = models.ForeignKey("records.WorkRecord", on_delete=models.CASCADE, related_name="access_requests",
                               verbose_name=_("hồ sơ"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("người đề nghị"))
    requested_at = models.DateTimeField(_("ngày đề nghị"), auto_now_add=True)
    reason = models.TextField(_("mục đích khai thác"))
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("người phê duyệt"))
    decided_at = models.DateTimeField(_("ngày phê duyệt"), null=True, blank=True)
    until = models.DateField(_("được khai thác đến hết ngày"), null=True, blank=True)
    decision_note = models.TextField(_("ý kiến phê duyệt"), blank=True)

    class Meta:
        verbose_name = _("đề nghị khai thác hồ sơ lưu trữ")
        verbose_name_plural = _("đề nghị khai thác hồ sơ lưu trữ")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "state", "until"], name="archive_access_grant_idx")]

    def __str__(self):
        return f"{self.requested_by} → {self.record} ({self.get_state_display()})"
