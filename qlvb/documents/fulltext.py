"""Full-text search (issue 12): incoming and outgoing documents, drafts and work records, over their
metadata and the text of their files, diacritic-insensitive (đ → d), ranked, with highlighted snippets.

The one module that knows how the words are indexed, so that an external engine can take its place for a
province-wide installation: `reindex` / `reindex_blob` write the index, `search` and `matching_ids`
read it. The index is the database's own: `FullTextEntry` rows (the text as written and folded) with
SQLite's FTS5 table `fulltext_index` or PostgreSQL's `search_vector` (configuration `qlvb_folded`,
GIN index; migration documents/0008).

Every search starts from the viewer's visible sets (`access.visible_incoming`, `visible_outgoing`,
`visible_drafts`, `visible_records`): an entry is counted, ranked or shown only when its viewer may open
the item. What an entry holds follows what a viewer of the item sees: a withdrawn incoming document's
files are hidden from most readers, so their text is left out of its entry; a work record's entry holds
the record's own fields, never its drafts' (each draft has its own entry, filtered by `visible_drafts`).
"""

import dataclasses
import functools
import html
import re

from django.conf import settings
from django.db import connections
from django.db.models import BooleanField, FloatField, Q
from django.db.models.expressions import Expression, RawSQL, Value
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from qlvb import access
from qlvb.core.text import clean, fold

from .models import FullTextEntry

Kind = FullTextEntry.Kind
MAX_CHARS = 200_000  # of an entry's text: PostgreSQL's tsvector holds at most 1 MB
MAX_TERMS = 8
_WORD = re.compile(r"[^\W_]+")


# ---- what an entry holds ---------------------------------------------------------------------------------

def _file_texts(blob_ids) -> list[str]:
    from qlvb.files.models import FileText

    ids = [i for i in blob_ids if i]
    if not ids:
        return []
    texts = dict(FileText.objects.filter(pk__in=ids, state=FileText.State.DONE).values_list("pk", "text"))
    return [texts[i] for i in ids if texts.get(i)]


def _incoming(pk):
    from qlvb.incoming.models import IncomingDocument

    d = IncomingDocument.objects.select_related("document_type", "field").filter(pk=pk).first()
    if d is None:
        return None
    meta = [f"{d.document_type.name} {d.notation}", d.summary, d.issuer_name, d.issuer_code, d.signer,
            f"Số đến {d.arrival_number}", d.field.name if d.field else "", d.notes, d.document_identifier]
    files = [] if d.is_withdrawn else _file_texts(d.attachments.values_list("blob_id", flat=True))
    return f"{d.notation} – {d.summary}", meta, files


def _outgoing(pk):
    from qlvb.outgoing.models import OutgoingDocument

    d = OutgoingDocument.objects.select_related("document_type").filter(pk=pk).first()
    if d is None:
        return None
    meta = [f"{d.document_type.name} {d.notation}", d.summary, d.agency_name, d.parent_agency_name,
            d.signing_authority, d.signer_title, d.signer_name, d.notes, d.body]
    return f"{d.notation} – {d.summary}", meta, _file_texts([d.blob_id])


def _draft(pk):
    from qlvb.records.models import Draft

    d = Draft.objects.select_related("document_type", "record").filter(pk=pk).first()
    if d is None:
        return None
    latest = d.latest
    meta = [d.document_type.name, d.summary, d.record.title, latest.body if latest else ""]
    return d.summary, meta, _file_texts([latest.blob_id] if latest else [])


def _record(pk):
    from qlvb.records.models import WorkRecord

    r = WorkRecord.objects.select_related("field").filter(pk=pk).first()
    if r is None:
        return None
    return r.title, [r.title, r.field.name if r.field else "", r.notes, r.closing_note], []


BUILDERS = {Kind.INCOMING: _incoming, Kind.OUTGOING: _outgoing, Kind.DRAFT: _draft, Kind.RECORD: _record}


def indexed_words(text: str) -> str:
    """The folded words of `text`, one space apart: what the index holds and what queries are cut into
    (so that `12/QĐ-UBND` is the words 12 qd ubnd on both databases)."""
    return " ".join(_WORD.findall(fold(text)))


def reindex(kind: str, object_id: int) -> None:
    """Write (or remove) the entry of one item from what it holds now. Safe to run twice."""
    built = BUILDERS[kind](object_id)
    if built is None:
        FullTextEntry.objects.filter(kind=kind, object_id=object_id).delete()
        return
    title, meta, files = built
    content = clean("\n".join(p.strip() for p in [*meta, *files] if p and p.strip()))[:MAX_CHARS]
    FullTextEntry.objects.update_or_create(kind=kind, object_id=object_id, defaults={
        "title": clean(title)[:1200], "content": content, "folded": indexed_words(content)})


