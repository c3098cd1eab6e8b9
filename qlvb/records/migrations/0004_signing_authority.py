"""Signing authority: TM. (on behalf of a collective) and TUQ. under a recorded written delegation
(Decree 30 Art 13, Annex I II.7); a copy (SY, TrS, SL) names the document it copies."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("organization", "0002_delegation"),
        ("records", "0003_search_text"),
        ("incoming", "0001_initial"),
        ("outgoing", "0004_search_text"),
    ]

    operations = [
        migrations.AddField(
            model_name="draft",
            name="collective",
            field=models.CharField(
                blank=True, default="", max_length=255, verbose_name="tập thể (ký TM.)",
                help_text="Ký thay mặt tập thể: ví dụ ỦY BAN NHÂN DÂN, HỘI ĐỒNG THI ĐUA."),
        ),
        migrations.AddField(
            model_name="draft",
            name="delegation",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                to="organization.delegation", verbose_name="văn bản ủy quyền (ký TUQ.)",
                help_text="Ký thừa ủy quyền chỉ theo ủy quyền bằng văn bản, trong thời hạn và phạm vi được ủy quyền."),
        ),
        migrations.AddField(
            model_name="draft",
            name="copy_of_outgoing",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="copies",
                to="outgoing.outgoingdocument", verbose_name="sao từ văn bản đi"),
        ),
        migrations.AddField(
            model_name="draft",
            name="copy_of_incoming",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="copies",
                to="incoming.incomingdocument", verbose_name="sao từ văn bản đến"),
        ),
        migrations.AlterField(
            model_name="draft",
            name="signing_form",
            field=models.CharField(
                blank=True, default="", max_length=5, verbose_name="hình thức ký",
                choices=[("", "Ký trực tiếp"), ("TM.", "TM. (thay mặt tập thể)"), ("KT.", "KT. (ký thay)"),
                         ("TL.", "TL. (thừa lệnh)"), ("TUQ.", "TUQ. (thừa ủy quyền)"), ("Q.", "Q. (quyền)")]),
        ),
    ]
