from django.db import migrations, models

from qlvb.core.backfill import local_dates


def backfill(apps, schema_editor):
    local_dates(apps.get_model("incoming", "IncomingDocument"), "completed_at", "completed_on")


class Migration(migrations.Migration):

    dependencies = [
        ("incoming", "0002_report_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="incomingdocument",
            name="completed_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="ngày xử lý xong"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
