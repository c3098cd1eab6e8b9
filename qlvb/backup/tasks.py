from django.conf import settings
from django_tasks import task

from .services import create_backup


@task()
def scheduled_backup():
    """The periodic backup with retention; the scheduler (or cron: `manage.py backup`) enqueues it."""
    return str(create_backup(keep=settings.QLVB_BACKUP_KEEP))
