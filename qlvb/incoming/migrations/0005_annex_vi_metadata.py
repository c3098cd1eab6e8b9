"""Annex VI metadata of incoming documents (Decree 30/2020 PL VI II): number and notation as two fields
(CodeNumber, CodeNotation), the signer's position and name as two fields (SignerInfo), the issuing
agency's identifier code (OrganId).

Existing rows: the number and notation are split from the text as typed; a text that does not split
keeps both parts empty (the row shows as "cần sửa số, ký hiệu" to the clerk) and its text stays whole
in `notation`. The old one-line signer is split into position and name (qlvb.incoming.metadata)."""

from django.db import migrations, models
from django.db.models import Q

import qlvb.documents.identifiers

from ._search_triggers import restore_after, restore_before

BATCH = 1000


def split_existing(apps, schema_editor):
    from contextlib import suppress

    from django.core.exceptions import ValidationError

    from qlvb.documents.identifiers import split_code
    from qlvb.incoming.metadata import split_signer

    IncomingDocument = apps.get_model("incoming", "IncomingDocument")
    rows = IncomingDocument.objects.filter(~Q(notation="") | ~Q(signer="")).only("notation", "signer")
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        with suppress(ValidationError):  # a text that does not split is kept whole: flagged for the clerk
            row.code_number, row.code_notation = split_code(row.notation)
        row.signer_position, row.signer_name = split_signer(row.signer)
        batch.append(row)
        if len(batch) == BATCH:
            IncomingDocument.objects.bulk_update(batch, ["code_number", "code_notation", "signer_position",
                                                         "signer_name"])
            batch = []
    IncomingDocument.objects.bulk_update(batch, ["code_number", "code_notation", "signer_position", "signer_name"])


def join_signer(apps, schema_editor):
    IncomingDocument = apps.get_model("incoming", "IncomingDocument")
    for row in IncomingDocument.objects.exclude(signer_position="", signer_name="").iterator(chunk_size=BATCH):
        row.signer = " ".join(p for p in (row.signer_position, row.signer_name) if p)[:100]
        row.save(update_fields=["signer"])


class Migration(migrations.Migration):

    dependencies = [
        ('incoming', '0004_search_index'),
    ]

    operations = [
        restore_before(),
        migrations.AddField(
            model_name='incomingdocument',
            name='code_notation',
            field=models.CharField(blank=True, max_length=30, verbose_name='ký hiệu'),
        ),
        migrations.AddField(
            model_name='incomingdocument',
            name='code_number',
            field=models.CharField(blank=True, max_length=11, verbose_name='số'),
        ),
        migrations.AddField(
            model_name='incomingdocument',
            name='issuer_code',
            field=models.CharField(blank=True, max_length=35, validators=[qlvb.documents.identifiers.validate_organ_id], verbose_name='mã định danh cơ quan ban hành'),
        ),
        migrations.AddField(
            model_name='incomingdocument',
            name='signer_name',
            field=models.CharField(blank=True, max_length=50, verbose_name='họ tên người ký'),
        ),
        migrations.AddField(
            model_name='incomingdocument',
            name='signer_position',
            field=models.CharField(blank=True, max_length=100, verbose_name='chức vụ người ký'),
        ),
        migrations.AlterField(
            model_name='incomingdocument',
            name='notation',
            field=models.CharField(blank=True, max_length=100, verbose_name='số và ký hiệu'),
        ),
        migrations.RunPython(split_existing, join_signer),
        migrations.RemoveField(
            model_name='incomingdocument',
            name='signer',
        ),
        restore_after(),
    ]
