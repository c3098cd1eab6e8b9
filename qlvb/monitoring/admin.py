from django.contrib import admin

from .models import CheckTime


@admin.register(CheckTime)
class CheckTimeAdmin(admin.ModelAdmin):
    list_display = ["at", "is_active"]
    list_editable = ["is_active"]
