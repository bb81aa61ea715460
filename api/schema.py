"""The OpenAPI description of the API (drf-spectacular): every answer's shape, the
errors each operation may give, and the search's parameters with their values, read
from the catalogue's vocabulary when the schema is generated."""

import functools

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from catalogue.search.engine import FACETS, SortChoices, vocabulary
from catalogue.search.text import MAX_QUERY_LENGTH
from core.models import Language

from .serializers import TextsSchema, UrlsSchema

MAX_LIMIT = 100
PARAMETER_HELP = {
    "q": "Words to look for, in French or English: several words (all of them), "
    '"a phrase", -word (without it), word* (a prefix).',
    "type": "The kind of record.",
    "region": "A French region (records in its departments, cities and pre-2016 regions "
    "included).",
    "country": "A country.",
    "theme": "A theme.",
    "status": "A legal form (form-...), an accreditation (acc-...) or ptce.",
    "lever": "One of the study's ten levers, by number.",
}


class ErrorSchema(serializers.Serializer):
    detail = serializers.CharField(help_text="What is wrong, in the client's language.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For each wrong parameter, what is wrong with it.",
    )


class LicenceSchema(serializers.Serializer):
    name = serializers.CharField()
    title = serializers.CharField()
    path = serializers.URLField()


class FacetChoiceSchema(serializers.Serializer):
    value = serializers.CharField(help_text="The parameter's value that chooses it.")
    label = TextsSchema()
    count = serializers.IntegerField(help_text="How many results it would give.")
    exact = serializers.BooleanField(help_text="False: an estimate, rounded.")
    selected = serializers.BooleanField()


class ResultSchema(serializers.Serializer):
    type = serializers.CharField()
    key = serializers.CharField(help_text="Its slug (a lever: its number).")
    name = TextsSchema()
    place = TextsSchema()
    themes = serializers.ListField(child=serializers.CharField(), help_text="Theme slugs.")
    url = UrlsSchema()
    api_url = serializers.URLField()


@functools.cache
def search_page_schema(facets):
    """The answer of a search list, with a key for each of its `facets`: the search of
    every kind, or a list of one kind (no "type")."""
    prefix = "Search" if "type" in facets else "KindSearch"
    facet_fields = {name: FacetChoiceSchema(many=True) for name in facets}
    facets_schema = type(f"{prefix}Facets", (serializers.Serializer,), facet_fields)
    fields = {
        "count": serializers.IntegerField(help_text="How many records match."),
        "count_exact": serializers.BooleanField(
            help_text="False: the count is an estimate (more than 5,000 matches)."
        ),
        "sort": serializers.ChoiceField(SortChoices.values),
        "licence": LicenceSchema(),
        "next": serializers.URLField(allow_null=True, help_text="The next page, if any."),
        "facets": facets_schema(),
        "results": ResultSchema(many=True),
    }
    return type(f"{prefix}Page", (serializers.Serializer,), fields)


ERRORS = dict.fromkeys(("400", "404", "429"), ErrorSchema)


class PublicSchema(AutoSchema):
    """Every operation may answer 400, 404 or 429 with an error message."""

    def get_response_serializers(self):
        return {"200": super().get_response_serializers(), **ERRORS}


class SearchSchema(PublicSchema):
    def get_response_serializers(self):
        return {"200": search_page_schema(self.facet_names()), **ERRORS}

    def get_operation_id(self):
        return self.view.operation_id

    def facet_names(self):
        return tuple(f for f in FACETS if not (self.view.kind and f == "type"))

    def get_override_parameters(self):
        choices = vocabulary()
        parameters = [
            OpenApiParameter(
                "q",
                {"type": "string", "maxLength": MAX_QUERY_LENGTH},
                description=PARAMETER_HELP["q"],
            ),
        ]
        for facet in self.facet_names():
            parameters.append(
                OpenApiParameter(
                    facet, str, enum=[c.value for c in choices[facet]],
                    description=PARAMETER_HELP[facet],
                )
            )  # fmt: skip
        parameters += [
            OpenApiParameter(
                "sort", str, enum=SortChoices.values,
                description="The order: relevance (with words; up to 5,000 results), name "
                "or year. Default: relevance with words, else name.",
            ),
            OpenApiParameter(
                "lang", str, enum=Language.values,
                description="The language of the order by name and of the messages "
                "(default: Accept-Language, else French). Every text is given in both.",
            ),
            OpenApiParameter(
                "cursor", str, pattern=r"^[A-Za-z0-9_-]+$",
                description="The position to go on from: take it from `next`.",
            ),
            OpenApiParameter(
                "limit", {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                description=f"Results per page, 1 to {MAX_LIMIT} (default 20).",
            ),
        ]  # fmt: skip
        return parameters
