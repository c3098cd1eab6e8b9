"""SQLite: the words of the full-text index (an `fts5vocab` table over `fulltext_index`, read-only, kept
by FTS5 itself; of type 'instance', read a seek at a time without counting a word's rows), so that a
query's word typed as a prefix is looked for as the few words of the index that start with it (see
`fulltext._counted`): FTS5 answers a prefix by merging the lists of rows of every such word in memory,
all of them (a word in 500,000 entries: 16-24 ms under load, in each query that names it), where a list
of words (`"a" OR "b"`) is read as far as the query needs. PostgreSQL: nothing."""

from django.db import migrations

SQLITE = "CREATE VIRTUAL TABLE IF NOT EXISTS fulltext_vocab USING fts5vocab(fulltext_index, instance)"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS fulltext_vocab")


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0009_fulltext_facets"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
