"""The cells of one row of each register book, as the clerk would write them in the paper book
(Decree 30, Annex IV). Plain text; a cell with several lines (one per receiver) joins them with "\\n",
so that the receiver, the day it was passed on and its receipt stay on the same line across columns."""

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Confidentiality, Urgency


def day(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localdate(value)
    return value.strftime("%d/%m/%Y")


def _lines(values) -> str:
    return "\n".join(values)


def _receiver(item, *, first_level: bool) -> str:
    """"Phòng KHTC", or "Phan Văn Đức – Trưởng phòng QLVT (xử lý chính)" for the leader's distribution."""
    who = item.receiver_unit.name if item.to_unit and item.receiver_unit_id else (
        f"{item.receiver} – {item.receiver.title}" if item.receiver.title else str(item.receiver))
    return f"{who} ({item.get_role_display().lower()})" if first_level else who


def _distribution_cells(items) -> tuple[str, str, str]:
    """Receivers, the days they were given the document, and their receipt in the system (the paper
    book's signature: the day the receiver opened it)."""
    receivers = [_receiver(i, first_level=i.parent_id is not None) for i in items]
    days = [day(i.created_at) for i in items]
    receipts = [_("Đã nhận %(day)s") % {"day": day(i.seen_at)} if i.seen_at else "" for i in items]
    return _lines(receivers), _lines(days), _lines(receipts)


def _marks(document) -> list[str]:
    marks = []
    if document.confidentiality != Confidentiality.NORMAL:
        marks.append(document.get_confidentiality_display())
    if document.urgency != Urgency.NORMAL:
        marks.append(document.get_urgency_display())
    return marks


def _incoming_note(document) -> str:
    notes = _marks(document)
    if document.medium == "paper":
        notes.append(_("Bản giấy"))
    if document.status == "cancelled":
        notes.append(_("Đã hủy đăng ký: %(reason)s") % {"reason": document.cancel_reason}
                     if document.cancel_reason else _("Đã hủy đăng ký"))
    if document.notes:
        notes.append(document.notes)
    return "; ".join(notes)


def _type_and_summary(document) -> str:
    return f"{document.document_type.name}\n{document.summary}"


def incoming(document, items) -> list[str]:
    """Annex IV, Sổ đăng ký văn bản đến: Ngày đến · Số đến · Tác giả · Số, ký hiệu · Ngày tháng văn bản ·
    Tên loại và trích yếu · Đơn vị hoặc người nhận · Ngày chuyển · Ký nhận · Ghi chú."""
    receivers, days, receipts = _distribution_cells(items)
    return [day(document.arrived_at), str(document.arrival_number), document.issuer_name, document.notation,
            day(document.issued_on), _type_and_summary(document), receivers, days, receipts,
            _incoming_note(document)]


def _progress(document, today) -> str:
    if document.status == "done":
        return _("Đã giải quyết xong ngày %(day)s") % {"day": day(document.completed_at)}
    if document.status == "cancelled":
        return _("Đã hủy đăng ký")
    if document.deadline and document.deadline < today:
        return _("%(status)s – quá hạn") % {"status": document.get_status_display()}
    return document.get_status_display()


def followup(document, items, replies, today) -> list[str]:
    """Annex IV, Sổ theo dõi giải quyết văn bản đến: Số đến · Tên loại, số, ký hiệu, ngày, cơ quan ban
    hành · Đơn vị hoặc người nhận · Thời hạn giải quyết · Tiến độ giải quyết · Số, ký hiệu văn bản trả
    lời · Ghi chú. The receivers are the leader's distribution (or the clerk's transfer before it)."""
    handlers = [i for i in items if i.parent_id is not None] or items
    what = _("%(type)s số %(notation)s ngày %(day)s của %(issuer)s\n%(summary)s") % {
        "type": document.document_type.name, "notation": document.notation, "day": day(document.issued_on),
        "issuer": document.issuer_name, "summary": document.summary}
    return [str(document.arrival_number), what, _distribution_cells(handlers)[0], day(document.deadline),
            _progress(document, today), _lines(replies), "; ".join(_marks(document))]


def _kept_by(document) -> str:
    """Where the copies for the files go: the drafting unit and the drafter (Art 19: the original at
    the clerks', a copy in the handler's record)."""
    owner = document.draft.record.owner if document.draft_id else None
    return f"{document.drafting_unit.name}\n{owner}" if owner else document.drafting_unit.name


def _outgoing_note(document, replaced_notation) -> str:
    notes = _marks(document)
    if document.sending == "paper_electronic":
        notes.append(_("Gửi bản giấy và điện tử"))
    if document.correction:
        notes.append(f"{document.get_correction_display()} {replaced_notation}" if replaced_notation
                     else document.get_correction_display())
    return "; ".join(notes)


def outgoing(document, replaced_notation=None) -> list[str]:
    """Annex IV, Sổ đăng ký văn bản đi: Số, ký hiệu · Ngày tháng văn bản · Tên loại và trích yếu · Người
    ký · Nơi nhận · Đơn vị, người nhận bản lưu · Số lượng bản · Ngày chuyển · Ký nhận · Ghi chú.
    Số lượng bản counts the recipients until the issued amount is recorded (issue 10, item 9)."""
    recipients = list(document.recipients.all())  # prefetched with the document, which the viewer may open
    return [document.notation, day(document.issued_on), _type_and_summary(document), document.signer_name,
            _lines(str(r) for r in recipients), _kept_by(document), str(len(recipients)),
            day(document.issued_at), "", _outgoing_note(document, replaced_notation)]
