"""Build the full-text index again from every document, draft and record (after a restore, or for a
database that existed before the index), and queue the reading of files never read."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Ghi lại chỉ mục tìm kiếm toàn văn; đọc nội dung các tệp chưa đọc (trong hàng đợi tác vụ)."

    def add_arguments(self, parser):
        parser.add_argument("--files", action="store_true", help="Queue the text of attached files never read.")

    def handle(self, *args, files=False, **options):
        from qlvb.documents import fulltext

        if files:
            from qlvb.files.texts import request_text
            from qlvb.incoming.models import Attachment
            from qlvb.outgoing.models import OutgoingDocument
            from qlvb.records.models import Version

            request_text([*Attachment.objects.values_list("blob_id", flat=True),
                          *OutgoingDocument.objects.exclude(blob=None).values_list("blob_id", flat=True),
                          *Version.objects.exclude(blob=None).values_list("blob_id", flat=True)])
        written = fulltext.reindex_all()
        self.stdout.write(f"{written} entries indexed")
