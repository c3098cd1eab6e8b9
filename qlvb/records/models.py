"""Work records (hồ sơ công việc) and the drafts prepared in them, with versions, opinions and approvals."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qlvb.archive.retention import Retention
from qlvb.core.text import fold
from qlvb.documents.models import Confidentiality, Correction, Urgency


class WorkRecord(Retention):
    """A work record (hồ sơ công việc) with the record fields of Decree 30 Annex VI III: FileCode (the
    agency's identifier + `year` + `code`), Title, Maintenance (`retention`), Rights, Creator (`owner`),
    Language, StartDate, EndDate, DocTotal, PageTotal, Description (`notes`). Closed, it is frozen."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang mở")
        CLOSED = "closed", _("Đã đóng")
        ARCHIVED = "archived", _("Đã nộp lưu")

    class Rights(models.TextChoices):
        """Chế độ sử dụng (Annex VI III.4)."""

        PUBLIC = "public", _("Công khai")
        RESTRICTED = "restricted", _("Hạn chế")
        CONFIDENTIAL = "confidential", _("Mật")

    title = models.CharField(_("tên hồ sơ"), max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="records",
                              verbose_name=_("người lập"))
    unit = models.ForeignKey("organization.Unit", on_delete=models.PROTECT, verbose_name=_("đơn vị"))
    field = models.ForeignKey("organization.Field", on_delete=models.PROTECT, null=True, blank=True,
                              verbose_name=_("lĩnh vực"))
    deadline = models.DateField(_("hạn"), null=True, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.OPEN)
    closing_note = models.TextField(_("ghi chú khi đóng"), blank=True)
    incoming = models.ManyToManyField("incoming.IncomingDocument", blank=True, related_name="records",
                                      verbose_name=_("văn bản đến liên quan"))
    created_at = models.DateTimeField(auto_now_add=True)
    search_text = models.TextField(editable=False, default="")  # folded title, for the list's search
    # Records management (issue 13): opened from the year's file plan or ad hoc.
    plan_item = models.ForeignKey("archive.PlanItem", on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="records", verbose_name=_("hồ sơ trong danh mục"))
    code = models.CharField(_("số và ký hiệu hồ sơ"), max_length=20, blank=True)
    year = models.PositiveSmallIntegerField(_("năm hình thành hồ sơ"), null=True, blank=True)
    rights = models.CharField(_("chế độ sử dụng"), max_length=12, choices=Rights.choices, default=Rights.RESTRICTED)
    language = models.CharField(_("ngôn ngữ"), max_length=50, default="Tiếng Việt")
    start_date = models.DateField(_("thời gian bắt đầu"), null=True, blank=True)
    end_date = models.DateField(_("thời gian kết thúc"), null=True, blank=True)
    doc_total = models.PositiveIntegerField(_("tổng số văn bản"), default=0)
    page_total = models.PositiveIntegerField(_("tổng số trang"), default=0)
    closed_at = models.DateTimeField(_("ngày đóng"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("người đóng"))
    # SHA-256 of the index (Mục lục văn bản trong hồ sơ) with every file's SHA-256, fixed at closing.
    index_sha256 = models.CharField(_("mã băm mục lục"), max_length=64, blank=True)
    # Nộp lưu (Decree 30 Art 31): records of a construction project are due 3 months after closing.
    construction = models.BooleanField(_("hồ sơ công trình xây dựng cơ bản"), default=False)

    class Meta:
        verbose_name = _("hồ sơ công việc")
        verbose_name_plural = _("hồ sơ công việc")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["owner", "status", "-created_at"], name="record_owner_idx")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.search_text = fold(self.title)
        super().save(*args, **kwargs)

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.CLOSED, self.Status.ARCHIVED)

    @property
    def is_archived(self) -> bool:
        return self.status == self.Status.ARCHIVED

    @property
    def file_code(self) -> str:
        """Mã hồ sơ (Annex VI III.1): OrganId + FileCatalog (year) + FileNotation (code), dot-joined."""
        if not self.code:
            return ""
        from qlvb.organization.models import Agency

        agency = Agency.objects.only("identifier").first()
        return ".".join(str(part) for part in (agency.identifier if agency else "", self.year, self.code) if part)


class Share(models.Model):
    record = models.ForeignKey(WorkRecord, on_delete=models.CASCADE, related_name="shares")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="record_shares")
    can_edit = models.BooleanField(_("được sửa"), default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["record", "person"], name="record_share_unique")]

    def __str__(self):
        return f"{self.record} → {self.person}"


