from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = ("Chạy tiến trình xử lý việc nền (gửi thư, xuất báo cáo, sao lưu) theo QLVB_TASKS_BACKEND: "
            "db_worker với hàng đợi trong cơ sở dữ liệu, rqworker với Redis.")

    def add_arguments(self, parser):
        parser.add_argument("--burst", action="store_true", help="Làm hết việc đang chờ rồi thoát.")

    def handle(self, *args, burst=False, **options):
        if settings.TASKS["default"]["BACKEND"] == settings.TASK_BACKENDS["rq"]:
            # The scheduler inside the worker re-queues retries once their wait is over.
            extra = ["--burst"] if burst else []
            call_command("rqworker", "default", "--with-scheduler", "--job-class", "django_tasks_rq.Job", *extra)
        else:
            extra = ["--batch"] if burst else []
            call_command("db_worker", *extra)
