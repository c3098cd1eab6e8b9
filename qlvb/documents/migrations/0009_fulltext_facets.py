"""The facet columns of the full-text entries (issue 12: type, period, issuer, unit, status, register).
Entries written before are filled by `manage.py reindex_fulltext`.

On SQLite a column with a default is added by rebuilding the table, which drops the triggers that keep
the FTS5 index in step (migration 0008): they are created again here. Any later migration that rebuilds
`documents_fulltextentry` on SQLite must do the same."""

import importlib

import django.db.models.deletion
from django.db import migrations, models


def triggers_again(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    index = importlib.import_module("qlvb.documents.migrations.0008_fulltext_index")
    for sql in index.SQLITE:
        if sql.startswith("CREATE TRIGGER"):
            schema_editor.execute(sql.replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0008_fulltext_index'),
        ('organization', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='fulltextentry',
            name='dated',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='fulltextentry',
            name='document_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='documents.documenttype'),
        ),
        migrations.AddField(
            model_name='fulltextentry',
            name='issuer',
            field=models.CharField(blank=True, default='', max_length=255),
        ),
        migrations.AddField(
            model_name='fulltextentry',
            name='register',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='documents.register'),
        ),
        migrations.AddField(
            model_name='fulltextentry',
            name='status',
            field=models.CharField(blank=True, default='', max_length=12),
        ),
        migrations.AddField(
            model_name='fulltextentry',
            name='unit',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='organization.unit'),
        ),
        migrations.RunPython(triggers_again, migrations.RunPython.noop),
    ]
