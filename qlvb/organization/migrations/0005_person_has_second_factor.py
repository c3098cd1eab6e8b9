from django.db import migrations, models


def copy_devices(apps, schema_editor):
    Person = apps.get_model("organization", "Person")
    owners = set()
    for model in (apps.get_model("otp_totp", "TOTPDevice"), apps.get_model("otp_static", "StaticDevice")):
        owners.update(model.objects.filter(confirmed=True).values_list("user_id", flat=True))
    Person.objects.filter(pk__in=owners).update(has_second_factor=True)


class Migration(migrations.Migration):
    dependencies = [
        ("organization", "0004_organ_id_validator"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="has_second_factor",
            field=models.BooleanField(default=False, editable=False, verbose_name="có xác thực hai lớp"),
        ),
        migrations.RunPython(copy_devices, migrations.RunPython.noop),
    ]
