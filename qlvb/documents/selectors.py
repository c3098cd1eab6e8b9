"""Read queries for the register books: their registers, their rows, their closings.

Every row starts from the viewer's visible set (`access.visible_incoming`, `visible_outgoing`): a book
never lists a document its viewer could not open. A register the viewer may not read is 404
(`access.get_register_for`).
"""

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from qlvb import access

from . import book_cells
from .books import Book, Period
from .models import ClosedBook, Register


@dataclass
class Row:
    document_id: int
    day: date  # the arrival or issue day, which puts the row in a period
    url: str
    cells: list
    fingerprint: str  # of the registered columns, compared with the closed book's
    flag: str = ""  # "late": registered after its period was closed; "changed": corrected after it
    closing: ClosedBook | None = field(default=None, repr=False)


def registers(person, book: Book):
    """The registers whose book the person may read, newest year first."""
    return (access.visible_registers(person).filter(kind__in=book.kinds, is_active=True)
            .order_by("-year", "kind", "is_confidential", "code"))


def _bounds(period: Period):
    """The period as aware datetimes, local days [start, end + 1): the arrival index is used as is."""
    zone = timezone.get_current_timezone()
    return (datetime.combine(period.start, time.min, zone),
            datetime.combine(period.end + timedelta(days=1), time.min, zone))


def documents(person, book: Book, register: Register, period: Period):
    """The documents of the book, from the viewer's visible set, in the order of the register."""
    if book.key == "outgoing":
        return (access.visible_outgoing(person).filter(register=register, issued_on__gte=period.start,
                                                        issued_on__lte=period.end)
                .select_related("document_type", "drafting_unit", "draft__record__owner")
                .prefetch_related("recipients__unit", "recipients__person", "recipients__agency")
                .order_by("number"))
    start, end = _bounds(period)
    return (access.visible_incoming(person).filter(register=register, arrived_at__gte=start, arrived_at__lt=end)
            .select_related("document_type").order_by("arrival_number"))


def hidden_count(person, book: Book, register: Register, period: Period) -> int:
    """How many documents of the register's period the viewer may not open: counted, never named; a
    book with some cannot be closed by this viewer (it would be incomplete)."""
    from qlvb.incoming.models import IncomingDocument
    from qlvb.outgoing.models import OutgoingDocument

    if book.key == "outgoing":
        every = OutgoingDocument.objects.filter(register=register, issued_on__gte=period.start,
                                                issued_on__lte=period.end)
    else:
        start, end = _bounds(period)
        every = IncomingDocument.objects.filter(register=register, arrived_at__gte=start, arrived_at__lt=end)
    return every.count() - documents(person, book, register, period).count()


def book_rows(person, book: Book, register: Register, period: Period, *, page=None) -> list[Row]:
    """The rows of the book for the period (or of one page of `documents(...)`), each flagged when it
    was registered or corrected after its period was closed."""
    items = list(page if page is not None else documents(person, book, register, period))
    builder = {"incoming": _incoming_rows, "outgoing": _outgoing_rows, "followup": _followup_rows}[book.key]
    rows = builder(person, items)
    _flag(rows, closings(register, book))
    return rows


def _fingerprint(book: Book, cells: list) -> str:
    registered = [cell for column, cell in zip(book.columns, cells, strict=True) if column.registered]
    return hashlib.sha256(json.dumps(registered, ensure_ascii=False).encode()).hexdigest()


def _row(book: Book, document, url_name: str, cells: list) -> Row:
    day = document.issued_on if book.key == "outgoing" else timezone.localdate(document.arrived_at)
    return Row(document.pk, day, reverse(url_name, args=[document.pk]), cells, _fingerprint(book, cells))


def _distribution(person, documents_) -> dict:
    """For each document, the live items of the clerk's transfer and the leader's first distribution
    (the tree's first two levels), from the documents the viewer may open."""
    from qlvb.assignments.models import Assignment

    dead = [Assignment.State.RETURNED, Assignment.State.RECALLED]
    items = (access.visible_assignments(person).filter(document__in=[d.pk for d in documents_])
             .filter(Q(parent=None) | Q(parent__parent=None)).exclude(state__in=dead)
             .select_related("receiver__position", "receiver__unit", "receiver_unit").order_by("created_at", "pk"))
    found = {}
    for item in items:
        found.setdefault(item.document_id, []).append(item)
    return found


def _incoming_rows(person, items) -> list[Row]:
    from .books import BOOKS

    given = _distribution(person, items)
    return [_row(BOOKS["incoming"], d, "incoming:detail", book_cells.incoming(d, given.get(d.pk, [])))
            for d in items]


def _followup_rows(person, items) -> list[Row]:
    from .books import BOOKS

    given = _distribution(person, items)
    replies = {}
    answers = (access.visible_outgoing(person).filter(replies_to__in=[d.pk for d in items])
               .values_list("replies_to", "notation").order_by("issued_on", "number"))
    for document_id, notation in answers:
        replies.setdefault(document_id, []).append(notation)
    today = timezone.localdate()
    return [_row(BOOKS["followup"], d, "incoming:detail",
                 book_cells.followup(d, given.get(d.pk, []), replies.get(d.pk, []), today)) for d in items]


def _outgoing_rows(person, items) -> list[Row]:
    from .books import BOOKS

    replaced = {o.pk: o.notation for o in access.visible_outgoing(person).filter(
        pk__in=[d.replaces_id for d in items if d.replaces_id])}
    return [_row(BOOKS["outgoing"], d, "outgoing:detail", book_cells.outgoing(d, replaced.get(d.replaces_id)))
            for d in items]


def closings(register: Register, book: Book) -> list[ClosedBook]:
    """The register's closed periods of this book (a yearly register has a few)."""
    return list(ClosedBook.objects.filter(register=register, book=book.key)
                .select_related("closed_by", "blob").order_by("start", "end"))


def closing_of(register: Register, book: Book, period: Period) -> ClosedBook | None:
    return ClosedBook.objects.filter(register=register, book=book.key, start=period.start, end=period.end) \
        .select_related("closed_by", "blob").first()


def _flag(rows: list[Row], closed: list[ClosedBook]) -> None:
    """A row whose document falls in a closed period: "late" if the closed book did not list it,
    "changed" if its registered columns differ from what was printed."""
    for row in rows:
        for closing in closed:
            key = str(row.document_id)
            if key not in closing.rows:
                if closing.start <= row.day <= closing.end:
                    row.flag, row.closing = "late", closing
            elif closing.rows[key] != row.fingerprint:
                row.flag, row.closing = "changed", closing


def may_open_closed(person, closing: ClosedBook) -> bool:
    """The stored PDF of a closed book is shown only to a viewer who may open every document it lists
    (the register's keepers in practice): it was printed from the closer's visible set."""
    ids = [int(pk) for pk in closing.rows]
    book_key = closing.book
    if not ids:
        return True
    if book_key == "outgoing":
        seen = access.visible_outgoing(person).filter(pk__in=ids).count()
    else:
        seen = access.visible_incoming(person).filter(pk__in=ids).count()
    return seen == len(ids)


def upcoming_number(register) -> int | None:
    """The number the register gives next (số đến for an incoming register), read without taking or locking
    the counter: another clerk registering first takes it, so pages say it may change. None for a register
    no longer used (another year's, or inactive)."""
    if not register.is_active or register.year != timezone.localdate().year:
        return None
    return register.last_number + 1
