from django.db import migrations, models

from qlvb.core.text import fold


def backfill(apps, schema_editor):
    OutgoingDocument = apps.get_model("outgoing", "OutgoingDocument")
    documents = list(OutgoingDocument.objects.only("pk", "notation", "summary"))
    for document in documents:
        document.search_text = fold(f"{document.notation} {document.summary}")
    OutgoingDocument.objects.bulk_update(documents, ["search_text"], batch_size=2000)


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
