"""The agency, its unit tree, positions, people and fields (lĩnh vực)."""

from functools import cached_property

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from qlvb.documents.identifiers import validate_organ_id


class Role(models.TextChoices):
    LEADER = "leader", _("Lãnh đạo cơ quan")
    HEAD = "head", _("Lãnh đạo đơn vị")
    OFFICER = "officer", _("Chuyên viên")
    CLERK = "clerk", _("Văn thư")
    ADMIN = "admin", _("Quản trị hệ thống")
    REPORTER = "reporter", _("Xem báo cáo")
    ARCHIVIST = "archivist", _("Lưu trữ")


class Agency(models.Model):
    name = models.CharField(_("tên cơ quan"), max_length=255)
    short_name = models.CharField(
        _("tên viết tắt"), max_length=30, help_text=_("Dùng trong ký hiệu văn bản, ví dụ SGTVT.")
    )
    parent_name = models.CharField(_("cơ quan chủ quản"), max_length=255, blank=True)
    identifier = models.CharField(
        _("mã định danh"), max_length=40, blank=True, validators=[validate_organ_id],
        help_text=_("Mã định danh theo QCVN 102:2016 (000.00.00.H49) hoặc Quyết định 20/2020/QĐ-TTg (H01.151)."),
    )
    place_name = models.CharField(
        _("địa danh"), max_length=100, help_text=_("Dùng ở dòng địa danh, ngày tháng, ví dụ Bắc Kạn.")
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")

    def __str__(self):
        return self.name


class Unit(models.Model):
    class Kind(models.TextChoices):
        LEADERSHIP = "leadership", _("Ban lãnh đạo")
        OFFICE = "office", _("Văn phòng")
        DIVISION = "division", _("Phòng chuyên môn")
        INSPECTORATE = "inspectorate", _("Thanh tra")
        SUBORDINATE = "subordinate", _("Đơn vị trực thuộc")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="units", verbose_name=_("cơ quan"))
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
        verbose_name=_("đơn vị cấp trên"),
    )
    name = models.CharField(_("tên đơn vị"), max_length=255)
    abbreviation = models.CharField(_("ký hiệu"), max_length=20, help_text=_("Ví dụ VP, KHTC."))
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=Kind.choices, default=Kind.DIVISION)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "abbreviation"], name="unit_abbreviation_unique"),
        ]

    def __str__(self):
        return self.name


