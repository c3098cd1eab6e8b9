from django.db import migrations, models

from qlvb.core.backfill import local_dates


def backfill(apps, schema_editor):
    local_dates(apps.get_model("assignments", "Assignment"), "done_at", "done_on")


class Migration(migrations.Migration):

    dependencies = [
        ("assignments", "0004_report_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="assignment",
            name="done_on",
            field=models.DateField(blank=True, editable=False, null=True, verbose_name="ngày hoàn thành"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
