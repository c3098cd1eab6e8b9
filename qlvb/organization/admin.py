from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Agency, Field, Person, Position, RoleGrant, Unit


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "identifier", "place_name"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "kind", "parent", "order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "abbreviation"]
    list_select_related = ["parent"]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "rank", "is_deputy"]


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "leader"]
    filter_horizontal = ["units"]
    list_select_related = ["leader"]


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0


@admin.register(Person)
class PersonAdmin(UserAdmin):
    list_display = ["username", "full_name", "position", "unit", "email", "is_active"]
    list_filter = ["is_active", "unit", "position"]
    search_fields = ["username", "full_name", "email"]
    ordering = ["full_name"]
    inlines = [RoleGrantInline]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin cán bộ"), {"fields": ("full_name", "email", "phone", "unit", "position")}),
        (_("Trạng thái"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "full_name", "email", "unit", "position",
                                                 "password1", "password2")}),
    )
    readonly_fields = ["last_login", "date_joined"]
