"""The archive's search (F-6.c, F-6.d): archived records by their metadata and by the content of their
documents. Everything starts from the viewer's catalogue (`access.visible_archived_records`); the content
is searched only in the records the viewer may read, and only through the documents they read there
(`access.archived_documents_rule`), so a match never reveals what a record holds to someone who may not
read it. The words go through the full-text index (`documents.fulltext`), the one module that knows it."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from qlvb import access
from qlvb.core.dates import parse_date
from qlvb.core.text import clean, terms

MAX_TEXT = 200


@dataclass(frozen=True)
class Criteria:
    q: str = ""           # words of the title or the code (số và ký hiệu hồ sơ)
    content: str = ""     # words in the documents of the record (their metadata and files' text)
    year: int | None = None
    unit: int | None = None
    retention: str = ""   # "permanent", or a number of years
    date_from: date | None = None
    date_to: date | None = None

    @property
    def empty(self) -> bool:
        return self == Criteria()


def _int(value) -> int | None:
    value = str(value or "").strip()
    return int(value) if value.isdigit() and len(value) <= 9 else None


def parse(data) -> Criteria:
    """The criteria from a query string (or a dict); a value that cannot be read is ignored, as in every
    filter of the product."""
    retention = str(data.get("retention") or "").strip()
    return Criteria(q=clean(str(data.get("q") or ""))[:MAX_TEXT].strip(),
                    content=clean(str(data.get("content") or ""))[:MAX_TEXT].strip(),
                    year=_int(data.get("year")), unit=_int(data.get("unit")),
                    retention=retention if retention == "permanent" or _int(retention) else "",
                    date_from=parse_date(data.get("date_from")), date_to=parse_date(data.get("date_to")))


def content_matches(person, query: str) -> Q:
    """Records the person may read whose own entry, or one of whose documents they read there, matches."""
    from qlvb.documents import fulltext
    from qlvb.records.models import RecordDocument

    kind = fulltext.Kind
    readable = access.readable_archived_records(person).values("pk")
    documents = RecordDocument.objects.filter(access.archived_documents_rule(person), record__in=readable).filter(
        Q(incoming__in=fulltext.matching_ids(kind.INCOMING, query))
        | Q(outgoing__in=fulltext.matching_ids(kind.OUTGOING, query))
        | Q(version__draft__in=fulltext.matching_ids(kind.DRAFT, query)))
    return Q(pk__in=documents.values("record_id")) | (Q(pk__in=readable)
                                                       & Q(pk__in=fulltext.matching_ids(kind.RECORD, query)))


def results(person, criteria: Criteria):
    """The archived records of the person's catalogue matching every criterion, newest year first."""
    qs = access.visible_archived_records(person).select_related("owner", "unit")
    for word in terms(criteria.q):
        qs = qs.filter(Q(search_text__contains=word) | Q(code__icontains=word))
    if criteria.year:
        qs = qs.filter(year=criteria.year)
    if criteria.unit:
        qs = qs.filter(unit_id=criteria.unit)
    if criteria.retention == "permanent":
        qs = qs.filter(retention_permanent=True)
    elif criteria.retention:
        qs = qs.filter(retention_permanent=False, retention_years=int(criteria.retention))
    if criteria.date_from:  # the record's time span meets the period
        qs = qs.filter(end_date__gte=criteria.date_from)
    if criteria.date_to:
        qs = qs.filter(start_date__lte=criteria.date_to)
    if criteria.content:
        qs = qs.filter(content_matches(person, criteria.content))
    return qs.order_by("-year", "code", "pk")


def organ_id() -> str:
    """The agency's identifier, read once per request."""
    from qlvb.core.request_memo import remembered
    from qlvb.organization.models import Agency

    return remembered(("archive.organ_id",),
                      lambda: Agency.objects.values_list("identifier", flat=True).first() or "")


def file_code(record) -> str:
    """`WorkRecord.file_code` (OrganId.year.code) without a query per record, for lists."""
    if not record.code:
        return ""
    return ".".join(str(part) for part in (organ_id(), record.year, record.code) if part)


def readable_ids(person, records) -> set[int]:
    """Which of the listed records the person may read (the rest show "Đề nghị khai thác")."""
    return set(access.readable_archived_records(person).filter(pk__in=[r.pk for r in records])
               .values_list("pk", flat=True))


def rows(person, record):
    """The index rows of an archived record the person reads (their page ranges those of the whole
    record), in date order, and how many rows are left out. A withdrawn incoming document keeps its row
    but not its files for those who may not read them (`access.incoming_files_hidden`)."""
    from qlvb.records import index

    shown = set(record.documents.filter(access.archived_documents_rule(person)).values_list("pk", flat=True))
    every = index.rows(record.documents.all())
    kept = [row for row in every if row.entry.pk in shown]
    for row in kept:
        if row.entry.incoming_id and access.incoming_files_hidden(person, row.entry.incoming):
            row.files = []
    kept.sort(key=lambda row: (row.day or date.max, row.ordinal, row.entry.pk))
    return kept, len(every) - len(kept)
