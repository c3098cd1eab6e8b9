"""Quick search over incoming documents: every word of the query, folded (no accents, đ → d), must
occur in the document's folded text (number, notation, summary, issuer).

The substring test runs through an index on each database, so searching a long history for a rare
word stays fast: SQLite's FTS5 table `incoming_search` with the trigram tokenizer (kept in step by
triggers) and PostgreSQL's pg_trgm GIN index on `search_text`. PostgreSQL's planner weighs the index
against the list's own (receiver, box, …) index from its statistics. SQLite's does not, so we ask the
index first how many documents match: a few, and the list is read from them; many (common words),
and the list is read in its own order, testing each row, which finds a page of matches at once.
Words under three letters cannot use a trigram index; they filter what the rest selects."""

from django.db import connections
from django.db.models.expressions import RawSQL

from qlvb.core.text import containing, terms

SELECTIVE = 2000  # SQLite: at most this many matching documents, the list is read from the index


def matching(qs, query: str, *, document: str = ""):
    """Filter `qs` to documents matching `query`; `document` is the path from the queryset's model to
    the incoming document ("" for documents themselves, "document" for assignments)."""
    words = terms(query)
    indexed = [w for w in words if len(w) >= 3]
    if indexed and connections[qs.db].vendor == "sqlite":
        phrases = " AND ".join('"{}"'.format(w.replace('"', '""')) for w in indexed)
        if _fewer_matches_than(qs.db, phrases, SELECTIVE):
            qs = qs.filter(**{f"{document or 'pk'}__in": RawSQL(
                "SELECT rowid FROM incoming_search WHERE incoming_search MATCH %s", [phrases])})
            words = [w for w in words if len(w) < 3]
    return containing(qs, words, f"{document}__search_text" if document else "search_text")


def _fewer_matches_than(alias: str, phrases: str, limit: int) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT count(*) FROM (SELECT 1 FROM incoming_search WHERE incoming_search MATCH %s LIMIT %s)",
                       [phrases, limit])
        return cursor.fetchone()[0] < limit
