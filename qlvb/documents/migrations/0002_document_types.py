"""Seed the document types of Decree 30/2020, Annex III (editable afterwards by the administrator)."""

from django.db import migrations

from qlvb.documents.catalogues import ensure_document_types


def seed(apps, schema_editor):
    ensure_document_types(apps.get_model("documents", "DocumentType"))


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
