"""The public search: one form over practices, structures and films (django-filter).

The same FilterSet filters each of the three querysets; each filter knows, per model,
which relations lead to a territory, a theme, a lever or a structure's status.
"""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from levers.models import Lever
from territories.models import Territory

from .models import Accreditation, Film, LegalForm, Practice, Role, Structure, Theme
from .search import search

# For each model, the lookups that lead from a record to what a filter is about.
PATHS = {
    Practice: {
        "territory": ["territory"],
        "theme": ["themes"],
        "lever": ["levers"],
        "structure": ["structures"],
    },
    Structure: {
        "territory": ["territory"],
        "theme": ["themes"],
        "lever": ["practices__levers"],
        "structure": [""],
    },
    Film: {
        "territory": ["practice__territory", "structure__territory"],
        "theme": ["practice__themes", "structure__themes"],
        "lever": ["practice__levers"],
        "structure": ["structure", "practice__structures"],
    },
}

TYPES = {"practice": Practice, "structure": Structure, "film": Film}


def lookup(path, tail):
    return f"{path}__{tail}" if path else tail


def through(queryset, about, tail, value):
    """Records related through any of the model's paths to `about` whose `tail` is value."""
    condition = Q()
    for path in PATHS[queryset.model][about]:
        condition |= Q(**{lookup(path, tail): value})
    # A subquery rather than joins: no duplicate rows when several paths match.
    return queryset.filter(pk__in=queryset.model.objects.filter(condition).values("pk"))


def status_choices():
    """'Status' as a person says it: a legal form, an accreditation, or PTCE."""
    choices = [(f"form-{value}", label) for value, label in LegalForm.choices]
    choices += [(f"acc-{a.slug}", a.name) for a in Accreditation.objects.all()]
    choices.append(("ptce", Role.PTCE.label))
    return choices


class SortChoices:
    RELEVANCE = "relevance"
    NAME = "name"
    YEAR = "year"
    choices = [(RELEVANCE, _("Relevance")), (NAME, _("Name")), (YEAR, _("Year (newest first)"))]


class CatalogueFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Words to look for"), method="filter_text", max_length=500, strip=True
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Territory.objects.regions(),
        to_field_name="slug",
        method="filter_within",
        empty_label=_("All regions"),
    )
    country = django_filters.ModelChoiceFilter(
        label=_("Country"),
        queryset=Territory.objects.countries(),
        to_field_name="slug",
        method="filter_within",
        empty_label=_("All countries"),
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        method="filter_theme",
        empty_label=_("All themes"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=status_choices,
        method="filter_status",
        empty_label=_("All statuses"),
    )
    lever = django_filters.ModelChoiceFilter(
        label=_("Lever"),
        queryset=Lever.objects.all(),
        to_field_name="number",
        method="filter_lever",
        empty_label=_("All levers"),
    )
    type = django_filters.ChoiceFilter(
        label=_("Type of record"),
        choices=[
            ("practice", _("Practices")),
            ("structure", _("Structures")),
            ("film", _("Films")),
        ],
        method="filter_type",
        empty_label=_("All types"),
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=SortChoices.choices,
        method="filter_nothing",
        empty_label=None,
        widget=forms.Select,
    )

    FACETS = ["type", "region", "country", "theme", "status", "lever"]

    def filter_text(self, queryset, name, value):
        return search(queryset, value)

    def filter_within(self, queryset, name, territory):
        return through(queryset, "territory", "path__startswith", territory.path)

    def filter_theme(self, queryset, name, theme):
        return through(queryset, "theme", "pk", theme.pk)

    def filter_lever(self, queryset, name, lever):
        return through(queryset, "lever", "pk", lever.pk)

    def filter_status(self, queryset, name, value):
        if value == "ptce":
            return through(queryset, "structure", "role", Role.PTCE)
        kind, _sep, code = value.partition("-")
        if kind == "form":
            return through(queryset, "structure", "legal_form", code)
        return through(queryset, "structure", "accreditations__slug", code)

    def filter_type(self, queryset, name, value):
        return queryset if TYPES.get(value) is queryset.model else queryset.none()

    def filter_nothing(self, queryset, name, value):
        return queryset  # sorting is done on the merged results, see views.search
