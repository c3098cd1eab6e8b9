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

import collections
import dataclasses
import datetime
import functools
import html
import json
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import BooleanField, Exists, FloatField, OuterRef, Q
from django.db.models.expressions import Expression, RawSQL, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

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


def _facets(**values) -> dict:
    """The facet columns of an entry (`FullTextEntry.document_type` … `register`), empty ones as such."""
    return {"document_type_id": None, "dated": None, "issuer": "", "unit_id": None, "status": "",
            "register_id": None, **values}


def _handling_unit(document) -> int | None:
    """The unit of the newest main-handler item: who handles the incoming document now."""
    from qlvb.assignments.models import Assignment

    newest = (Assignment.objects.filter(document=document, role=Assignment.Role.MAIN)
              .order_by("-created_at", "-pk").values_list("receiver_unit_id", "receiver__unit_id").first())
    return (newest[0] or newest[1]) if newest else None


def _incoming(pk):
    from qlvb.incoming.models import IncomingDocument

    d = IncomingDocument.objects.select_related("document_type", "field").filter(pk=pk).first()
    if d is None:
        return None
    meta = [f"{d.document_type.name} {d.notation}", d.summary, d.issuer_name, d.issuer_code, d.signer,
            f"Số đến {d.arrival_number}", d.field.name if d.field else "", d.notes, d.document_identifier]
    files = [] if d.is_withdrawn else _file_texts(d.attachments.values_list("blob_id", flat=True))
    facets = _facets(document_type_id=d.document_type_id, dated=d.issued_on, issuer=d.issuer_name[:255],
                     unit_id=_handling_unit(d), status=d.status, register_id=d.register_id)
    return f"{d.notation} – {d.summary}", meta, files, facets


def _outgoing(pk):
    from qlvb.outgoing.models import OutgoingDocument

    d = OutgoingDocument.objects.select_related("document_type").filter(pk=pk).first()
    if d is None:
        return None
    meta = [f"{d.document_type.name} {d.notation}", d.summary, d.agency_name, d.parent_agency_name,
            d.signing_authority, d.signer_title, d.signer_name, d.notes, d.body]
    facets = _facets(document_type_id=d.document_type_id, dated=d.issued_on, issuer=d.agency_name[:255],
                     unit_id=d.drafting_unit_id, status="recalled" if d.is_recalled else "issued",
                     register_id=d.register_id)
    return f"{d.notation} – {d.summary}", meta, _file_texts([d.blob_id]), facets


def _draft(pk):
    from qlvb.records.models import Draft

    d = Draft.objects.select_related("document_type", "record").filter(pk=pk).first()
    if d is None:
        return None
    latest = d.latest
    meta = [d.document_type.name, d.summary, d.record.title, latest.body if latest else ""]
    facets = _facets(document_type_id=d.document_type_id, dated=timezone.localdate(d.created_at),
                     unit_id=d.record.unit_id, status=d.state)
    return d.summary, meta, _file_texts([latest.blob_id] if latest else []), facets


def _record(pk):
    from qlvb.records.models import WorkRecord

    r = WorkRecord.objects.select_related("field").filter(pk=pk).first()
    if r is None:
        return None
    facets = _facets(dated=timezone.localdate(r.created_at), unit_id=r.unit_id, status=r.status)
    return r.title, [r.title, r.field.name if r.field else "", r.notes, r.closing_note], [], facets


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
    title, meta, files, facets = built
    content = clean("\n".join(p.strip() for p in [*meta, *files] if p and p.strip()))[:MAX_CHARS]
    FullTextEntry.objects.update_or_create(kind=kind, object_id=object_id, defaults={
        "title": clean(title)[:1200], "content": content, "folded": indexed_words(content), **facets})


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
    return " AND ".join(getattr(t, "fts5", None) or (f'"{t[0]}"*' if len(t) == 1 else '"' + " ".join(t) + '"')
                        for t in terms)


class _Expanded(list):
    """A one-word term (a prefix) with `fts5`, how SQLite's FTS5 is asked for it: the words of the index
    that start with it (`("tuyen" OR "tuyenquang")`), or the prefix itself when they are many or none."""

    fts5: str


PREFIX_WORDS = 32  # words of the index a prefix is looked for as, at most; past that, the prefix itself


