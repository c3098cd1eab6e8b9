"""Copies (SY, TrS, SL) get their own yearly series; a register may carry its own mark in notations (the
confidential outgoing series: M), so that số + ký hiệu stay unique in the year (Decree 30 Art 15.1)."""

from django.db import migrations, models

COPY_ABBREVIATIONS = ("SY", "TrS", "SL")


def forwards(apps, schema_editor):
    DocumentType = apps.get_model("documents", "DocumentType")
    Register = apps.get_model("documents", "Register")
    DocumentType.objects.filter(abbreviation__in=COPY_ABBREVIATIONS).update(is_copy=True)
    Register.objects.filter(kind="outgoing", is_confidential=True, mark="").update(mark="M")


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_document_types")]

    operations = [
        migrations.AddField(
            model_name="documenttype",
            name="is_copy",
            field=models.BooleanField(
                default=False, help_text="Bản sao y, trích sao, sao lục: lấy số từ sổ bản sao, không từ sổ văn bản đi.",
                verbose_name="bản sao"),
        ),
        migrations.AddField(
            model_name="register",
            name="mark",
            field=models.CharField(
                blank=True, default="", max_length=10, verbose_name="ký hiệu riêng của sổ",
                help_text="Thêm vào số và ký hiệu văn bản của sổ này để phân biệt với sổ khác cùng năm, "
                          "ví dụ M với sổ văn bản đi mật: 01/M/SGTVT-VP."),
        ),
        migrations.AlterField(
            model_name="register",
            name="kind",
            field=models.CharField(
                choices=[("incoming", "Sổ văn bản đến"), ("outgoing", "Sổ văn bản đi"), ("copy", "Sổ bản sao")],
                max_length=10, verbose_name="loại sổ"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
