from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from qlvb.backup.services import verify_archive


class Command(BaseCommand):
    help = "Kiểm tra một bản sao lưu (mọi tệp khớp mã băm trong bản kê) mà không phục hồi."

    def add_arguments(self, parser):
        parser.add_argument("archive")

    def handle(self, *args, archive, **options):
        try:
            manifest = verify_archive(archive)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        rows = sum(manifest["counts"].values())
        self.stdout.write(self.style.SUCCESS(
            f"Bản sao lưu nguyên vẹn: {rows} bản ghi, {len(manifest['files'])} tệp, tạo lúc {manifest['created_at']}."))
