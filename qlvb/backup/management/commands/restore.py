import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from qlvb.backup.services import restore_backup


class Command(BaseCommand):
    help = "Phục hồi cơ sở dữ liệu và kho tệp từ một bản sao lưu (THAY THẾ toàn bộ dữ liệu hiện có)."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="Không hỏi xác nhận.")

    def handle(self, *args, archive, yes=False, **options):
        if not yes:
            if not sys.stdin.isatty():
                raise CommandError("Cần --yes khi không chạy trên màn hình tương tác.")
            answer = input("Toàn bộ dữ liệu hiện có sẽ bị thay thế. Gõ 'dong y' để tiếp tục: ")
            if answer.strip().lower() != "dong y":
                raise CommandError("Đã hủy.")
        try:
            manifest = restore_backup(archive)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(f"Đã phục hồi bản sao lưu tạo lúc {manifest['created_at']}."))