def _expansion(term) -> tuple[str, list]:
    """SQL giving the FTS5 expression of a one-word term as the index's words starting with it (at most
    PREFIX_WORDS of them), and its parameters. The words are read from `fulltext_vocab` (an fts5vocab
    'instance' table, documents/0010) one seek each: the first word at or after the last one and its
    NUL-less successor (`|| char(1)`, a character no word holds), so that no word's rows are read
    (counting them, as an fts5vocab 'row' table does, read half a million rows for a common word)."""
    word = term[0]
    words = ("WITH RECURSIVE w(term) AS (SELECT (SELECT term FROM fulltext_vocab WHERE term >= %s AND term < %s"  # noqa: S608 — constants; the word is a parameter
             " LIMIT 1) UNION ALL SELECT (SELECT term FROM fulltext_vocab WHERE term >= w.term || char(1)"
             f" AND term < %s LIMIT 1) FROM w WHERE w.term IS NOT NULL LIMIT {PREFIX_WORDS + 1})"
             " SELECT term FROM w WHERE term IS NOT NULL")
    last = word + "\U0010FFFF"
    return (f"(SELECT CASE WHEN count(*) BETWEEN 1 AND {PREFIX_WORDS}"  # noqa: S608 — constants; the word is a parameter
            """ THEN '(' || group_concat('"' || term || '"', ' OR ') || ')' ELSE %s END"""
            f" FROM ({words}))", [f'"{word}"*', word, last, last])


def _counted(db: str, terms, cap: int):
    """How many entries of the whole index match, counted up to `cap` (`_index_matches`), and the terms
    to search with. SQLite: in the same statement, each one-word term becomes the words of the index that
    start with it (`_Expanded`), which every later query then reads instead of the prefix: FTS5 answers a
    prefix by merging the whole lists of rows of its words (O(matches): 20 ms for a word in 150,000 entries
    under load, in each query that names it); a list of words is read only as far as a query needs.
    The words are read when the search is (nothing kept between requests)."""
    if connections[db].vendor != "sqlite":
        return _index_matches(db, terms, cap), terms
    columns, params = [], []
    for i, term in enumerate(terms):
        sql, args = _expansion(term) if len(term) == 1 else ("%s", ['"' + " ".join(term) + '"'])
        columns.append(f"{sql} AS e{i}")
        params += args
    expression = " || ' AND ' || ".join(f"e{i}" for i in range(len(terms)))
    names = ", ".join(f"e{i}" for i in range(len(terms)))
    sql = (f"WITH q AS MATERIALIZED (SELECT {', '.join(columns)}) SELECT {names},"  # noqa: S608 — this module's SQL; the words are parameters
           f" (SELECT count(*) FROM (SELECT rowid FROM fulltext_index WHERE fulltext_index MATCH"
           f" (SELECT {expression} FROM q) LIMIT %s)) FROM q")
    with connections[db].cursor() as cursor:
        cursor.execute(sql, [*params, cap])
        *expressions, count = cursor.fetchone()
    expanded = []
    for term, fts5 in zip(terms, expressions, strict=True):
        if len(term) == 1:
            term = _Expanded(term)
            term.fts5 = fts5
        expanded.append(term)
    return count, expanded


def _folded_tests(terms) -> list[tuple[str, str]]:
    """SQLite: each term as a test on an entry's `folded` words (SQL over `{table}`, its parameter), as
    FTS5 matches it: one word as a prefix of a word, several as a phrase."""
    return [("instr(' ' || {table}.folded, %s) > 0", " " + t[0]) if len(t) == 1 else
            ("instr(' ' || {table}.folded || ' ', %s) > 0", " " + " ".join(t) + " ") for t in terms]


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