def reindex_blob(sha256: str) -> None:
    """Index again every item that carries this file (its text has just been read)."""
    from qlvb.incoming.models import Attachment
    from qlvb.outgoing.models import OutgoingDocument
    from qlvb.records.models import Version

    for pk in set(Attachment.objects.filter(blob_id=sha256).values_list("document_id", flat=True)):
        reindex(Kind.INCOMING, pk)
    for pk in OutgoingDocument.objects.filter(blob_id=sha256).values_list("pk", flat=True):
        reindex(Kind.OUTGOING, pk)
    for pk in set(Version.objects.filter(blob_id=sha256).values_list("draft_id", flat=True)):
        reindex(Kind.DRAFT, pk)


def reindex_all() -> int:
    """Write every item's entry again (after a restore, or to build the index of an existing database);
    the number of entries written."""
    from qlvb.incoming.models import IncomingDocument
    from qlvb.outgoing.models import OutgoingDocument
    from qlvb.records.models import Draft, WorkRecord

    written = 0
    for kind, model in ((Kind.INCOMING, IncomingDocument), (Kind.OUTGOING, OutgoingDocument), (Kind.DRAFT, Draft),
                        (Kind.RECORD, WorkRecord)):
        ids = list(model.objects.values_list("pk", flat=True))
        for pk in ids:
            reindex(kind, pk)
        FullTextEntry.objects.filter(kind=kind).exclude(object_id__in=model.objects.values("pk")).delete()
        written += len(ids)
    return written


def request_reindex(kind: str, object_id: int) -> None:
    """Index the item again once the current transaction commits (in the task queue)."""
    from qlvb.core.taskqueue import enqueue_on_commit

    from .tasks import reindex_entry

    enqueue_on_commit(reindex_entry, kind=str(kind), object_id=object_id)


# ---- the query ----------------------------------------------------------------------------------------------

def query_terms(query: str) -> list[list[str]]:
    """The query as terms, each the folded words of one space-separated part: one word is matched as a
    prefix, several (`12/QĐ-UBND`) as a phrase."""
    parts = [_WORD.findall(part) for part in fold(clean(query)).split(" ")]
    return [p for p in parts if p][:MAX_TERMS]


def _fts5(terms) -> str:
    return " AND ".join(f'"{t[0]}"*' if len(t) == 1 else '"' + " ".join(t) + '"' for t in terms)


def _tsquery(terms) -> str:
    return " & ".join(f"{t[0]}:*" if len(t) == 1 else "(" + " <-> ".join(t) + ")" for t in terms)


class _Indexed(Expression):
    """SQL over the entry's row naming its table by the alias of the query it is compiled in (an entry
    query may be a subquery, aliased U0): `{table}` in `sql` becomes that alias; `params` are passed."""

    def __init__(self, sql: str, params, output_field):
        super().__init__(output_field=output_field)
        self.sql, self.params = sql, list(params)

    def as_sql(self, compiler, connection):
        alias = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return self.sql.format(table=alias), self.params


def _matched(qs, terms, *, ranked: bool):
    # The SQL below names only this module's index and columns; the query text is a parameter.
    vendor = connections[qs.db].vendor
    if vendor == "sqlite":
        expression = _fts5(terms)
        qs = qs.filter(id__in=RawSQL("SELECT rowid FROM fulltext_index WHERE fulltext_index MATCH %s",  # noqa: S611
                                     [expression]))
        if ranked:  # bm25: lower is better
            qs = qs.annotate(rank=_Indexed("(SELECT -rank FROM fulltext_index WHERE fulltext_index MATCH %s"
                                           " AND rowid = {table}.id)", [expression], FloatField()))
        return qs
    if vendor == "postgresql":
        expression = _tsquery(terms)
        qs = qs.filter(_Indexed("{table}.search_vector @@ to_tsquery('qlvb_folded', %s)", [expression],
                                BooleanField()))
        if ranked:
            qs = qs.annotate(rank=_Indexed("ts_rank_cd({table}.search_vector, to_tsquery('qlvb_folded', %s))",
                                           [expression], FloatField()))
        return qs
    # Any other database: every word in the folded text (unindexed).
    for term in terms:
        qs = qs.filter(folded__contains=" ".join(term))
    return qs.annotate(rank=Value(0.0, output_field=FloatField())) if ranked else qs


