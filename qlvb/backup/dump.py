"""The database part of a backup: every row of every table as exact JSON, and each table's
auto-increment position, portable between SQLite and PostgreSQL.

The dump is a Django JSON Lines fixture (one row a line, so `loaddata` reads it as a stream, not whole
into memory), with two differences from `dumpdata`:
- datetimes and times keep their microseconds: Django's encoder (`DjangoJSONEncoder`, ECMA-262 style)
  cuts them to milliseconds, so every restored timestamp came back changed;
- many-to-many link tables are written as rows of their own, ids included, instead of as lists inside
  the parent row (which `loaddata` re-inserts under new ids).
"""

import datetime
import itertools

from django.core.management import call_command
from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection
from django.db.models.fields import AutoFieldMixin


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()  # all six digits of the microseconds, and the UTC offset
        return super().default(o)


class Serializer(jsonl.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder

    def handle_m2m_field(self, obj, field):
        """Nothing: the link table is dumped as a model of its own."""


NAME = "database.jsonl"  # the extension tells `loaddata` the format


def write(models, path) -> None:
    """Every row of `models` (auto-created link tables included), in primary-key order, streamed to `path`."""
    rows = itertools.chain.from_iterable(
        m._base_manager.order_by(m._meta.pk.name).iterator(chunk_size=2000) for m in models)
    with open(path, "w", encoding="utf-8") as stream:
        Serializer().serialize(rows, stream=stream)


def load(path) -> None:
    """Insert the dump's rows (constraints checked at the end, as `loaddata` does)."""
    call_command("loaddata", str(path), verbosity=0)


def _numbered(models):
    return [m for m in models if isinstance(m._meta.pk, AutoFieldMixin)]


def positions(models) -> dict[str, int]:
    """The last number each table's auto-increment handed out (0 if none). It is above the largest id
    when the newest rows were deleted; restoring it keeps a deleted row's number from being reused."""
    tables = {m._meta.db_table: m._meta.pk.column for m in _numbered(models)}
    found = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            found = {name: seq for name, seq in cursor.fetchall() if name in tables}
        else:
            for table, column in tables.items():
                cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
                sequence = cursor.fetchone()[0]
                cursor.execute(f"SELECT last_value, is_called FROM {sequence}")  # noqa: S608 (a catalogue name)
                last_value, is_called = cursor.fetchone()
                found[table] = last_value if is_called else last_value - 1
    return {table: int(found.get(table, 0)) for table in sorted(tables)}


def set_positions(models, stored: dict[str, int]) -> None:
    """Put each auto-increment back where the backup found it (never below the largest id loaded)."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in _numbered(models):
            table, column = model._meta.db_table, model._meta.pk.column
            cursor.execute(f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}")  # noqa: S608
            value = max(stored.get(table, 0), cursor.fetchone()[0])
            if connection.vendor == "sqlite":
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
                if value:
                    cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, value])
            else:
                cursor.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s, %s)",
                               [table, column, max(value, 1), value > 0])