class Position(models.Model):
    """A job title; its role gives the default permissions of the people holding it."""

    name = models.CharField(_("chức vụ"), max_length=100, unique=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    rank = models.PositiveSmallIntegerField(
        _("cấp bậc"), default=50, help_text=_("Số nhỏ hơn là cấp cao hơn (Giám đốc = 10).")
    )
    is_deputy = models.BooleanField(_("cấp phó"), default=False)

    class Meta:
        verbose_name = _("chức vụ")
        verbose_name_plural = _("chức vụ")
        ordering = ["rank", "name"]

    def __str__(self):
        return self.name


class PersonManager(UserManager):
    def get_queryset(self):
        return super().get_queryset().select_related("unit", "position")


class Person(AbstractUser):
    """A user of the system: a leader, officer, clerk or administrator of the agency."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("đơn vị")
    )
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, null=True, blank=True, related_name="people",
        verbose_name=_("chức vụ"),
    )
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    # Whether the person has a confirmed second factor (authenticator or recovery codes): a copy kept by
    # accounts.signals whenever a device is saved or deleted, so that the two-factor check of every
    # request reads the person's row, already loaded, instead of two device tables.
    has_second_factor = models.BooleanField(_("có xác thực hai lớp"), default=False, editable=False)

    objects = PersonManager()
    REQUIRED_FIELDS = ["email", "full_name"]

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["full_name"]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or self.username

    def get_short_name(self):
        return self.full_name.split()[-1] if self.full_name else self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        """The person's roles: their position's plus any granted separately (not asked of the database
        when the signed-in person's own query found none: `accounts.backends`)."""
        granted = self.role_grants.all() if getattr(self, "has_role_grants", True) else ()
        roles = {grant.role for grant in granted}
        if self.position_id:
            roles.add(self.position.role)
        if self.is_superuser:
            roles.add(Role.ADMIN)
        return frozenset(roles)

    def has_perm(self, perm, obj=None):
        # The system administrator role carries every model permission in the admin.
        return (self.is_active and Role.ADMIN in self.roles) or super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        return (self.is_active and Role.ADMIN in self.roles) or super().has_module_perms(app_label)

    def has_role(self, *roles) -> bool:
        # The position's role answers without reading the separate grants (a query) when it is one of them.
        if "roles" not in self.__dict__ and self.position_id and self.position.role in roles:
            return True
        return bool(self.roles.intersection(roles))

    @property
    def named(self) -> str:
        """Position and name, as a message names the person ("Trưởng phòng Phan Văn Đức")."""
        return f"{self.position} {self}" if self.position_id else str(self)

    @property
    def title(self) -> str:
        """Position and unit, as shown next to a name ("Trưởng phòng KHTC")."""
        parts = [str(self.position) if self.position_id else "", self.unit.abbreviation if self.unit_id else ""]
        return " ".join(p for p in parts if p)


class RoleGrant(models.Model):
    """A role held besides the one the position gives (e.g. a clerk who is also the administrator)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("vai trò bổ sung")
        verbose_name_plural = _("vai trò bổ sung")
        constraints = [models.UniqueConstraint(fields=["person", "role"], name="role_grant_unique")]

    def __str__(self):
        return f"{self.person} – {self.get_role_display()}"


class Field(models.Model):
    """An area of work (lĩnh vực), led by a Deputy Director, covering some units."""

    name = models.CharField(_("lĩnh vực"), max_length=255, unique=True)
    code = models.CharField(_("mã"), max_length=30, unique=True)
    leader = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="fields_led",
        verbose_name=_("lãnh đạo phụ trách"),
    )
    units = models.ManyToManyField(Unit, blank=True, related_name="fields", verbose_name=_("đơn vị thực hiện"))

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self):
        return self.name


class DelegationQuerySet(models.QuerySet):
    def active(self, at=None):
        from django.utils import timezone

        at = at or timezone.now()
        return self.filter(starts_at__lte=at, ends_at__gt=at, revoked_at__isnull=True)


class Delegation(models.Model):
    """Ủy quyền: the delegate acts with the delegator's authority for a period, optionally for some
    fields only. It ends by itself at `ends_at`; every action taken under it is recorded "on behalf of"."""

    delegator = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="delegations_given",
                                  verbose_name=_("người ủy quyền"))
    delegate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="delegations_received",
                                 verbose_name=_("người được ủy quyền"))
    starts_at = models.DateTimeField(_("từ"))
    ends_at = models.DateTimeField(_("đến"))
    fields = models.ManyToManyField(Field, blank=True, verbose_name=_("lĩnh vực"),
                                    help_text=_("Để trống: ủy quyền mọi lĩnh vực."))
    note = models.CharField(_("nội dung"), max_length=500, blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("ủy quyền")
        verbose_name_plural = _("ủy quyền")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["delegate", "ends_at"], name="delegation_delegate_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="delegation_period_valid"),
            models.CheckConstraint(condition=~models.Q(delegator=models.F("delegate")),
                                   name="delegation_not_to_self"),
        ]

    def __str__(self):
        return f"{self.delegator} → {self.delegate}"


class RightsChange(models.Model):
    """A change to a person's access rights (F-3.c): their roles, unit, position or the confidential
    registers they keep, as rights before and after (see `rights.snapshot`). It stays flagged until an
    administrator other than the person confirms it."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="rights_changes",
                               verbose_name=_("cán bộ"))
    before = models.JSONField(_("trước"), default=dict)
    after = models.JSONField(_("sau"), default=dict)
    changed_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name=_("người thay đổi"))
    origin = models.CharField(_("thực hiện qua"), max_length=255, blank=True)
    changed_at = models.DateTimeField(_("thời điểm thay đổi"), auto_now_add=True)
    confirmed_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name=_("người xác nhận"))
    confirmed_at = models.DateTimeField(_("thời điểm xác nhận"), null=True, blank=True)

    class Meta:
        verbose_name = _("thay đổi quyền")
        verbose_name_plural = _("thay đổi quyền")
        ordering = ["-changed_at", "-id"]
        indexes = [models.Index(fields=["confirmed_at", "-changed_at"], name="rights_change_pending_idx")]

    def __str__(self):
        return f"{self.person} {self.changed_at:%d/%m/%Y %H:%M}"

    @property
    def is_new_account(self) -> bool:
        return not self.before.get("exists", True)

    def differences(self) -> list[tuple[str, str, str]]:
        """(what, before, after) for each part that changed, in words."""
        from .rights import describe

        return describe(self.before, self.after)