def visible_entries(person, kinds=None):
    """The entries of the items the person may open (of the given kinds)."""
    sets = {Kind.INCOMING: access.visible_incoming, Kind.OUTGOING: access.visible_outgoing,
            Kind.DRAFT: access.visible_drafts, Kind.RECORD: access.visible_records}
    rule = Q(pk__in=[])
    for kind, visible in sets.items():
        if kinds is None or kind in kinds:
            rule |= Q(kind=kind, object_id__in=visible(person).values("pk"))
    return FullTextEntry.objects.filter(rule)


def search(person, query: str, *, kinds=None):
    """The person's visible entries matching every term of `query`, best first (then newest), without
    their texts loaded; `None` when the query has no word. Each hit's `snippet` comes from `snippets`."""
    terms = query_terms(query)
    if not terms:
        return None
    qs = _matched(visible_entries(person, kinds), terms, ranked=True)
    return qs.defer("content", "folded").order_by("-rank", "-updated_at", "-pk")


def matching_ids(kind: str, query: str):
    """The ids of the items of `kind` whose entry matches `query` (a subquery): the advanced search
    narrows the viewer's visible set with it."""
    terms = query_terms(query)
    qs = FullTextEntry.objects.filter(kind=kind)
    return _matched(qs, terms, ranked=False).values("object_id") if terms else qs.none().values("object_id")


# ---- what a hit shows -------------------------------------------------------------------------------------

@dataclasses.dataclass
class Hit:
    kind: str
    kind_label: str
    object_id: int
    title: str
    url: str
    snippet: SafeString
    rank: float


URLS = {Kind.INCOMING: "incoming:detail", Kind.OUTGOING: "outgoing:detail", Kind.DRAFT: "records:draft",
        Kind.RECORD: "records:detail"}


def hits(entries, query: str) -> list[Hit]:
    """The page's entries as hits, each with its snippet (one query for their texts)."""
    entries = list(entries)
    texts = dict(FullTextEntry.objects.filter(pk__in=[e.pk for e in entries]).values_list("pk", "content"))
    words = [w for term in query_terms(query) for w in term]
    return [Hit(e.kind, str(Kind(e.kind).label), e.object_id, e.title, reverse(URLS[e.kind], args=[e.object_id]),
                snippet(texts.get(e.pk, ""), words), float(getattr(e, "rank", 0) or 0)) for e in entries]


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return " " if ch.isspace() else fold(ch)


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    """`text` folded character by character (no spaces collapsed), with the position in `text` of each
    folded character, so that a match found in the folded text is marked in the text as written."""
    out, where = [], []
    for i, ch in enumerate(text):
        for f in _fold_char(ch):
            out.append(f)
            where.append(i)
    return "".join(out), where


CHUNK = 20_000  # a file's text is searched for the first match a piece at a time


def _spans(text: str, words: list[str]) -> list[tuple[int, int]]:
    """Where the words (as word prefixes) occur in `text`, in the first piece of it that has any."""
    for offset in range(0, max(len(text), 1), CHUNK):
        piece = text[offset:offset + CHUNK + 100]
        folded, where = _folded_with_map(piece)
        spans = sorted((offset + where[m.start()], offset + where[m.end() - 1] + 1)
                       for word in dict.fromkeys(words)
                       for m in re.finditer(r"(?<![^\W_])" + re.escape(word), folded))
        if spans:
            merged = [spans[0]]
            for start, end in spans[1:]:  # overlapping prefixes (don, dong) mark the longer one
                if start <= merged[-1][1]:
                    merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
                else:
                    merged.append((start, end))
            return merged
    return []


def snippet(text: str, words: list[str], width: int | None = None) -> SafeString:
    """A piece of `text` around the first match, the matched words (prefixes) in <mark>, HTML-escaped."""
    width = width or settings.QLVB_FULLTEXT_SNIPPET_CHARS
    if not text:
        return mark_safe("")
    spans = _spans(text, words)
    centre = spans[0][0] if spans else 0
    start = max(0, centre - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < centre else start
    end = min(len(text), start + width)
    pieces, at = [], start
    for s, e in spans:
        if s < at or s >= end:
            continue
        pieces.append(html.escape(text[at:s]))
        pieces.append(f"<mark>{html.escape(text[s:min(e, end)])}</mark>")
        at = min(e, end)
    pieces.append(html.escape(text[at:end]))
    body = " ".join("".join(pieces).split())
    return mark_safe(("… " if start else "") + body + (" …" if end < len(text) else ""))  # noqa: S308 — escaped above
