from django.contrib import admin
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TabbedTranslationAdmin

from .models import Accreditation, Citation, Film, Practice, Source, Structure, Theme


class CitationInline(GenericTabularInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["source"]
    verbose_name = _("source and place in it")
    verbose_name_plural = _("sources (provenance)")


class RecordAdmin(TabbedTranslationAdmin):
    """What structures, practices and films share in the admin."""

    inlines = [CitationInline]
    list_per_page = 50
    readonly_fields = ["created_at", "updated_at"]
    prepopulated_fields = {}
    actions = ["publish", "unpublish"]

    @admin.action(description=_("Publish the selected records"))
    def publish(self, request, queryset):
        count = queryset.update(status="published")
        self.message_user(request, _("%(count)d record(s) published.") % {"count": count})

    @admin.action(description=_("Return the selected records to draft"))
    def unpublish(self, request, queryset):
        count = queryset.update(status="draft")
        self.message_user(request, _("%(count)d record(s) returned to draft.") % {"count": count})


@admin.register(Structure)
class StructureAdmin(RecordAdmin):
    list_display = ["name", "legal_form", "role", "territory", "status", "updated_at"]
    list_filter = [
        "status",
        "legal_form",
        "role",
        "accreditations",
        "themes",
        ("territory", admin.RelatedOnlyFieldListFilter),
        "citations__source",
        "original_language",
    ]
    list_select_related = ["territory"]
    search_fields = ["name_fr", "name_en", "acronym", "slug"]
    autocomplete_fields = ["territory", "themes", "accreditations", "ptces"]
    prepopulated_fields = {"slug": ["name_fr"]}
    fieldsets = [
        (None, {"fields": ["name", "acronym", "slug", "status", "original_language"]}),
        (
            _("Status"),
            {"fields": ["legal_form", "accreditations", "role", "ptces"]},
        ),
        (
            _("Place and themes"),
            {"fields": ["territory", "themes", "year_founded", "website"]},
        ),
        (_("Presentation"), {"fields": ["description", "key_figures", "logo", "logo_alt"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]


@admin.register(Practice)
class PracticeAdmin(RecordAdmin):
    list_display = ["title", "territory", "year_start", "status", "updated_at"]
    list_filter = [
        "status",
        "themes",
        "levers",
        "action_areas",
        ("territory", admin.RelatedOnlyFieldListFilter),
        "citations__source",
        "original_language",
    ]
    list_select_related = ["territory"]
    search_fields = ["title_fr", "title_en", "slug"]
    autocomplete_fields = ["territory", "themes", "structures", "levers", "action_areas"]
    prepopulated_fields = {"slug": ["title_fr"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "original_language"]}),
        (_("Content"), {"fields": ["summary", "description"]}),
        (
            _("Links"),
            {"fields": ["territory", "themes", "structures", "levers", "action_areas"]},
        ),
        (_("Period"), {"fields": ["period", "year_start", "year_end"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]


@admin.register(Film)
class FilmAdmin(RecordAdmin):
    list_display = ["title", "director", "year", "practice", "status"]
    list_filter = ["status", "producing_project", "citations__source", "original_language"]
    list_select_related = ["practice"]
    search_fields = ["title_fr", "title_en", "director", "slug"]
    autocomplete_fields = ["practice", "structure"]
    prepopulated_fields = {"slug": ["title_fr"]}
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "original_language"]}),
        (
            _("Film"),
            {"fields": ["director", "producing_project", "year", "language", "video_url"]},
        ),
        (_("Shows"), {"fields": ["practice", "structure"]}),
        (_("Presentation"), {"fields": ["description", "poster", "poster_alt"]}),
        (_("History"), {"fields": ["created_at", "updated_at"]}),
    ]


@admin.register(Theme, Accreditation)
class VocabularyAdmin(TabbedTranslationAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name_fr", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_fr"]}


@admin.register(Source)
class SourceAdmin(TabbedTranslationAdmin):
    list_display = ["title", "publisher", "language", "year", "file_name"]
    list_filter = ["language"]
    search_fields = ["title_fr", "title_en", "publisher", "file_name"]
    prepopulated_fields = {"slug": ["title_fr"]}


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["source", "locator", "content_type", "object_id"]
    list_filter = ["source", "content_type"]
    list_select_related = ["source", "content_type"]
    search_fields = ["locator"]
