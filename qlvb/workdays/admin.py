from django.contrib import admin

from qlvb.workdays.models import DayOverride


@admin.register(DayOverride)
class DayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "note"]
    list_filter = ["kind"]
    date_hierarchy = "date"
    search_fields = ["note"]
    ordering = ["-date"]
