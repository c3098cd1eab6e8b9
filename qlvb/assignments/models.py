"""The processing tree (luồng xử lý): who sent a document to whom, in which role, and what happened."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def overdue_q(today, prefix: str = "") -> models.Q:
    """Overdue: the item's own deadline has passed, or its document's while the document is not done.
    A later deadline given to a sub-assignment never hides a document whose own deadline has passed."""
    return (models.Q(**{f"{prefix}deadline__lt": today})
            | (models.Q(**{f"{prefix}document__deadline__lt": today})
               & ~models.Q(**{f"{prefix}document__status": "done"})))


def due_soon_q(today, soon, prefix: str = "") -> models.Q:
    """Due within a working day by the item's or the open document's deadline, and not overdue."""
    return ((models.Q(**{f"{prefix}deadline__range": (today, soon)})
             | (models.Q(**{f"{prefix}document__deadline__range": (today, soon)})
                & ~models.Q(**{f"{prefix}document__status": "done"})))
            & ~overdue_q(today, prefix))


def governing_deadline(item):
    """The deadline that decides whether the item is late: the earlier of its own and its document's
    (the document's only while the document is not done)."""
    document = item.document
    dates = [d for d in (item.deadline, None if document.status == "done" else document.deadline) if d]
    return min(dates) if dates else None


class AssignmentQuerySet(models.QuerySet):
    def overdue(self, today):
        return self.filter(overdue_q(today))

    def following(self):
        """Items whose work a main handler below holds now: the receiver follows them up (đang theo dõi)."""
        return self.filter(main_below())

    def held(self):
        """Without items whose work a main handler below still holds: lists and counts over a unit
        or the agency show each piece of work once, with the person who has it now (the head who
        forwarded it to an officer still finds it in their own inbox)."""
        return self.exclude(main_below())


class Assignment(models.Model):
    """One hop of a document down the hierarchy: sender → receiver, with a role and a deadline.

    `box` is the inbox list the item sits in for its receiver, kept in step with `state` and `role`
    so that each inbox page is one index range scan.
    """

    class Role(models.TextChoices):
        MAIN = "main", _("Xử lý chính")
        CO = "co", _("Phối hợp")
        INFO = "info", _("Để biết")

    class State(models.TextChoices):
        NEW = "new", _("Mới")
        SEEN = "seen", _("Đã xem")
        IN_PROGRESS = "in_progress", _("Đang xử lý")
        PENDING = "pending", _("Đang chờ")
        DONE = "done", _("Hoàn thành")
        RETURNED = "returned", _("Đã trả lại")
        RECALLED = "recalled", _("Đã thu hồi")

    class Box(models.TextChoices):
        TODO = "todo", _("Cần xử lý")
        INFO = "info", _("Để biết")
        DONE = "done", _("Đã xử lý")
        CLOSED = "closed", _("Đã đóng")

    # Indexed with parent below: "this document's root" must not be planned on parent IS NULL,
    # which matches every root of the archive.
    document = models.ForeignKey("incoming.IncomingDocument", on_delete=models.CASCADE, db_index=False,
                                 related_name="assignments", verbose_name=_("văn bản"))
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("người chuyển"))
    on_behalf_of = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+", verbose_name=_("thay mặt"))
    receiver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments",
                                 verbose_name=_("người nhận"))
    receiver_unit = models.ForeignKey("organization.Unit", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="assignments", verbose_name=_("đơn vị nhận"))
    to_unit = models.BooleanField(_("chuyển cho cả đơn vị"), default=False)
    role = models.CharField(_("vai trò"), max_length=4, choices=Role.choices)
    instruction = models.TextField(_("ý kiến chỉ đạo"), blank=True)
    deadline = models.DateField(_("hạn xử lý"), null=True, blank=True)
    state = models.CharField(_("trạng thái"), max_length=12, choices=State.choices, default=State.NEW)
    box = models.CharField(max_length=6, choices=Box.choices, default=Box.TODO)
    created_at = models.DateTimeField(_("thời điểm chuyển"), auto_now_add=True)
    seen_at = models.DateTimeField(_("thời điểm xem"), null=True, blank=True)
    done_at = models.DateTimeField(_("thời điểm hoàn thành"), null=True, blank=True)
    # The local date of done_at, kept so that on-time counts compare two dates (no per-row time-zone
    # conversion: SQLite would run it in Python for every row of a yearly report).
    done_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True, editable=False)
    result = models.TextField(_("kết quả xử lý"), blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("chuyển xử lý")
        verbose_name_plural = _("chuyển xử lý")
        indexes = [
            models.Index(fields=["document", "parent"], name="assignment_tree_idx"),
            models.Index(fields=["role", "deadline"], name="assignment_due_idx"),  # reports by period
            models.Index(fields=["receiver", "box", "-created_at"], name="assignment_inbox_idx"),
            models.Index(fields=["receiver", "box", "deadline"], name="assignment_deadline_idx"),
            models.Index(fields=["receiver_unit", "box", "deadline"], name="assignment_unit_idx"),
            models.Index(fields=["receiver_unit", "box", "-created_at"], name="assignment_unit_recent_idx"),
        ]
        constraints = [
            # At most one live main handler among the children of one node (one per level).
            models.UniqueConstraint(
                fields=["document", "parent"],
                condition=models.Q(role="main") & ~models.Q(state__in=["returned", "recalled"]),
                name="one_main_handler_per_level",
            ),
        ]

    def __str__(self):
        return f"{self.document} → {self.receiver}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


def main_below() -> models.Exists:
    """An open main handler below the item: its work is with them now."""
    return models.Exists(Assignment.objects.filter(parent=models.OuterRef("pk"), role=Assignment.Role.MAIN,
                                                   state__in=OPEN_STATES))


OPEN_STATES = {Assignment.State.NEW, Assignment.State.SEEN, Assignment.State.IN_PROGRESS, Assignment.State.PENDING}


class Event(models.Model):
    """A line in the history of an assignment: seen, pending with its note, forwarded, done, urged…"""

    class Kind(models.TextChoices):
        CREATED = "created", _("Chuyển đến")
        SEEN = "seen", _("Đã xem")
        FORWARDED = "forwarded", _("Chuyển xử lý")
        PENDING = "pending", _("Chuyển sang chờ")
        UPDATE = "update", _("Cập nhật tiến độ")
        DONE = "done", _("Hoàn thành")
        RETURNED = "returned", _("Trả lại")
        RECALLED = "recalled", _("Thu hồi")
        URGED = "urged", _("Đôn đốc")
        EXTENDED = "extended", _("Gia hạn xử lý")
        CLOSED = "closed", _("Đóng việc còn mở")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    on_behalf_of = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    note = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("diễn biến xử lý")
        verbose_name_plural = _("diễn biến xử lý")

    def __str__(self):
        return f"{self.get_kind_display()} – {self.actor}"