class Note(models.Model):
    record = models.ForeignKey(WorkRecord, on_delete=models.CASCADE, related_name="record_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("nội dung"))
    blob = models.ForeignKey("files.Blob", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    file_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:60]


class Draft(models.Model):
    """A draft outgoing document (dự thảo) travelling up the approval chain."""

    class State(models.TextChoices):
        DRAFTING = "drafting", _("Đang soạn")
        AT_HEAD = "at_head", _("Trình lãnh đạo đơn vị")
        AT_LEADER = "at_leader", _("Trình lãnh đạo cơ quan")
        RETURNED = "returned", _("Bị trả lại")
        APPROVED = "approved", _("Đã ký, chờ phát hành")
        ISSUED = "issued", _("Đã phát hành")

    class SigningForm(models.TextChoices):
        """Signing authority (Decree 30 Art 13, Annex I II.7)."""

        DIRECT = "", _("Ký trực tiếp")
        TM = "TM.", _("TM. (thay mặt tập thể)")
        KT = "KT.", _("KT. (ký thay)")
        TL = "TL.", _("TL. (thừa lệnh)")
        TUQ = "TUQ.", _("TUQ. (thừa ủy quyền)")
        Q = "Q.", _("Q. (quyền)")

    record = models.ForeignKey(WorkRecord, on_delete=models.CASCADE, related_name="drafts")
    document_type = models.ForeignKey("documents.DocumentType", on_delete=models.PROTECT,
                                      verbose_name=_("loại văn bản"))
    summary = models.CharField(_("trích yếu"), max_length=1000)
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("người ký"))
    signing_form = models.CharField(_("hình thức ký"), max_length=5, choices=SigningForm.choices, blank=True,
                                    default="")
    collective = models.CharField(_("tập thể (ký TM.)"), max_length=255, blank=True, default="",
                                  help_text=_("Ký thay mặt tập thể: ví dụ ỦY BAN NHÂN DÂN, HỘI ĐỒNG THI ĐUA."))
    delegation = models.ForeignKey("organization.Delegation", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("văn bản ủy quyền (ký TUQ.)"),
                                   help_text=_("Ký thừa ủy quyền chỉ theo ủy quyền bằng văn bản, trong thời hạn "
                                               "và phạm vi được ủy quyền."))
    urgency = models.CharField(_("độ khẩn"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    confidentiality = models.CharField(_("độ mật"), max_length=12, choices=Confidentiality.choices,
                                       default=Confidentiality.NORMAL)
    recipient_units = models.ManyToManyField("organization.Unit", blank=True, related_name="+",
                                             verbose_name=_("nơi nhận: đơn vị trong cơ quan"))
    recipient_people = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+",
                                              verbose_name=_("nơi nhận: cá nhân trong cơ quan"))
    recipient_agencies = models.ManyToManyField("documents.ExternalAgency", blank=True, related_name="+",
                                                verbose_name=_("nơi nhận: cơ quan bên ngoài"))
    state = models.CharField(_("trạng thái"), max_length=10, choices=State.choices, default=State.DRAFTING)
    corrects = models.ForeignKey("outgoing.OutgoingDocument", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="correction_drafts", verbose_name=_("sửa đổi / thay thế văn bản"))
    correction = models.CharField(_("hình thức"), max_length=8, choices=Correction.choices, blank=True)
    # A copy (bản sao SY, TrS, SL) names the document it copies: an issued or a received one.
    copy_of_outgoing = models.ForeignKey("outgoing.OutgoingDocument", on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="copies", verbose_name=_("sao từ văn bản đi"))
    copy_of_incoming = models.ForeignKey("incoming.IncomingDocument", on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="copies", verbose_name=_("sao từ văn bản đến"))
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="drafts_held", verbose_name=_("đang trình"))
    # The PDF the signer signed at "Duyệt ký" (issue 14), with the boxes of its rendering (number, date,
    # signer, seal): the clerk writes the number into it and adds the agency's signature at issuing.
    signed_blob = models.ForeignKey("files.Blob", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("bản PDF đã ký số"))
    signed_boxes = models.JSONField(default=dict, blank=True)
    # The last remote signature asked for at "Duyệt ký" (the signer confirms on the phone): pending while
    # the page says "Chờ xác nhận trên điện thoại"; refused or expired, the draft stays with the signer.
    signature_request = models.ForeignKey("signing.RemoteSigningRequest", on_delete=models.SET_NULL, null=True,
                                          blank=True, related_name="+", verbose_name=_("yêu cầu ký số từ xa"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dự thảo")
        verbose_name_plural = _("dự thảo")
        indexes = [models.Index(fields=["holder", "state"], name="draft_holder_idx"),
                   models.Index(fields=["state"], name="draft_state_idx")]

    def __str__(self):
        return self.summary[:80]

    @property
    def latest(self):
        return self.versions.order_by("-number").first()


class Version(models.Model):
    """Every save of a draft is a new version: nothing is overwritten."""

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    body = models.TextField(_("nội dung"), blank=True)
    blob = models.ForeignKey("files.Blob", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    file_name = models.CharField(max_length=255, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["draft", "number"], name="draft_version_unique")]

    def __str__(self):
        return f"v{self.number}"


class OpinionRequest(models.Model):
    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="opinions")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opinion_requests")
    question = models.TextField(_("nội dung xin ý kiến"), blank=True)
    deadline = models.DateField(_("hạn góp ý"), null=True, blank=True)
    answer = models.TextField(_("ý kiến"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        indexes = [models.Index(fields=["person", "answered_at"], name="opinion_person_idx")]

    def __str__(self):
        return f"{self.draft} → {self.person}"


class Step(models.Model):
    """One decision on the approval chain, with person, time, decision and comment."""

    class Decision(models.TextChoices):
        SUBMIT = "submit", _("Trình")
        APPROVE = "approve", _("Duyệt, trình tiếp")
        SIGN = "sign", _("Duyệt ký")
        RETURN = "return", _("Trả lại")
        ISSUE = "issue", _("Phát hành")

    draft = models.ForeignKey(Draft, on_delete=models.CASCADE, related_name="steps")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(max_length=8, choices=Decision.choices)
    to = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                           related_name="+")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_decision_display()} – {self.actor}"


class RecordDocument(models.Model):
    """A document filed in a record (văn bản trong hồ sơ), numbered in order (DocOrdinal). It points to the
    document, never copies it: the same incoming or issued document, with its one stored file, may be
    filed in records of several people (F-4.đ)."""

    class Kind(models.TextChoices):
        INCOMING = "incoming", _("Văn bản đến")
        OUTGOING = "outgoing", _("Văn bản đi")
        DRAFT = "draft", _("Bản thảo")
        FILE = "file", _("Tài liệu khác")

    record = models.ForeignKey(WorkRecord, on_delete=models.CASCADE, related_name="documents")
    ordinal = models.PositiveIntegerField(_("số thứ tự"))
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    incoming = models.ForeignKey("incoming.IncomingDocument", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="filed_in")
    outgoing = models.ForeignKey("outgoing.OutgoingDocument", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="filed_in")
    version = models.ForeignKey(Version, on_delete=models.PROTECT, null=True, blank=True, related_name="filed_in")
    note = models.ForeignKey(Note, on_delete=models.PROTECT, null=True, blank=True, related_name="filed_in")
    page_count = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    notes = models.CharField(_("ghi chú"), max_length=500, blank=True)
    # [{"name": file name, "sha256": …}] of the document's files, fixed at closing.
    checksums = models.JSONField(default=list, blank=True)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("văn bản trong hồ sơ")
        verbose_name_plural = _("văn bản trong hồ sơ")
        ordering = ["ordinal", "id"]
        constraints = [
            models.UniqueConstraint(fields=["record", "incoming"], condition=models.Q(incoming__isnull=False),
                                    name="record_document_incoming_once"),
            models.UniqueConstraint(fields=["record", "outgoing"], condition=models.Q(outgoing__isnull=False),
                                    name="record_document_outgoing_once"),
            models.UniqueConstraint(fields=["record", "version"], condition=models.Q(version__isnull=False),
                                    name="record_document_version_once"),
            models.UniqueConstraint(fields=["record", "note"], condition=models.Q(note__isnull=False),
                                    name="record_document_note_once"),
            models.CheckConstraint(
                condition=(models.Q(kind="incoming", incoming__isnull=False, outgoing=None, version=None, note=None)
                           | models.Q(kind="outgoing", outgoing__isnull=False, incoming=None, version=None, note=None)
                           | models.Q(kind="draft", version__isnull=False, incoming=None, outgoing=None, note=None)
                           | models.Q(kind="file", note__isnull=False, incoming=None, outgoing=None, version=None)),
                name="record_document_one_target"),
        ]

    def __str__(self):
        return f"{self.ordinal}. {self.get_kind_display()}"
