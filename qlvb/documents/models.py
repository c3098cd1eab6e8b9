"""Catalogues shared by incoming and outgoing documents: types, registers, known agencies."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .identifiers import validate_organ_id


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Thường")
    URGENT = "urgent", _("Khẩn")
    VERY_URGENT = "very_urgent", _("Thượng khẩn")
    FLASH = "flash", _("Hỏa tốc")


class Correction(models.TextChoices):
    """How a new document corrects an issued one (an issued document itself never changes)."""

    AMEND = "amend", _("Sửa đổi, bổ sung")
    REPLACE = "replace", _("Thay thế")


class Confidentiality(models.TextChoices):
    NORMAL = "normal", _("Thường")
    CONFIDENTIAL = "confidential", _("Mật")
    SECRET = "secret", _("Tối mật")
    TOP_SECRET = "top_secret", _("Tuyệt mật")


class DocumentType(models.Model):
    """A document type of Decree 30, Annex III, with the abbreviation used in notations."""

    name = models.CharField(_("tên loại văn bản"), max_length=100, unique=True)
    abbreviation = models.CharField(_("viết tắt"), max_length=10, blank=True,
                                    help_text=_("Để trống với Công văn (không có chữ viết tắt)."))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_copy = models.BooleanField(
        _("bản sao"), default=False,
        help_text=_("Bản sao y, trích sao, sao lục: lấy số từ sổ bản sao, không từ sổ văn bản đi."))
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("loại văn bản")
        verbose_name_plural = _("loại văn bản")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    @property
    def is_official_letter(self) -> bool:
        """Công văn (and thư công) have no type abbreviation: their notation is agency-unit and their
        summary follows "V/v" (Decree 30, Annex I II.3, II.5)."""
        return not self.abbreviation


class ExternalAgency(models.Model):
    """An agency documents come from or go to (cơ quan ban hành / nơi nhận bên ngoài)."""

    name = models.CharField(_("tên cơ quan"), max_length=255, unique=True)
    identifier = models.CharField(_("mã định danh"), max_length=40, blank=True, validators=[validate_organ_id])
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("cơ quan bên ngoài")
        verbose_name_plural = _("cơ quan bên ngoài")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Register(models.Model):
    """A yearly register (sổ đăng ký) and its number counter.

    `last_number` is the counter: read and bumped only under SELECT FOR UPDATE inside the
    transaction that registers the document (see `services.next_number`).
    """

    class Kind(models.TextChoices):
        INCOMING = "incoming", _("Sổ văn bản đến")
        OUTGOING = "outgoing", _("Sổ văn bản đi")
        COPY = "copy", _("Sổ bản sao")

    agency = models.ForeignKey("organization.Agency", on_delete=models.PROTECT, related_name="registers")
    kind = models.CharField(_("loại sổ"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    code = models.CharField(_("mã sổ"), max_length=20, help_text=_("Ví dụ DEN, DEN-MAT."))
    name = models.CharField(_("tên sổ"), max_length=150)
    is_confidential = models.BooleanField(_("sổ văn bản mật"), default=False)
    mark = models.CharField(
        _("ký hiệu riêng của sổ"), max_length=10, blank=True, default="",
        help_text=_("Thêm vào số và ký hiệu văn bản của sổ này để phân biệt với sổ khác cùng năm, "
                    "ví dụ M với sổ văn bản đi mật: 01/M/SGTVT-VP."))
    keepers = models.ManyToManyField(
        "organization.Person", blank=True, related_name="registers_kept", verbose_name=_("văn thư quản lý sổ"),
        help_text=_("Với sổ mật: chỉ những văn thư này được xem và vào sổ."),
    )
    last_number = models.PositiveIntegerField(_("số cuối đã cấp"), default=0)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("sổ văn bản")
        verbose_name_plural = _("sổ văn bản")
        ordering = ["kind", "-year", "is_confidential", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "year", "code"], name="register_unique_per_year"),
        ]

    def __str__(self):
        return f"{self.name} {self.year}"


class ClosedBook(models.Model):
    """A register book closed for a period (khóa sổ): the PDF printed at closing, kept in the file store
    under its SHA-256, and a fingerprint of each row as registered, so that a document registered or
    corrected in the period afterwards is flagged on the book page (Decree 30 Art 16.2.b, 22.3.b).

    Digital signing of the closed book comes with the signing module: it will sign `blob` and keep the
    signed file beside it (see `documents.services.close_book`)."""

    class Book(models.TextChoices):
        INCOMING = "incoming", _("Sổ đăng ký văn bản đến")
        OUTGOING = "outgoing", _("Sổ đăng ký văn bản đi")
        FOLLOWUP = "followup", _("Sổ theo dõi giải quyết văn bản đến")

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="closings",
                                 verbose_name=_("sổ văn bản"))
    book = models.CharField(_("sổ"), max_length=10, choices=Book.choices)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến ngày"))
    blob = models.ForeignKey("files.Blob", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("bản PDF của sổ đã khóa"))
    # {document id: SHA-256 of the row's registered columns} as printed in `blob`.
    rows = models.JSONField(_("các dòng của sổ"), default=dict)
    closed_by = models.ForeignKey("organization.Person", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("người khóa sổ"))
    closed_at = models.DateTimeField(_("thời điểm khóa sổ"), auto_now_add=True)

    class Meta:
        verbose_name = _("sổ đã khóa")
        verbose_name_plural = _("sổ đã khóa")
        ordering = ["register", "book", "start", "end"]
        constraints = [
            models.UniqueConstraint(fields=["register", "book", "start", "end"], name="closed_book_once"),
            models.CheckConstraint(condition=models.Q(start__lte=models.F("end")), name="closed_book_period"),
        ]

    def __str__(self):
        return f"{self.get_book_display()} – {self.register} ({self.start:%d/%m/%Y}–{self.end:%d/%m/%Y})"

    @property
    def sha256(self) -> str:
        return self.blob_id


class DocumentTemplate(models.Model):
    """An agency's template for one document type, uploaded by the administrator: the HTML/CSS layout of
    structured drafts, or the Word file officers start from (its placeholders are filled at rendering).
    `boxes` fixes where the number, date, signature and seal go when the layout cannot tell: uploaded PDFs
    of this type, and Word drafts without placeholders (qlvb/outgoing/rendering)."""

    class Kind(models.TextChoices):
        HTML = "html", _("HTML/CSS (văn bản soạn trên hệ thống)")
        DOCX = "docx", _("Word (.docx)")

    agency = models.ForeignKey("organization.Agency", on_delete=models.CASCADE, related_name="templates",
                               verbose_name=_("cơ quan"))
    document_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, related_name="templates",
                                      verbose_name=_("loại văn bản"))
    kind = models.CharField(_("loại mẫu"), max_length=4, choices=Kind.choices)
    name = models.CharField(_("tên mẫu"), max_length=150)
    # HTML is text kept in the row: the file store only keeps documents whose type it can tell from bytes.
    html = models.TextField(_("mã HTML/CSS"), blank=True)
    blob = models.ForeignKey("files.Blob", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("tệp Word"))
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    boxes = models.JSONField(
        _("vị trí cố định"), default=dict, blank=True,
        help_text=_('Điểm PDF, gốc ở góc dưới trái, trang tính từ 0: {"number": {"page": 0, "x1": 137, '
                    '"y1": 728, "x2": 250, "y2": 746}, "date": {…}, "signer": {…}}; con dấu theo chữ ký.'))
    is_active = models.BooleanField(_("đang dùng"), default=True)
    updated_by = models.ForeignKey("organization.Person", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mẫu văn bản")
        verbose_name_plural = _("mẫu văn bản")
        ordering = ["document_type__order", "kind"]
        constraints = [models.UniqueConstraint(fields=["agency", "document_type", "kind"],
                                               condition=models.Q(is_active=True),
                                               name="template_one_active_per_type")]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"


class Rendition(models.Model):
    """A Word file already converted to PDF, by the SHA-256 of the filled file: LibreOffice takes seconds,
    so the worker converts once and the preview, the signing and a second run of the task reuse it."""

    source_sha256 = models.CharField(max_length=64, unique=True)
    blob = models.ForeignKey("files.Blob", on_delete=models.PROTECT, related_name="+")
    page_count = models.PositiveIntegerField()
    boxes = models.JSONField(default=dict)  # the markers' boxes found in the PDF (rendering.boxes.Box)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bản PDF chuyển đổi")
        verbose_name_plural = _("bản PDF chuyển đổi")

    def __str__(self):
        return self.source_sha256[:12]


class FullTextEntry(models.Model):
    """One searchable item of the full-text search (issue 12, `documents.fulltext`): an incoming or
    outgoing document, a draft or a work record, with its metadata and the text of its files. `content`
    is the text as written (snippets are cut from it), `folded` the same without accents (đ → d), which
    the database indexes: SQLite's FTS5 table `fulltext_index` (kept by triggers), PostgreSQL's
    `search_vector` column (generated, GIN index). Written by `fulltext.reindex` in the task queue; it
    says nothing about who may read it: every search filters it by `access` first."""

    class Kind(models.TextChoices):
        INCOMING = "incoming", _("Văn bản đến")
        OUTGOING = "outgoing", _("Văn bản đi")
        DRAFT = "draft", _("Dự thảo")
        RECORD = "record", _("Hồ sơ công việc")

    kind = models.CharField(max_length=8, choices=Kind.choices)
    object_id = models.PositiveIntegerField()
    title = models.CharField(max_length=1200)
    content = models.TextField()
    folded = models.TextField()
    # What the search's facets count and filter on (`fulltext.FACETS`), copied from the item when it is
    # indexed: its type, date (the period), issuer, unit, status and register; empty where the kind has none.
    document_type = models.ForeignKey("documents.DocumentType", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+")
    dated = models.DateField(null=True, blank=True)
    issuer = models.CharField(max_length=255, blank=True, default="")
    unit = models.ForeignKey("organization.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=12, blank=True, default="")
    register = models.ForeignKey("documents.Register", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mục tìm kiếm toàn văn")
        verbose_name_plural = _("mục tìm kiếm toàn văn")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="fulltext_entry_unique")]

    def __str__(self):
        return f"{self.kind} {self.object_id}"
