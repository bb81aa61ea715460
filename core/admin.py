"""Admin pieces every app uses."""

from django.apps import apps
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext_lazy as _
from import_export.formats.base_formats import CSV, XLSX

FORMATS = [CSV, XLSX]  # what curators use; every changelist exports as CSV


class CitationInline(GenericTabularInline):
    # By name: the Citation model belongs to catalogue, which this module must not import.
    model = apps.get_model("catalogue", "Citation")
    extra = 0
    autocomplete_fields = ["source"]
    verbose_name = _("source and place in it")
    verbose_name_plural = _("sources (provenance)")
