"""The closing checklist of a work record (Decree 30 Art 30: remove duplicates and drafts, re-check the
retention, fix title and code; electronic records: fill in the missing fields, the system does the index).

Each check says whether it passes and, when it blocks closing, the Vietnamese message naming the field."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import Draft, RecordDocument


@dataclass
class Check:
    key: str
    label: str
    ok: bool
    detail: str = ""
    problem: str = ""  # why it blocks closing (blocking when set and not ok)
    items: list = field(default_factory=list)

    @property
    def blocking(self) -> bool:
        return not self.ok and bool(self.problem)


def duplicates(record) -> list[RecordDocument]:
    """Documents whose files all repeat those of a document filed before them (the same content filed twice,
    e.g. an uploaded copy of an incoming document): left out of the record when it closes."""
    from . import index

    seen, repeated = set(), []
    for row in index.rows(record.documents.all()):
        hashes = {blob.sha256 for _name, blob in row.files}
        if hashes and hashes <= seen:
            repeated.append(row.entry)
        seen |= hashes
    return repeated


def checklist(record, *, note: str = "", viewer=None) -> list[Check]:
    """The checks; with `viewer`, the drafts and documents listed by name are only those the viewer may
    open (the counts and the verdicts still cover the whole record)."""
    filed_drafts = set(record.documents.filter(kind=RecordDocument.Kind.DRAFT).values_list("version__draft_id",
                                                                                           flat=True))
    not_kept = [d for d in record.drafts.exclude(state=Draft.State.ISSUED).select_related("document_type")
                if d.pk not in filed_drafts]
    in_chain = [d for d in not_kept if d.state in (Draft.State.AT_HEAD, Draft.State.AT_LEADER, Draft.State.APPROVED)]
    unfinished_incoming = list(record.incoming.exclude(status__in=["done", "cancelled"]))
    repeated = duplicates(record)
    named_drafts, named_incoming = not_kept, unfinished_incoming
    if viewer is not None:
        from qlvb import access

        drafts_seen = set(access.visible_drafts(viewer).filter(record=record).values_list("pk", flat=True))
        incoming_seen = set(access.visible_incoming(viewer).filter(records=record).values_list("pk", flat=True))
        named_drafts = [d for d in not_kept if d.pk in drafts_seen]
        named_incoming = [d for d in unfinished_incoming if d.pk in incoming_seen]
    count = record.documents.count()
    checks = [
        Check("title", _("Tiêu đề hồ sơ"), bool(record.title.strip()), record.title,
              _("Tiêu đề hồ sơ: nhập tiêu đề.")),
        Check("code", _("Số và ký hiệu hồ sơ"), bool(record.code), record.code or _("chưa có"),
              _("Số và ký hiệu hồ sơ: nhập số và ký hiệu (ví dụ 01.TCCB) trước khi đóng.")),
        Check("retention", _("Thời hạn bảo quản (kiểm tra lại)"), record.has_retention,
              record.retention or _("chưa có"),
              _("Thời hạn bảo quản: nhập “Vĩnh viễn” hoặc số năm trước khi đóng.")),
        Check("metadata", _("Thông tin hồ sơ (ngôn ngữ, thời gian bắt đầu, chế độ sử dụng)"),
              bool(record.language and record.start_date and record.rights),
              ", ".join(filter(None, [record.language, record.get_rights_display(),
                                      record.start_date.strftime("%d/%m/%Y") if record.start_date else ""])),
              _("Thông tin hồ sơ: nhập ngôn ngữ và thời gian bắt đầu.")),
        Check("documents", _("Văn bản trong hồ sơ"), count > 0,
              _("%(n)d văn bản") % {"n": count} if count else _("Hồ sơ chưa có văn bản nào.")),
        Check("drafts", _("Dự thảo không lưu làm bản thảo (không đưa vào hồ sơ khi đóng)"), not not_kept,
              _("%(n)d dự thảo") % {"n": len(not_kept)} if not_kept else _("Không có"),
              items=[f"{d.document_type}: {d.summary}" for d in named_drafts]),
        Check("duplicates", _("Văn bản trùng (loại khỏi hồ sơ khi đóng)"), not repeated,
              _("%(n)d văn bản") % {"n": len(repeated)} if repeated else _("Không có"),
              items=[str(e.ordinal) for e in repeated]),
        Check("unfinished", _("Công việc còn dở (văn bản đến chưa xử lý xong, dự thảo đang trình)"),
              not (in_chain or unfinished_incoming) or bool(note),
              _("Có ghi chú khi đóng") if note else "",
              _("Ghi chú khi đóng: hồ sơ còn văn bản đang xử lý hoặc dự thảo đang trình, nhập ghi chú."),
              items=[d.notation for d in named_incoming] + [d.summary for d in in_chain if d in named_drafts]),
    ]
    return checks
