"""Work records (hồ sơ công việc) and the drafts prepared in them, with versions, opinions and approvals."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from qlvb.core.text import fold
from qlvb.documents.models import Confidentiality, Correction, Urgency


class WorkRecord(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Đang mở")
        CLOSED = "closed", _("Đã đóng")

    title = models.CharField(_("tên hồ sơ"), max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="records",
                              verbose_name=_("người lập"))
    unit = models.ForeignKey("organization.Unit", on_delete=models.PROTECT, verbose_name=_("đơn vị"))
    field = models.ForeignKey("organization.Field", on_delete=models.PROTECT, null=True, blank=True,
                              verbose_name=_("lĩnh vực"))
    deadline = models.DateField(_("hạn"), null=True, blank=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=6, choices=Status.choices, default=Status.OPEN)
    closing_note = models.TextField(_("ghi chú khi đóng"), blank=True)
    incoming = models.ManyToManyField("incoming.IncomingDocument", blank=True, related_name="records",
                                      verbose_name=_("văn bản đến liên quan"))
    created_at = models.DateTimeField(auto_now_add=True)
    search_text = models.TextField(editable=False, default="")  # folded title, for the list's search

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
