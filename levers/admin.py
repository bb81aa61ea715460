from django.contrib import admin
from import_export.admin import ExportMixin
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from reversion.admin import VersionAdmin

from core.admin import FORMATS, CitationInline

from .models import Action, ActionArea, Lever


@admin.register(Lever)
class LeverAdmin(ExportMixin, VersionAdmin, TabbedTranslationAdmin):
    formats = FORMATS
    list_display = ["number", "short_title"]
    list_display_links = ["number", "short_title"]
    search_fields = ["short_title_fr", "short_title_en", "text_fr", "text_en"]
    inlines = [CitationInline]


class ActionInline(TranslationTabularInline):
    model = Action
    extra = 0
    fields = ["order", "text", "slug"]


@admin.register(ActionArea)
class ActionAreaAdmin(ExportMixin, VersionAdmin, TabbedTranslationAdmin):
    formats = FORMATS
    list_display = ["title", "part", "order"]
    list_filter = ["part"]
    search_fields = ["title_fr", "title_en", "slug"]
    prepopulated_fields = {"slug": ["title_fr"]}
    inlines = [ActionInline, CitationInline]


@admin.register(Action)
class ActionAdmin(ExportMixin, VersionAdmin, TabbedTranslationAdmin):
    formats = FORMATS
    list_display = ["text", "area", "order"]
    list_filter = ["area__part", "area"]
    list_select_related = ["area"]
    search_fields = ["text_fr", "text_en"]
    autocomplete_fields = ["area"]
