"""CSV/XLSX import and export of structures, practices, people and key figures
(django-import-export).

Rows are matched by slug; relations are given by slug, several separated by "|".
The admin first shows a dry run row by row; nothing is written until staff confirm,
and the whole file is one transaction: one bad row and nothing is imported.
"""

import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from levers.models import ActionArea, Lever
from territories.models import Territory

from .models import Accreditation, Figure, Person, Practice, Status, Structure, Theme
from .models.figures import plain_number


def unknown(model, values):
    return ValueError(
        _("Unknown %(model)s: %(values)s.")
        % {"model": model._meta.verbose_name, "values": ", ".join(values)}
    )


class SlugWidget(widgets.ForeignKeyWidget):
    """A related record by slug; an unknown slug is a clear row error."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise unknown(self.model, [value]) from None


class SlugsWidget(widgets.ManyToManyWidget):
    """Related records by slug, separated by "|"; unknown ones are an error, not dropped."""

    def clean(self, value, row=None, **kwargs):
        found = super().clean(value, row, **kwargs)
        wanted = [v.strip() for v in str(value or "").split(self.separator) if v.strip()]
        known = {str(getattr(obj, self.field)) for obj in found}
        missing = [v for v in wanted if v not in known]
        if missing:
            raise unknown(self.model, missing)
        return found


class NumberWidget(widgets.Widget):
    """A figure's number: written plain ("1060", "10.5"), read as people type it in
    either language ("1 060", "10,5")."""

    def clean(self, value, row=None, **kwargs):
        text = re.sub(r"[\s\u00a0\u202f]", "", str(value or ""))
        if not text:
            return None
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            return Decimal(text)
        except InvalidOperation:
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value}) from None

    def render(self, value, obj=None, **kwargs):
        return plain_number(value)


def slugs(model, field="slug"):
    return SlugsWidget(model, field=field, separator="|")


class CuratedResource(resources.ModelResource):
    """What every import shares: rows matched by slug, new records as drafts, and the
    status of a published record left to those who may publish."""

    class Meta:
        import_id_fields = ["slug"]
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_transactions = True

    def __init__(self, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def before_import_row(self, row, **kwargs):
        for key, value in list(row.items()):
            if isinstance(value, str):
                row[key] = value.strip()

    def import_instance(self, instance, row, **kwargs):
        # The status is changed in the admin, by the people allowed to, never by a file:
        # new records arrive as drafts, existing ones keep theirs.
        status = instance.status if instance.pk else Status.DRAFT
        super().import_instance(instance, row, **kwargs)
        instance.status = status
        if status == Status.PUBLISHED and not self.can_publish():
            raise ValidationError(
                _("“%(slug)s” is published: only an editor can change it by import.")
                % {"slug": instance.slug}
            )

    def can_publish(self):
        perm = f"catalogue.publish_{self._meta.model._meta.model_name}"
        return self.user is not None and self.user.has_perm(perm)


class RecordResource(CuratedResource):
    territory = fields.Field(
        attribute="territory",
        column_name="territory",
        widget=SlugWidget(Territory, field="slug"),
    )
    themes = fields.Field(attribute="themes", column_name="themes", widget=slugs(Theme))

    class Meta(CuratedResource.Meta):
        pass


class PersonResource(CuratedResource):
    """People in bulk (name, summary, practices); their roles are edited in the admin."""

    practices = fields.Field(
        attribute="practices", column_name="practices", widget=slugs(Practice)
    )

    class Meta(CuratedResource.Meta):
        model = Person
        fields = [
            "slug", "name", "summary_fr", "summary_en", "practices", "original_language",
            "status",
        ]  # fmt: skip
        export_order = fields


class StructureResource(RecordResource):
    accreditations = fields.Field(
        attribute="accreditations", column_name="accreditations", widget=slugs(Accreditation)
    )

    class Meta(RecordResource.Meta):
        model = Structure
        fields = [
            "slug", "name_fr", "name_en", "acronym", "legal_form", "accreditations", "role",
            "territory", "themes", "year_founded", "website", "description_fr",
            "description_en", "original_language",
            "status",
        ]  # fmt: skip
        export_order = fields


class PracticeResource(RecordResource):
    structures = fields.Field(
        attribute="structures", column_name="structures", widget=slugs(Structure)
    )
    levers = fields.Field(
        attribute="levers", column_name="levers", widget=slugs(Lever, field="number")
    )
    action_areas = fields.Field(
        attribute="action_areas", column_name="action_areas", widget=slugs(ActionArea)
    )

    class Meta(RecordResource.Meta):
        model = Practice
        fields = [
            "slug", "title_fr", "title_en", "summary_fr", "summary_en", "description_fr",
            "description_en", "territory", "themes", "structures", "levers", "action_areas",
            "period_fr", "period_en", "year_start", "year_end", "original_language", "status",
        ]  # fmt: skip
        export_order = fields


class FigureResource(RecordResource):
    """Key figures in bulk: a curator checks or completes them in a spreadsheet."""

    structure = fields.Field(
        attribute="structure", column_name="structure", widget=SlugWidget(Structure, "slug")
    )
    practice = fields.Field(
        attribute="practice", column_name="practice", widget=SlugWidget(Practice, "slug")
    )
    lever = fields.Field(
        attribute="lever", column_name="lever", widget=SlugWidget(Lever, field="number")
    )
    value = fields.Field(attribute="value", column_name="value", widget=NumberWidget())
    value_to = fields.Field(attribute="value_to", column_name="value_to", widget=NumberWidget())
    out_of = fields.Field(attribute="out_of", column_name="out_of", widget=NumberWidget())

    class Meta(RecordResource.Meta):
        model = Figure
        fields = [
            "slug", "value", "value_to", "out_of", "qualifier", "kind", "label_fr", "label_en",
            "year", "sentence_fr", "sentence_en", "territory", "structure", "practice", "lever",
            "themes", "original_language", "status",
        ]  # fmt: skip
        export_order = fields
