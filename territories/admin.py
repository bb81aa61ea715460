from django.contrib import admin
from import_export.admin import ExportMixin
from modeltranslation.admin import TabbedTranslationAdmin
from reversion.admin import VersionAdmin

from core.admin import FORMATS

from .models import Territory


@admin.register(Territory)
class TerritoryAdmin(ExportMixin, VersionAdmin, TabbedTranslationAdmin):
    formats = FORMATS
    list_display = ["name", "kind", "code", "insee_code", "parent"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name_fr", "name_en", "code", "insee_code", "slug"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name_fr"]}
    readonly_fields = ["path"]
