from django.core.management.base import BaseCommand, CommandError

from qlvb.audit.services import verify_chain


class Command(BaseCommand):
    help = "Kiểm tra chuỗi băm của nhật ký hệ thống: phát hiện bản ghi bị sửa, xóa hoặc chèn."

    def handle(self, *args, **options):
        problems = verify_chain()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"Nhật ký hệ thống KHÔNG toàn vẹn: {len(problems)} lỗi.")
        self.stdout.write(self.style.SUCCESS("Nhật ký hệ thống toàn vẹn."))
