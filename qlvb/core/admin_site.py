"""Django admin, opened to the system administrator role only (not to Django's is_staff flag)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


class QLVBAdminSite(admin.AdminSite):
    site_header = _("QLVB – Quản trị hệ thống")
    site_title = _("QLVB")
    index_title = _("Danh mục quản trị")

    def has_permission(self, request):
        from qlvb.access import Action, can

        if can(request.user, Action.ADMINISTER):
            return True
        if request.user.is_authenticated:
            # A signed-in person without the role gets the 403 page, not a second login form.
            raise PermissionDenied
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the admin may look at but never add, change or delete here (the audit trail, issued documents)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class QLVBAdminConfig(AdminConfig):
    default_site = "qlvb.core.admin_site.QLVBAdminSite"