def _matched(qs, terms, *, ranked: bool, from_index: bool = True):
    """The entries of `qs` matching every term, `rank` annotated when `ranked`. `from_index`: the index's
    matches drive the query (SQLite: the FTS5 table joined once, its `rank` read in the same pass), each
    tested against `qs`'s rules; otherwise the entries of `qs` drive it, the match tested per row (a
    viewer who sees few items searching for a common word)."""
    # The SQL below names only this module's index and columns; the query text is a parameter.
    vendor = connections[qs.db].vendor
    if vendor == "sqlite":
        expression = _fts5(terms)
        if from_index:
            table = qs.model._meta.db_table
            qs = qs.extra(tables=["fulltext_index"], where=[f'fulltext_index.rowid = "{table}".id',  # noqa: S610
                                                            "fulltext_index MATCH %s"], params=[expression])
            return qs.extra(select={"rank": "-fulltext_index.rank"}) if ranked else qs  # noqa: S610 — bm25: lower is better
        # The match tested on the entry's own folded words, which the index holds as they are (words one
        # space apart): a word as the start of one of them, several as those words in a row. Reading
        # the index instead costs what the word's matches cost, not what the driving rows do: its rows
        # read into a list (a common word's 500,000 at a million entries, 0.15 s at 50,000), or a
        # MATCH per row (~0.1 ms each, and a prefix's lists merged again for each).
        for test, param in _folded_tests(terms):
            qs = qs.filter(_Indexed(test, [param], BooleanField()))
        if ranked:
            qs = qs.annotate(rank=_Indexed("(SELECT -rank FROM fulltext_index WHERE fulltext_index MATCH %s"
                                           " AND rowid = {table}.id)", [expression], FloatField()))
        return qs
    if vendor == "postgresql":
        expression = _tsquery(terms)
        # Driven from the entries: the match tested on each row read (`ts_match_vq` is `@@` that the
        # planner does not take to the GIN index, whose bitmap of a common word's 500,000 matches it
        # would otherwise intersect with the few entries asked for).
        test = "{table}.search_vector @@ %s" if from_index else "ts_match_vq({table}.search_vector, %s)"
        qs = qs.filter(_Indexed(test.replace("%s", "to_tsquery('qlvb_folded', %s)"), [expression],
                                BooleanField()))
        if ranked:
            qs = qs.annotate(rank=_Indexed("ts_rank_cd({table}.search_vector, to_tsquery('qlvb_folded', %s))",
                                           [expression], FloatField()))
        return qs
    # Any other database: every word in the folded text (unindexed).
    for term in terms:
        qs = qs.filter(folded__contains=" ".join(term))
    return qs.annotate(rank=Value(0.0, output_field=FloatField())) if ranked else qs


COMMON_SURE = 10
# The largest share of entries holding one word that starts with the given one (PostgreSQL's statistics).
_MOST_COMMON = ("SELECT max(u.f) FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs)"
                " AS u(e, f) WHERE s.schemaname = current_schema() AND s.tablename = 'documents_fulltextentry'"
                " AND s.attname = 'search_vector' AND left(u.e, %s) = %s")


