"""Admin pieces every app uses."""

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.admin import GenericTabularInline
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.forms import ImportForm

from .spreadsheets import ImportRefused, SafeCSV, SafeXLSX

FORMATS = [SafeCSV, SafeXLSX]  # what curators use; every changelist exports as CSV


class LimitedImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                gettext("The file is larger than %(max)s MB: split it into several files.")
                % {"max": settings.IMPORT_MAX_BYTES // 1_000_000}
            )
        return upload


class LimitedImportMixin:
    """For admins that import: files within limits, and a refusal that says why."""

    import_form_class = LimitedImportForm

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportRefused):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)


class CitationInline(GenericTabularInline):
    # By name: the Citation model belongs to catalogue, which this module must not import.
    model = apps.get_model("catalogue", "Citation")
    extra = 0
    autocomplete_fields = ["source"]
    verbose_name = _("source and place in it")
    verbose_name_plural = _("sources (provenance)")
