"""An index for the quick search (see qlvb/incoming/search.py): SQLite's FTS5 trigram table kept in
step with search_text by triggers, or PostgreSQL's pg_trgm GIN index on it."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE incoming_search USING fts5(search_text, content='incoming_incomingdocument',"
    " content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER incoming_search_insert AFTER INSERT ON incoming_incomingdocument BEGIN"
    " INSERT INTO incoming_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER incoming_search_delete AFTER DELETE ON incoming_incomingdocument BEGIN"
    " INSERT INTO incoming_search(incoming_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);"
    " END",
    "CREATE TRIGGER incoming_search_update AFTER UPDATE OF search_text ON incoming_incomingdocument BEGIN"
    " INSERT INTO incoming_search(incoming_search, rowid, search_text) VALUES ('delete', old.id, old.search_text);"
    " INSERT INTO incoming_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    "INSERT INTO incoming_search(incoming_search) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER incoming_search_insert", "DROP TRIGGER incoming_search_delete",
    "DROP TRIGGER incoming_search_update", "DROP TABLE incoming_search",
]
POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX incoming_search_trgm ON incoming_incomingdocument USING gin (search_text gin_trgm_ops)",
]
POSTGRESQL_REVERSE = ["DROP INDEX incoming_search_trgm"]


def run(statements):
    def apply(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return apply


class Migration(migrations.Migration):

    dependencies = [
        ("incoming", "0003_completion_dates"),
    ]

    operations = [
        migrations.RunPython(run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
                             run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE})),
    ]