def _index_matches(db: str, terms, cap: int) -> int:
    """How many entries of the whole index match, counted up to `cap`: whether a word is rare or common
    (read from the index alone, before any viewer's rules)."""
    vendor = connections[db].vendor
    if vendor == "sqlite":
        sql = "SELECT count(*) FROM (SELECT rowid FROM fulltext_index WHERE fulltext_index MATCH %s LIMIT %s)"
        params = [_fts5(terms), cap]
    elif vendor == "postgresql":
        sql = ("SELECT count(*) FROM (SELECT 1 FROM documents_fulltextentry"
               " WHERE search_vector @@ to_tsquery('qlvb_folded', %s) LIMIT %s) AS matched")
        params = [_tsquery(terms), cap]
        if len(terms) == 1 and len(terms[0]) == 1:
            # One word: when the column's statistics (its most common words, from ANALYZE) already say
            # that more than COMMON_SURE × cap entries hold a word it starts, it is common without
            # counting (the count reads the GIN index's bitmap of all its matches: 30-70 ms for a word
            # in half of a million entries); the count, an InitPlan, then never runs.
            sql = (f"SELECT CASE WHEN coalesce(({_MOST_COMMON}), 0) * (SELECT reltuples FROM pg_class"  # noqa: S608 — this module's constants; the word is a parameter
                   f" WHERE oid = 'documents_fulltextentry'::regclass) > %s THEN %s ELSE ({sql}) END")
            params = [len(terms[0][0]), terms[0][0], COMMON_SURE * cap, cap, *params]
    else:
        return _matched(FullTextEntry.objects.using(db), terms, ranked=False)[:cap].count()
    with connections[db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


REACH_LISTED = 10_000  # entries near an officer (`access.incoming_reach`) read into a list, at most


def visible_entries(person, kinds=None, *, reach=None):
    """The entries of the items the person may open (of the given kinds): each row tested against the
    visible set of its kind (a correlated EXISTS probing that one item), so that a query costs what the
    rows it reads cost, not the size of the visible set. `reach` (from `access.incoming_reach`): the
    incoming documents are looked for among those it names (an officer's own trees), the rule still
    tested on each row."""
    sets = {Kind.INCOMING: access.visible_incoming, Kind.OUTGOING: access.visible_outgoing,
            Kind.DRAFT: access.visible_drafts, Kind.RECORD: access.visible_records}
    rule = Q(pk__in=[])
    for kind, visible in sets.items():
        if kinds is None or kind in kinds:
            test = Q(kind=kind) & Q(Exists(visible(person).filter(pk=OuterRef("object_id"))))
            rule |= test
    entries = FullTextEntry.objects.filter(rule)
    if reach is None:
        return entries
    chosen = [k for k in sets if kinds is None or k in kinds]
    near = FullTextEntry.objects.filter(kind=Kind.INCOMING, object_id__in=reach).values_list("pk", flat=True)
    if chosen != [Kind.INCOMING]:  # the entries of the other kinds are few next to an archive of documents
        near = near.union(FullTextEntry.objects.filter(kind__in=[k for k in chosen if k != Kind.INCOMING])
                          .values_list("pk", flat=True), all=True)
    # Read once into a list (at most REACH_LISTED ids), which the database walks newest first through the
    # primary key, stopping when a page (or the facets' FACET_CAP + 1) is full, instead of gathering and
    # probing every entry of the reach in each query (an officer's 50 years: 4,000 entries, 0.2 s).
    listed = list(near.order_by()[:REACH_LISTED + 1])
    if len(listed) > REACH_LISTED:
        return entries.filter(pk__in=near)
    # One parameter, not thousands of them: Django would process the list again each time a query over
    # these entries is cloned and compiled (about 50 times a search: ~95 ms for 8,000 ids on SQLite).
    if connections[entries.db].vendor == "postgresql":
        return entries.filter(_Indexed("{table}.id = ANY(%s)", [listed], BooleanField()))
    return entries.filter(_Indexed("{table}.id IN (SELECT value FROM json_each(%s))", [json.dumps(listed)],
                                   BooleanField()))


_ENTRIES = '"documents_fulltextentry"'


def _reach_rows(matched, kinds, reach):
    """PostgreSQL, a common word for a person with a reach (`access.incoming_reach`, an officer): the
    facet and hit columns of the newest FACET_CAP + 1 of `matched` (his visible entries matching the
    word, tested per row), in one statement; `None` when the reach names more than REACH_LISTED
    documents (then the reach is left a subquery, as on SQLite).

    The reach's document ids are read once (his items, through their receiver and sender indexes: not
    the entries), newest first, and the statement walks them in that order (`unnest … WITH ORDINALITY`,
    which the planner knows to be ordered), looking each one's entry up through the entries' unique
    `(kind, object_id)` index and testing on that row the match and `visible_incoming` as for any search,
    until FACET_CAP + 1 are found: an officer's 4,000 documents are not all looked up for their entries
    to learn their ids and order. The other kinds' visible matches (few next to an archive of documents)
    come newest first through the primary key, in the same statement; the two are merged newest first
    by entry id (entries are written as their items are, so an entry's id follows its document's)."""
    documents = sorted(reach.order_by().values_list("document_id", flat=True).distinct()[:REACH_LISTED + 1],
                       reverse=True)
    if len(documents) > REACH_LISTED:
        return None
    columns = _COLUMNS + _HIT_COLUMNS
    chosen_kinds = [k for k in Kind.values if kinds is None or k in kinds]
    parts, params = [], []
    if Kind.INCOMING in chosen_kinds and documents:
        walked = matched.filter(_Indexed("{table}.kind = %s AND {table}.object_id = reach.object_id",
                                         [Kind.INCOMING], BooleanField())).order_by().values_list(*columns)
        sql, walked_params = walked.query.get_compiler(walked.db).as_sql()
        at = sql.find(f" FROM {_ENTRIES} ")
        if at < 0 or sql.find(f" FROM {_ENTRIES} ", at + 1) >= 0:  # the entries' table, once, at the top
            raise RuntimeError("unexpected statement for the reach's walk")
        before = sql[:at].count("%s")
        sql = (sql[:at] + " FROM unnest(%s::bigint[]) WITH ORDINALITY AS reach(object_id, n) CROSS JOIN "
               + sql[at + len(" FROM "):] + " ORDER BY reach.n LIMIT %s")
        parts.append(f"({sql})")
        params += [*walked_params[:before], documents, *walked_params[before:], FACET_CAP + 1]
    others = [k for k in chosen_kinds if k != Kind.INCOMING]
    if others:
        rest = matched.filter(kind__in=others).order_by("-pk").values_list(*columns)[:FACET_CAP + 1]
        sql, rest_params = rest.query.get_compiler(rest.db).as_sql()
        parts.append(f"({sql})")
        params += rest_params
    if not parts:
        return []
    with connections[matched.db].cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    at = len(_COLUMNS)  # the entry's id
    return sorted(rows, key=lambda row: row[at], reverse=True)[:FACET_CAP + 1]


def search(person, query: str, *, kinds=None, chosen=None, ranked: bool = True):
    """The person's visible entries matching every term of `query` and the `chosen` facet values (from
    `parse_filters`), best first (then newest), without their texts loaded; `None` when the query has no
    word. Each hit's `snippet` comes from `hits`. Not `ranked`: newest first, which the database finds
    without scoring every match (what `found` asks for when more than FACET_CAP match)."""
    terms = query_terms(query)
    if not terms:
        return None
    return _ordered(_matched(narrowed(visible_entries(person, kinds), chosen or {}), terms, ranked=ranked), ranked)


def _ordered(entries, ranked: bool):
    entries = entries.defer("content", "folded")
    if ranked:
        return entries.order_by("-rank", "-updated_at", "-pk")
    return _newest_first(entries)


def _newest_first(entries):
    """The entries newest first. Joined with SQLite's FTS5 table: in the order of its rowids, which the
    index reads backward and the query leaves once its LIMIT is reached (ordered by the entry's id, the
    same number, SQLite would read and test every match, then sort them)."""
    if "fulltext_index" in entries.query.extra_tables:
        return entries.order_by(RawSQL("fulltext_index.rowid", []).desc())  # noqa: S611
    return entries.order_by("-pk")


RANKED_MAX = 5000  # index-wide matches past which a word is common: its hits come newest first


def found(person, query: str, *, kinds=None, chosen=None):
    """What the page and the API show: the facets of the matches (`facets`) and the hits (`search`), from
    one visible set; `None` when the query has no word. A rare word (at most RANKED_MAX entries of the
    whole index match it) is looked up from the index's matches, each tested against the viewer's rules,
    and ranked. A common word's hits come newest first, as scoring every match costs more than a page
    may at a million documents; for a viewer who sees few items (an officer) its search starts from
    those items, testing the match on each, rather than from the index's hundreds of thousands of
    matches. Past FACET_CAP visible matches the counts stop (`capped`). The hits are a query, or (a
    common word on PostgreSQL) the list of at most FACET_CAP + 1 entries the facets were counted from."""
    terms = query_terms(query)
    if not terms:
        return None
    chosen = chosen or {}
    matches, terms = _counted(FullTextEntry.objects.db, terms, RANKED_MAX + 1)
    common = matches > RANKED_MAX
    reach = access.incoming_reach(person) if common else None
    postgresql = connections[FullTextEntry.objects.db].vendor == "postgresql"
    if reach is not None and postgresql:
        rows = _reach_rows(_matched(narrowed(visible_entries(person, kinds), chosen), terms, ranked=False,
                                    from_index=False), kinds, reach)
        if rows is not None:
            return _facets_from_rows(rows, chosen, with_hits=True)
    base = narrowed(visible_entries(person, kinds, reach=reach), chosen)  # reads who the person is once
    from_index = reach is None
    matched = _matched(base, terms, ranked=False, from_index=from_index)
    if common and postgresql:
        # A common word's hits come newest first, the same order its facets are counted in (the primary
        # key walked backward): the pages are those rows, read in the same statement (the pager stops at
        # FACET_CAP + 1 too), not read again.
        return _facets_of(matched, chosen, newest=True, with_hits=True)
    counted = _facets_of(matched, chosen, newest=common)
    ranked = not (common or counted.capped)
    return counted, _ordered(_matched(base, terms, ranked=ranked, from_index=from_index), ranked)


def matching_ids(kind: str, query: str):
    """The ids of the items of `kind` whose entry matches `query` (a subquery): the advanced search
    narrows the viewer's visible set with it."""
    terms = query_terms(query)
    qs = FullTextEntry.objects.filter(kind=kind)
    if not terms:
        return qs.none().values("object_id")
    if connections[qs.db].vendor == "sqlite":  # a subquery (aliased): the index's rowids, not a join
        return qs.filter(id__in=RawSQL("SELECT rowid FROM fulltext_index WHERE fulltext_index MATCH %s",  # noqa: S611
                                       [_fts5(terms)])).values("object_id")
    return _matched(qs, terms, ranked=False).values("object_id")


# ---- facets: what the matches are, counted ---------------------------------------------------------------

FACET_CAP = 1000  # matches counted per search, as the pager counts them (core.pagination.SearchPaginator)
FACET_VALUES = 10  # values shown per facet, most frequent first
FACETS = [("type", _lazy("Loại văn bản")), ("period", _lazy("Năm")), ("issuer", _lazy("Cơ quan ban hành")),
          ("unit", _lazy("Đơn vị")), ("status", _lazy("Trạng thái")), ("register", _lazy("Sổ văn bản"))]
_COLUMNS = ("kind", "document_type_id", "document_type__name", "dated", "issuer", "unit_id", "unit__name",
            "status", "register_id", "register__name", "register__year")


def _statuses() -> dict:
    """(kind, status) → what the status is called."""
    from qlvb.incoming.models import IncomingDocument
    from qlvb.records.models import Draft, WorkRecord

    named = {("incoming", v): label for v, label in IncomingDocument.Status.choices}
    named |= {("outgoing", "issued"): _("Đã phát hành"), ("outgoing", "recalled"): _("Đã thu hồi")}
    named |= {("draft", v): label for v, label in Draft.State.choices}
    return named | {("record", v): label for v, label in WorkRecord.Status.choices}


def parse_filters(data) -> dict:
    """The facet values chosen in a query string or API call, typed; a value that is not one names its
    facet (ValidationError by name). Empty values are left out."""
    chosen, errors = {}, {}
    labels = dict(FACETS)
    for name, _label in FACETS:
        raw = clean(str(data.get(name) or "")).strip()
        if not raw:
            continue
        if name == "issuer":
            chosen[name] = raw[:255]
        elif name == "status":
            kind, _sep, code = raw.partition(":")
            if (kind, code) not in _statuses():
                errors[name] = [_("“%(field)s” không có giá trị “%(value)s”.") % {"field": labels[name], "value": raw}]
            else:
                chosen[name] = (kind, code)
        else:
            low, high = (1900, 9998) if name == "period" else (1, 2**31 - 1)
            if not (raw.isascii() and raw.isdigit()) or not low <= int(raw) <= high:
                errors[name] = [_("“%(field)s” phải là một số từ %(low)s đến %(high)s.") % {
                    "field": labels[name], "low": low, "high": high}]
            else:
                chosen[name] = int(raw)
    if errors:
        raise ValidationError(errors)
    return chosen


def narrowed(entries, chosen: dict):
    """The entries with every chosen facet value."""
    if "type" in chosen:
        entries = entries.filter(document_type_id=chosen["type"])
    if "period" in chosen:
        year = chosen["period"]
        entries = entries.filter(dated__gte=datetime.date(year, 1, 1), dated__lte=datetime.date(year, 12, 31))
    if "issuer" in chosen:
        entries = entries.filter(issuer=chosen["issuer"])
    if "unit" in chosen:
        entries = entries.filter(unit_id=chosen["unit"])
    if "status" in chosen:
        entries = entries.filter(kind=chosen["status"][0], status=chosen["status"][1])
    if "register" in chosen:
        entries = entries.filter(register_id=chosen["register"])
    return entries


def as_param(name: str, value) -> str:
    """A chosen facet value as written in a query string."""
    return ":".join(value) if name == "status" else str(value)


@dataclasses.dataclass
class FacetValue:
    value: str  # as written in the query string
    label: str
    count: int
    chosen: bool = False


@dataclasses.dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue]


