from django.contrib import admin

from .models import DocumentType, ExternalAgency, Register


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ["name", "abbreviation", "is_copy", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(ExternalAgency)
class ExternalAgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "identifier", "is_active"]
    search_fields = ["name", "identifier"]


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "year", "code", "mark", "is_confidential", "last_number", "is_active"]
    list_filter = ["kind", "year", "is_confidential"]
    readonly_fields = ["last_number"]
    filter_horizontal = ["keepers"]
