"""The full-text index of `FullTextEntry.folded` (see qlvb/documents/fulltext.py).

SQLite: an FTS5 table over the folded text (unicode61 tokens; the text is folded already, đ → d), kept
in step by triggers. PostgreSQL: a text search configuration `qlvb_folded` (the `simple` one, whose
words also go through `unaccent` when the extension can be created: the text is folded by Python
already, unaccent catches what Python's fold leaves, such as ligatures), a generated `search_vector`
column and its GIN index. Without the right to create the extension the configuration is `simple`
alone and search works the same on the folded text."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE fulltext_index USING fts5(folded, content='documents_fulltextentry',"
    " content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER fulltext_index_insert AFTER INSERT ON documents_fulltextentry BEGIN"
    " INSERT INTO fulltext_index(rowid, folded) VALUES (new.id, new.folded); END",
    "CREATE TRIGGER fulltext_index_delete AFTER DELETE ON documents_fulltextentry BEGIN"
    " INSERT INTO fulltext_index(fulltext_index, rowid, folded) VALUES ('delete', old.id, old.folded); END",
    "CREATE TRIGGER fulltext_index_update AFTER UPDATE OF folded ON documents_fulltextentry BEGIN"
    " INSERT INTO fulltext_index(fulltext_index, rowid, folded) VALUES ('delete', old.id, old.folded);"
    " INSERT INTO fulltext_index(rowid, folded) VALUES (new.id, new.folded); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER fulltext_index_insert", "DROP TRIGGER fulltext_index_delete",
    "DROP TRIGGER fulltext_index_update", "DROP TABLE fulltext_index",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS fulltext_search_vector_idx",
    "ALTER TABLE documents_fulltextentry DROP COLUMN IF EXISTS search_vector",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS qlvb_folded",
]


def _unaccent(schema_editor) -> bool:
    """Create the unaccent extension if this role may (a savepoint keeps a refusal from aborting the
    migration's transaction)."""
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'unaccent'")
        if cursor.fetchone():
            return True
        cursor.execute("SAVEPOINT qlvb_unaccent")
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        except Exception:  # noqa: BLE001 — no right, or the contrib package is missing: fall back
            cursor.execute("ROLLBACK TO SAVEPOINT qlvb_unaccent")
            return False
        cursor.execute("RELEASE SAVEPOINT qlvb_unaccent")
        return True


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for sql in SQLITE:
            schema_editor.execute(sql)
    elif vendor == "postgresql":
        schema_editor.execute("CREATE TEXT SEARCH CONFIGURATION qlvb_folded (COPY = simple)")
        if _unaccent(schema_editor):
            schema_editor.execute("ALTER TEXT SEARCH CONFIGURATION qlvb_folded ALTER MAPPING FOR"
                                  " hword, hword_part, word WITH unaccent, simple")
        schema_editor.execute("ALTER TABLE documents_fulltextentry ADD COLUMN search_vector tsvector"
                              " GENERATED ALWAYS AS (to_tsvector('qlvb_folded'::regconfig, folded)) STORED")
        schema_editor.execute("CREATE INDEX fulltext_search_vector_idx ON documents_fulltextentry"
                              " USING gin (search_vector)")


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0007_fulltext_entry"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
