import time
from datetime import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from qlvb.files import backends
from qlvb.files.models import Blob
from qlvb.files.storage import FileCorrupted, ensure_verdict, verify


def _age(modified: datetime | float) -> float:
    """Seconds since a content was written (a local file's mtime or an S3 object's LastModified)."""
    return time.time() - (modified.timestamp() if isinstance(modified, datetime) else modified)


def _destroyed():
    """Contents destroyed by a disposal of expired records (`archive.DestroyedFile`): their row may stay,
    named by the access history, while their bytes are gone on purpose."""
    from django.apps import apps

    return apps.get_model("archive", "DestroyedFile").objects.values("sha256")


class Command(BaseCommand):
    help = ("Kiểm tra mọi tệp trong kho so với mã băm SHA-256 (và ghi nhận tệp PDF có nội dung thực thi nếu chưa "
            "kiểm tra); --prune xóa tệp không còn được tham chiếu.")

    def add_arguments(self, parser):
        parser.add_argument("--prune", action="store_true", help="Xóa tệp trong kho không thuộc bản ghi nào.")
        parser.add_argument("--grace-minutes", type=int, default=60,
                            help="Chỉ xóa tệp đã ghi quá số phút này (tệp của một giao dịch đang chạy được giữ lại).")

    def handle(self, *args, prune=False, grace_minutes=60, **options):
        bad = 0
        total = 0
        for blob in Blob.objects.exclude(pk__in=_destroyed()).iterator(chunk_size=1000):
            total += 1
            try:
                verify(blob)
                ensure_verdict(blob)  # files stored before the active-content check (migration 0002)
            except FileCorrupted as exc:
                bad += 1
                self.stderr.write(f"{blob.sha256}: {exc}")
        if prune:
            self._prune(grace_minutes * 60)
        if bad:
            raise CommandError(f"{bad}/{total} tệp bị thay đổi, hỏng hoặc mất.")
        self.stdout.write(self.style.SUCCESS(f"Đã kiểm tra {total} tệp: tất cả nguyên vẹn."))

    def _prune(self, grace: float):
        """Remove contents no row references. A content is written before its row commits (staged and
        uploaded before the transaction), so a young one may belong to a registration still running:
        only contents older than `grace` go."""
        backend = backends.current()
        removed = 0
        old = [item.key for item in backend.listing() if _age(item.modified) > grace]
        for start in range(0, len(old), 1000):  # one query per thousand contents, not one per content
            batch = {key.rsplit("/", 1)[-1]: key for key in old[start:start + 1000]}
            known = set(Blob.objects.filter(pk__in=batch).values_list("sha256", flat=True))
            for sha, key in batch.items():
                if sha not in known:
                    backend.delete(key)
                    removed += 1
        for path in settings.QLVB_FILES_DIR.glob(".upload-*"):
            if _age(path.stat().st_mtime) > grace:
                path.unlink()
                removed += 1
        self.stdout.write(f"Đã xóa {removed} tệp không được tham chiếu.")
