"""SQLite rebuilds a table to alter or drop a column, and the rebuild drops the table's triggers: the
migrations that change incoming_incomingdocument put back the search-index triggers of 0004 (and
rebuild the index) with `RESTORE` as their first and last operation, so both directions keep them.
Not a migration itself (the loader skips modules whose name starts with "_")."""

import importlib

from django.db import migrations


def _restore(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    search = importlib.import_module("qlvb.incoming.migrations.0004_search_index")
    for sql in search.SQLITE[1:]:  # the three triggers, then the index rebuild
        schema_editor.execute(sql.replace("CREATE TRIGGER ", "CREATE TRIGGER IF NOT EXISTS "))


def restore_after():
    """Put the triggers back after the operations that follow it have run (forwards)."""
    return migrations.RunPython(_restore, migrations.RunPython.noop)


def restore_before():
    """Put the triggers back after the operations that follow it have been reversed (backwards)."""
    return migrations.RunPython(migrations.RunPython.noop, _restore)
