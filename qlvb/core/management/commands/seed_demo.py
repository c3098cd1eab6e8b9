from django.core.management.base import BaseCommand

from qlvb.organization import demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: Sở Giao thông vận tải với lãnh đạo, đơn vị, cán bộ (chạy lại nhiều lần vẫn an toàn)."

    def handle(self, *args, **options):
        agency = demo.load()
        for loader in demo_loaders():
            loader(agency)
        self.stdout.write(self.style.SUCCESS(f"Đã nạp dữ liệu mẫu: {agency.name}"))
        self.stdout.write(f"Tài khoản mẫu (mật khẩu chung: {demo.DEMO_PASSWORD}):")
        for role, username in demo.LOGINS:
            self.stdout.write(f"  {role:<26} {username}")


def demo_loaders():
    """Demo data of the document apps, in dependency order; each app adds its own as it lands."""
    from qlvb.archive import demo as archive
    from qlvb.documents import demo as documents
    from qlvb.incoming import demo as incoming
    from qlvb.outgoing.rendering import demo as rendering
    from qlvb.records import demo as records
    from qlvb.signing import demo as signing  # demo CA + certificates: ~2 s of CPU, most of it RSA keys

    return [documents.load, incoming.load, archive.load, records.load, rendering.load, signing.load]
