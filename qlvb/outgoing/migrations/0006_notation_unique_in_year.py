"""Số + ký hiệu unique in the year (Decree 30 Art 15.1), in the database; flagged old collisions excepted.
Separate from 0005 so that PostgreSQL alters the table in a transaction without pending row updates."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("outgoing", "0005_issued_metadata_and_notation_rules")]

    operations = [
        migrations.AlterField(
            model_name="outgoingdocument", name="year",
            field=models.PositiveSmallIntegerField(editable=False, verbose_name="năm"),
        ),
        migrations.AddConstraint(
            model_name="outgoingdocument",
            constraint=models.UniqueConstraint(condition=models.Q(notation_conflict=False),
                                               fields=("year", "notation"), name="outgoing_notation_unique_in_year"),
        ),
    ]
