import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from qlvb.backup.services import current_data, describe, restore_backup, verify_archive


class Command(BaseCommand):
    help = ("Phục hồi cơ sở dữ liệu và kho tệp từ một bản sao lưu. Nếu đang có dữ liệu, toàn bộ sẽ bị THAY THẾ "
            "(sau khi được sao lưu).")

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="Đồng ý thay thế dữ liệu hiện có, không hỏi lại.")

    def handle(self, *args, archive, yes=False, **options):
        try:
            manifest = verify_archive(archive)
            held = current_data()
            if any(held.values()) and not yes:
                self._confirm(describe(held))
            restore_backup(archive, replace=any(held.values()))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Đã phục hồi bản sao lưu tạo lúc {manifest['created_at']}: {sum(manifest['counts'].values())} bản ghi, "
            f"{len(manifest['files'])} tệp."))

    def _confirm(self, situation):
        if not sys.stdin.isatty():
            raise CommandError(f"{situation} Chạy lại với --yes để đồng ý.")
        answer = input(f"{situation}\nGõ 'dong y' để tiếp tục: ")
        if answer.strip().lower() != "dong y":
            raise CommandError("Đã hủy, dữ liệu không thay đổi.")
