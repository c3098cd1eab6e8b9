import csv

from django.contrib import admin
from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from qlvb.core.admin_site import ReadOnlyAdmin

from .models import AccessLog, AuditEntry
from .services import record

EXPORT_COLUMNS = ["id", "at", "actor", "on_behalf_of", "action", "object_type", "object_id", "object_repr", "ip",
                  "changes", "hash"]


class _Echo:
    def write(self, value):
        return value


@admin.action(description=_("Xuất các dòng đã chọn ra CSV"))
def export_csv(modeladmin, request, queryset):
    """Streamed, so exporting a year of entries does not load them all in memory."""
    record(actor=request.user, action="audit.export", changes={"rows": queryset.count()})
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff" + writer.writerow(EXPORT_COLUMNS)
        for entry in queryset.select_related("actor", "on_behalf_of").order_by("id").iterator(chunk_size=2000):
            yield writer.writerow([entry.pk, entry.at.isoformat(), entry.actor or "", entry.on_behalf_of or "",
                                   entry.action, entry.object_type, entry.object_id, entry.object_repr,
                                   entry.ip or "", entry.changes, entry.hash])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="nhat-ky-he-thong.csv"'
    return response


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """Read-only: the trail is append-only."""

    list_display = ["at", "actor", "on_behalf_of", "action", "object_repr", "ip"]
    list_filter = ["action"]
    search_fields = ["object_repr", "actor__full_name", "actor__username", "ip"]
    date_hierarchy = "at"
    list_select_related = ["actor", "on_behalf_of"]
    actions = [export_csv]


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    """Read-only: the access history is append-only (F-5.a, F-6.l); filters and the Excel export are on
    /administration/access-log/."""

    list_display = ["at", "person", "action", "object_repr", "file_name", "ip"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "person__full_name", "person__username", "ip"]
    date_hierarchy = "at"
    list_select_related = ["person"]
