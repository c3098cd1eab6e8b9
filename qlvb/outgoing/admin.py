from django.contrib import admin
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from qlvb.core.admin_site import ReadOnlyAdmin

from .models import OutgoingDocument


@admin.register(OutgoingDocument)
class OutgoingDocumentAdmin(ReadOnlyAdmin):
    """Issued documents never change here: the only correction is the issue date, on its own audited page."""

    list_display = ["notation", "issued_on", "register", "notation_conflict", "correct_date"]
    list_filter = ["year", "notation_conflict", "register__is_confidential"]
    search_fields = ["notation"]
    fields = list_display[:-1]
    readonly_fields = fields

    def get_queryset(self, request):
        # Confidential ones only for the keepers of their register, as everywhere else.
        return super().get_queryset(request).select_related("register").filter(
            Q(register__is_confidential=False) | Q(register__keepers=request.user)).distinct()

    @admin.display(description=_("Sửa ngày ban hành"))
    def correct_date(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("outgoing:issue_date", args=[obj.pk]), _("Sửa ngày"))
