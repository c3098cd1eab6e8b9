from django.db import migrations, models

from qlvb.core.backfill import folded


def backfill(apps, schema_editor):
    folded(apps.get_model("records", "WorkRecord"), "search_text", "title")


class Migration(migrations.Migration):

    dependencies = [
        ("records", "0002_corrections"),
    ]

    operations = [
        migrations.AddField(
            model_name="workrecord",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
