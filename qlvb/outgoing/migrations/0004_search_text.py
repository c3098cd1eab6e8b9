from django.db import migrations, models

from qlvb.core.backfill import folded


def backfill(apps, schema_editor):
    folded(apps.get_model("outgoing", "OutgoingDocument"), "search_text", "notation", "summary")


class Migration(migrations.Migration):

    dependencies = [
        ("outgoing", "0003_corrections"),
    ]

    operations = [
        migrations.AddField(
            model_name="outgoingdocument",
            name="search_text",
            field=models.TextField(default="", editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
