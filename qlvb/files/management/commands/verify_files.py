from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qlvb.files.models import Blob
from qlvb.files.storage import FileCorrupted, ensure_verdict, verify


class Command(BaseCommand):
    help = ("Kiểm tra mọi tệp trong kho so với mã băm SHA-256 (và ghi nhận tệp PDF có nội dung thực thi nếu chưa "
            "kiểm tra); --prune xóa tệp không còn được tham chiếu.")

    def add_arguments(self, parser):
        parser.add_argument("--prune", action="store_true", help="Xóa tệp trên đĩa không thuộc bản ghi nào.")

    def handle(self, *args, prune=False, **options):
        bad = 0
        total = 0
        for blob in Blob.objects.iterator(chunk_size=1000):
            total += 1
            try:
                verify(blob)
                ensure_verdict(blob)  # files stored before the active-content check (migration 0002)
            except FileCorrupted as exc:
                bad += 1
                self.stderr.write(f"{blob.sha256}: {exc}")
        if prune:
            self._prune()
        if bad:
            raise CommandError(f"{bad}/{total} tệp bị thay đổi, hỏng hoặc mất.")
        self.stdout.write(self.style.SUCCESS(f"Đã kiểm tra {total} tệp: tất cả nguyên vẹn."))

    def _prune(self):
        known = set(Blob.objects.values_list("sha256", flat=True))
        removed = 0
        for path in settings.QLVB_FILES_DIR.glob("*/*/*"):
            if path.is_file() and path.name not in known:
                path.unlink()
                removed += 1
        for path in settings.QLVB_FILES_DIR.glob(".upload-*"):
            path.unlink()
            removed += 1
        self.stdout.write(f"Đã xóa {removed} tệp không được tham chiếu.")