@dataclasses.dataclass
class Facets:
    total: int  # matches counted, at most FACET_CAP + 1 (as the pager counts them)
    capped: bool  # more than FACET_CAP matched: the counts are of the first FACET_CAP found
    facets: list[Facet]


def facets(person, query: str, *, kinds=None, chosen=None) -> Facets | None:
    """How many of the person's matches (the same as `search` finds) have each type, year, issuer, unit,
    status and register; `None` when the query has no word."""
    terms = query_terms(query)
    if not terms:
        return None
    chosen = chosen or {}
    return _facets_of(_matched(narrowed(visible_entries(person, kinds), chosen), terms, ranked=False), chosen)


_HIT_COLUMNS = ("pk", "object_id", "title")  # what `hits` reads of an entry, besides its kind
_Found = collections.namedtuple("_Found", ("kind", *_HIT_COLUMNS))  # an entry as `hits` reads it (unranked)


def _facets_of(entries, chosen: dict, *, newest: bool = False, with_hits: bool = False):
    """The facets of these (visible, matched) entries: one query over at most FACET_CAP + 1 of them, so
    that a common word in a long history costs no more than its first pages. The entries are the
    viewer's visible ones only: no count includes an item the person may not open. `newest`: the
    newest ones are counted (the entries near an officer, walked newest first through the primary key
    and left as soon as FACET_CAP + 1 are found), otherwise any the database finds first. `with_hits`
    (with `newest`): also those entries, newest first, as `hits` reads them: `(facets, entries)`."""
    columns = _COLUMNS + (_HIT_COLUMNS if with_hits else ())
    rows = list((_newest_first(entries) if newest else entries.order_by()).values_list(*columns)[:FACET_CAP + 1])
    return _facets_from_rows(rows, chosen, with_hits=with_hits)


