from django.core.management.base import BaseCommand

from qlvb.organization.models import Agency
from qlvb.signing import demo


class Command(BaseCommand):
    help = ("Tạo CA mẫu “QLVB DEMO CA” (được tin cậy), chứng thư số của cơ quan và của từng lãnh đạo "
            "(đánh dấu DEMO). Chạy lại nhiều lần vẫn an toàn.")

    def handle(self, *args, **options):
        agency = Agency.objects.order_by("id").first()
        if agency is None:
            self.stderr.write("Chưa có cơ quan: hãy chạy seed_demo trước.")
            return
        made = demo.load(agency)
        self.stdout.write(self.style.SUCCESS(f"CA mẫu sẵn sàng; tạo mới {len(made)} chứng thư số."))
        for credential in made:
            self.stdout.write(f"  {credential.label}")
        self.stdout.write(f"Mã PIN của mọi chứng thư mẫu: {demo.DEMO_PIN}")
