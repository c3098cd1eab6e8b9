from django.conf import settings
from django.core.management.base import BaseCommand

from qlvb.backup.services import create_backup


class Command(BaseCommand):
    help = "Sao lưu nhất quán cơ sở dữ liệu và kho tệp vào một tệp .tar kèm bản kê SHA-256."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Thư mục lưu (mặc định QLVB_BACKUP_DIR).")
        parser.add_argument("--keep", type=int, default=settings.QLVB_BACKUP_KEEP,
                            help="Giữ lại bấy nhiêu bản mới nhất (0: giữ tất cả).")

    def handle(self, *args, output=None, keep=0, **options):
        path = create_backup(output_dir=output, keep=keep)
        self.stdout.write(self.style.SUCCESS(f"Đã sao lưu: {path}"))