def _facets_from_rows(rows, chosen: dict, *, with_hits: bool = False):
    """The facets of these rows (`_COLUMNS`, then `_HIT_COLUMNS` `with_hits`), at most FACET_CAP + 1 of
    them, newest first when `with_hits`; `(facets, entries)` `with_hits`."""
    total = len(rows)
    counted = {name: {} for name, _label in FACETS}
    statuses = _statuses()
    for row in rows[:FACET_CAP]:
        kind, type_id, type_name, dated, issuer, unit_id, unit_name, status, register_id, register_name, year \
            = row[:len(_COLUMNS)]
        pairs = {"type": (type_id, type_name), "period": (dated and dated.year, dated and str(dated.year)),
                 "issuer": (issuer, issuer), "unit": (unit_id, unit_name),
                 "status": (status and (kind, status), statuses.get((kind, status), status)),
                 "register": (register_id, register_name and f"{register_name} {year}")}
        for name, (value, label) in pairs.items():
            if value:
                seen = counted[name].setdefault(value, [label, 0])
                seen[1] += 1
    result = Facets(total, total > FACET_CAP, [_facet(name, label, counted[name], chosen.get(name))
                                               for name, label in FACETS])
    if not with_hits:
        return result
    return result, [_Found(row[0], *row[len(_COLUMNS):]) for row in rows]


