import time

from django.core.management.base import BaseCommand

from qlvb.monitoring.scheduler import run_due


class Command(BaseCommand):
    help = ("Chạy các việc định kỳ (tổng hợp việc cần làm vào các giờ kiểm tra, nhắc hạn). "
            "Chạy một tiến trình bên cạnh db_worker; chạy thêm hay khởi động lại đều không gửi trùng.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Chạy một lần rồi thoát (dùng với cron).")
        parser.add_argument("--interval", type=int, default=30)

    def handle(self, *args, once=False, interval=30, **options):
        while True:
            result = run_due()
            if any(result.values()):
                self.stdout.write(f"{result}")
            if once:
                return
            time.sleep(interval)
