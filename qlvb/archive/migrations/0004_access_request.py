import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('archive', '0003_disposal'),
        ('records', '0008_record_construction_archived'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AccessRequest',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('requested_at', models.DateTimeField(auto_now_add=True, verbose_name='ngày đề nghị')),
                ('reason', models.TextField(verbose_name='mục đích khai thác')),
                ('state', models.CharField(choices=[('pending', 'Chờ phê duyệt'), ('approved', 'Đã đồng ý'), ('refused', 'Không đồng ý')], default='pending', max_length=10, verbose_name='trạng thái')),
                ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='ngày phê duyệt')),
                ('until', models.DateField(blank=True, null=True, verbose_name='được khai thác đến hết ngày')),
                ('decision_note', models.TextField(blank=True, verbose_name='ý kiến phê duyệt')),
                ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người phê duyệt')),
                ('record', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='access_requests', to='records.workrecord', verbose_name='hồ sơ')),
                ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='người đề nghị')),
            ],
            options={
                'verbose_name': 'đề nghị khai thác hồ sơ lưu trữ',
                'verbose_name_plural': 'đề nghị khai thác hồ sơ lưu trữ',
                'ordering': ['-requested_at', '-id'],
                'indexes': [models.Index(fields=['requested_by', 'state', 'until'], name='archive_access_grant_idx')],
            },
        ),
    ]