def _facet(name, label, counted: dict, chosen) -> Facet:
    top = sorted(counted.items(), key=lambda item: (-item[1][1], str(item[1][0])))[:FACET_VALUES]
    values = [FacetValue(as_param(name, value), str(shown), n, value == chosen) for value, (shown, n) in top]
    if chosen is not None and not any(v.chosen for v in values):  # nothing matches it: still shown, to leave it
        values.append(FacetValue(as_param(name, chosen), as_param(name, chosen), 0, True))
    return Facet(name, str(label), values)


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


class _FoldTable(dict):
    """`str.translate`'s table of `_fold_char`, filled as characters are met; a character that folds
    to other than one character (ß → ss, a lone accent → nothing) maps to NUL, which sends the text
    to the character-by-character way."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        value = folded if len(folded) == 1 and folded != "\0" else "\0"
        if len(self) < 65_536:  # characters kept, at most (a text of every character is not a reason)
            self[code] = value
        return value


_FOLD_TABLE = _FoldTable()


def _folded_with_map(text: str) -> tuple[str, list[int] | range]:
    """`text` folded character by character (no spaces collapsed), with the position in `text` of each
    folded character, so that a match found in the folded text is marked in the text as written."""
    folded = text.translate(_FOLD_TABLE)  # in C: a page of snippets took 50 ms character by character
    if "\0" not in folded:  # every character folded to one: positions unchanged
        return folded, range(len(text))
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
