import time

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from qlvb.monitoring.leadership import Leadership
from qlvb.monitoring.scheduler import run_due


class Command(BaseCommand):
    help = ("Chạy các việc định kỳ (tổng hợp việc cần làm vào các giờ kiểm tra, nhắc hạn, sao lưu hằng đêm). "
            "Trên PostgreSQL chỉ một bộ lập lịch trong cụm chạy (khóa điều phối), các bộ khác chờ và thay "
            "thế trong vài giây khi nó dừng; chạy thêm hay khởi động lại đều không gửi trùng.")

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true",
                            help="Chạy một lần rồi thoát (dùng với cron); không chạy nếu bộ lập lịch khác đang chạy.")
        parser.add_argument("--interval", type=int, default=30, help="Số giây giữa hai lần chạy.")
        parser.add_argument("--retry", type=float, default=3,
                            help="Số giây giữa hai lần thử nhận khóa khi bộ lập lịch khác đang chạy.")

    def handle(self, *args, once=False, interval=30, retry=3, **options):
        leadership = Leadership()
        leading = None  # unknown before the first try: the first state is always said
        try:
            while True:
                now_leading = leadership.is_leader()
                if now_leading != leading:
                    leading = now_leading
                    self.stdout.write(_("Bộ lập lịch này chạy các việc định kỳ.") if leading else
                                      _("Bộ lập lịch khác đang chạy các việc định kỳ; thử lại sau mỗi %(s)s giây.")
                                      % {"s": retry})
                if leading:
                    result = run_due()
                    if any(result.values()) or options["verbosity"] > 1:
                        self.stdout.write(f"run_due: {result}")
                if once:
                    return
                time.sleep(interval if leading else retry)
        finally:
            leadership.release()
