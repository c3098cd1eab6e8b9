"""What is issued stays as issued: signer, signing authority and agency names are copied onto the
document; số + ký hiệu unique in the year (Decree 30 Art 15.1).

Existing rows: the copies are filled from today's data (the best there is); the year is the register's;
documents whose notation already repeats another's in the year (the normal and confidential series
before the rule) are flagged, never renumbered: their notation is what was sent out."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    OutgoingDocument = apps.get_model("outgoing", "OutgoingDocument")
    Agency = apps.get_model("organization", "Agency")
    Position = apps.get_model("organization", "Position")
    agency = Agency.objects.first()
    head = Position.objects.filter(role="leader", is_deputy=False).order_by("rank", "id").first()
    head = (head.name if head else "Thủ trưởng cơ quan").upper()
    seen = set()
    for document in OutgoingDocument.objects.select_related("register", "signer").order_by("issued_at", "id"):
        key = (document.register.year, document.notation)
        document.year = document.register.year
        document.notation_conflict = key in seen
        seen.add(key)
        document.signer_name = document.signer.full_name or document.signer.username
        if document.signing_form in ("KT.", "TL.", "TUQ.", "Q."):
            document.signing_authority = f"{document.signing_form} {head}"
        document.agency_name = agency.name if agency else ""
        document.parent_agency_name = agency.parent_name if agency else ""
        document.save(update_fields=["year", "notation_conflict", "signer_name", "agency_name",
                                     "parent_agency_name", "signing_authority"])


class Migration(migrations.Migration):
    dependencies = [
        ("outgoing", "0004_search_text"),
        ("documents", "0003_copies_series_and_register_mark"),
        ("organization", "0002_delegation"),
    ]

    operations = [
        migrations.AddField(
            model_name="outgoingdocument", name="year",
            field=models.PositiveSmallIntegerField(editable=False, null=True, verbose_name="năm"),
        ),
        migrations.AddField(
            model_name="outgoingdocument", name="notation_conflict",
            field=models.BooleanField(
                default=False, editable=False, verbose_name="trùng số, ký hiệu (dữ liệu cũ)",
                help_text="Văn bản phát hành trước khi có quy tắc số và ký hiệu duy nhất trong năm, "
                          "trùng với văn bản khác."),
        ),
        migrations.AddField(
            model_name="outgoingdocument", name="signer_name",
            field=models.CharField(default="", max_length=150, verbose_name="họ tên người ký"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="outgoingdocument", name="signing_authority",
            field=models.CharField(blank=True, help_text="Ví dụ: KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC.", max_length=300,
                                   verbose_name="quyền hạn, chức vụ ký"),
        ),
        migrations.AddField(
            model_name="outgoingdocument", name="agency_name",
            field=models.CharField(default="", max_length=255, verbose_name="tên cơ quan ban hành"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="outgoingdocument", name="parent_agency_name",
            field=models.CharField(blank=True, max_length=255, verbose_name="tên cơ quan chủ quản"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
