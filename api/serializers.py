"""What the API says of each record: every public field in both languages.

Built from the models with few declarations: a translated field becomes
{"fr": ..., "en": ...}; a field with choices, its value and its label in both
languages; a relation, links to the public records at its end (a draft at the end of
a relation is left out, a draft foreign key reads null). Every record also says its
original language, its addresses and its citations.
"""

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.relations import ManyRelatedField

from catalogue.models import (
    Accreditation,
    Citation,
    Figure,
    Film,
    FilmCredit,
    Method,
    MethodStep,
    Person,
    PersonRole,
    Practice,
    Source,
    Structure,
    Term,
    Theme,
    is_public,
)
from core.models import Language, translated_fields
from levers.models import Action, ActionArea, Lever
from territories.models import Territory

LANGUAGES = Language.values

# Each model the API serves: its endpoint, the field that names it, its lookup field.
ENDPOINTS = {
    Practice: ("practices", "title", "slug"),
    Structure: ("structures", "name", "slug"),
    Film: ("films", "title", "slug"),
    Person: ("people", "name", "slug"),
    Term: ("terms", "name", "slug"),
    Figure: ("figures", "label", "slug"),
    Method: ("methods", "title", "slug"),
    Lever: ("levers", "short_title", "number"),
    ActionArea: ("action-areas", "title", "slug"),
    Territory: ("territories", "name", "slug"),
    Theme: ("themes", "name", "slug"),
    Source: ("sources", "title", "slug"),
    Accreditation: (None, "name", "slug"),
}


def in_languages(function):
    """{"fr": function(), "en": function()}, each run in its language."""
    found = {}
    for code in LANGUAGES:
        with translation.override(code):
            found[code] = function()
    return found


def absolute(request, path):
    return request.build_absolute_uri(path) if request is not None else path


def page_urls(record, request):
    """The record's public page in each language, or None if it has none."""
    if not hasattr(record, "get_absolute_url"):
        return None
    try:
        return in_languages(lambda: absolute(request, record.get_absolute_url()))
    except NoReverseMatch:
        return None


def api_url(record, request):
    endpoint, _name, lookup = ENDPOINTS[type(record)]
    if endpoint is None:
        return None
    path = reverse(f"api:{endpoint}-detail", kwargs={lookup: getattr(record, lookup)})
    return absolute(request, path)


def texts(record, field):
    """A translated field in both languages (null where it has no text)."""
    if field not in translated_fields(type(record)):
        value = getattr(record, field) or None
        return dict.fromkeys(LANGUAGES, value)
    return {code: getattr(record, f"{field}_{code}") or None for code in LANGUAGES}


# --- the shapes, for the OpenAPI schema ---------------------------------------------


class TextsSchema(serializers.Serializer):
    fr = serializers.CharField(allow_null=True, help_text="In French.")
    en = serializers.CharField(allow_null=True, help_text="In English.")


class UrlsSchema(serializers.Serializer):
    fr = serializers.URLField(help_text="The page in French.")
    en = serializers.URLField(help_text="The page in English.")


class LinkSchema(serializers.Serializer):
    type = serializers.CharField(help_text="The kind of record: practice, structure...")
    key = serializers.CharField(help_text="Its slug (a lever: its number).")
    name = TextsSchema()
    url = UrlsSchema(allow_null=True, help_text="Its page on the site.")
    api_url = serializers.URLField(allow_null=True, help_text="Its record in this API.")


class ChoiceSchema(serializers.Serializer):
    value = serializers.CharField()
    label = TextsSchema()


class LanguagesSchema(serializers.Serializer):
    original = serializers.ChoiceField(
        Language.choices, help_text="The language of the source the record was taken from."
    )
    translations = serializers.ListField(
        child=serializers.ChoiceField(Language.choices),
        help_text="The languages its text was translated into.",
    )
    translation_checked = serializers.BooleanField(
        allow_null=True, help_text="Whether a person wrote or checked the translation."
    )


# --- the fields ---------------------------------------------------------------------


def read_only_kwargs(kwargs):
    """What a read-only field keeps of what ModelSerializer passes (not `required`...)."""
    return {k: v for k, v in kwargs.items() if k in {"help_text", "label"}}


@extend_schema_field(TextsSchema)
class Texts(serializers.Field):
    """A translated field: {"fr": ..., "en": ...}."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **read_only_kwargs(kwargs))

    def to_representation(self, record):
        return texts(record, self.field_name)


@extend_schema_field(ChoiceSchema(allow_null=True))
class Labelled(serializers.Field):
    """A field with choices: its value and its label in both languages (null if empty)."""

    def __init__(self, choices, **kwargs):
        self.choices = dict(choices)
        super().__init__(read_only=True, **read_only_kwargs(kwargs))

    def to_representation(self, value):
        if value in (None, ""):
            return None
        label = self.choices.get(value, value)
        return {"value": value, "label": in_languages(lambda: str(label))}


def link(record, request):
    endpoint, name, key = ENDPOINTS[type(record)]
    return {
        "type": type(record)._meta.model_name,
        "key": str(getattr(record, key)),
        "name": texts(record, name),
        "url": page_urls(record, request),
        "api_url": api_url(record, request),
    }


class PublicLinks(ManyRelatedField):
    """Links to the public records of a to-many relation (prefetched: no query)."""

    def get_attribute(self, instance):
        return [record for record in super().get_attribute(instance) if is_public(record)]


@extend_schema_field(LinkSchema(allow_null=True))
class Link(serializers.RelatedField):
    """A link to the record at the end of a relation; null if it is not public."""

    def __init__(self, **kwargs):
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    @classmethod
    def many_init(cls, *args, **kwargs):
        kwargs.pop("many", None)
        child = cls(**{k: v for k, v in kwargs.items() if k not in {"allow_empty"}})
        return PublicLinks(child_relation=child, read_only=True)

    def get_attribute(self, instance):
        record = super().get_attribute(instance)
        return record if record is not None and is_public(record) else None

    def to_representation(self, record):
        return link(record, self.context.get("request"))


class CitationSerializer(serializers.ModelSerializer):
    source = serializers.SerializerMethodField()

    class Meta:
        model = Citation
        fields = ["source", "heading", "lines"]

    @extend_schema_field(LinkSchema)
    def get_source(self, citation):
        return link(citation.source, self.context.get("request"))


class RecordSerializer(serializers.ModelSerializer):
    """Any record, from its Meta.fields (see the module's docstring)."""

    serializer_related_field = Link

    def build_field(self, field_name, info, model_class, nested_depth):
        if field_name in translated_fields(model_class):
            return Texts, {}
        model_field = info.fields.get(field_name)
        if model_field is not None and model_field.choices:
            return Labelled, {"choices": model_field.flatchoices}
        return super().build_field(field_name, info, model_class, nested_depth)

    def build_relational_field(self, field_name, relation_info):
        kwargs = {"read_only": True}
        if relation_info.to_many:
            kwargs["many"] = True
        return Link, kwargs


class PublicRecordSerializer(RecordSerializer):
    """A public record: with its addresses, languages and citations."""

    url = serializers.SerializerMethodField(help_text="Its page on the site.")
    api_url = serializers.SerializerMethodField()
    languages = serializers.SerializerMethodField()
    citations = serializers.SerializerMethodField()

    @extend_schema_field(UrlsSchema(allow_null=True))
    def get_url(self, record):
        return page_urls(record, self.context.get("request"))

    @extend_schema_field(OpenApiTypes.URI)
    def get_api_url(self, record):
        return api_url(record, self.context.get("request"))

    @extend_schema_field(LanguagesSchema(allow_null=True))
    def get_languages(self, record):
        if not hasattr(record, "original_language"):
            return None  # a vocabulary entry, written in both languages
        original = record.original_language
        translations = []
        for code in LANGUAGES:
            if code != original and any(
                getattr(record, f"{field}_{code}", None)
                for field in translated_fields(type(record))
            ):
                translations.append(code)
        return {
            "original": original,
            "translations": translations,
            "translation_checked": getattr(record, "translation_by_hand", None),
        }

    def public_parts(self, serializer, parts, end):
        """A record's parts (its roles, its credits) whose other `end` is public."""
        parts = [part for part in parts if is_public(getattr(part, end))]
        return serializer(parts, many=True, context=self.context).data

    @extend_schema_field(CitationSerializer(many=True))
    def get_citations(self, record):
        if not hasattr(record, "citations"):
            return []
        return CitationSerializer(record.citations.all(), many=True, context=self.context).data


NULLABLE_URL = serializers.URLField(allow_null=True)
COMMON = ["url", "api_url", "languages", "citations"]
RECORD = ["slug", *COMMON, "editor_note", "created_at", "updated_at", "published_at"]


class AccreditationSerializer(RecordSerializer):
    class Meta:
        model = Accreditation
        fields = ["slug", "name", "description"]


class StepSerializer(RecordSerializer):
    class Meta:
        model = MethodStep
        fields = ["order", "title", "text", "duration"]


class RoleSerializer(RecordSerializer):
    class Meta:
        model = PersonRole
        fields = ["person", "title", "structure", "territory", "period"]


class CreditSerializer(RecordSerializer):
    class Meta:
        model = FilmCredit
        fields = ["film", "person", "role"]


class ActionSerializer(RecordSerializer):
    class Meta:
        model = Action
        fields = ["slug", "order", "text"]


class PracticeSerializer(PublicRecordSerializer):
    class Meta:
        model = Practice
        fields = [
            *RECORD, "title", "summary", "description", "period", "year_start", "year_end",
            "territory", "other_territories", "themes", "levers", "action_areas",
            "structures", "films", "people", "figures", "methods",
        ]  # fmt: skip


class StructureSerializer(PublicRecordSerializer):
    accreditations = AccreditationSerializer(many=True, read_only=True)
    people = serializers.SerializerMethodField(help_text="The people who hold a role in it.")
    logo = serializers.SerializerMethodField()

    class Meta:
        model = Structure
        fields = [
            *RECORD, "name", "acronym", "legal_form", "role", "accreditations", "territory",
            "year_founded", "website", "logo", "logo_alt", "description", "themes", "ptces",
            "members", "member_authorities", "practices", "films", "people", "figures",
            "methods",
        ]  # fmt: skip

    @extend_schema_field(RoleSerializer(many=True))
    def get_people(self, structure):
        return self.public_parts(RoleSerializer, structure.person_roles.all(), "person")

    @extend_schema_field(NULLABLE_URL)
    def get_logo(self, structure):
        return image_url(structure.logo, self.context.get("request"))


def image_url(image, request):
    return absolute(request, image.url) if image else None


class FilmSerializer(PublicRecordSerializer):
    credits = serializers.SerializerMethodField()
    poster = serializers.SerializerMethodField()

    class Meta:
        model = Film
        fields = [
            *RECORD, "title", "producing_project", "year", "video_url", "language",
            "territory", "poster", "poster_alt", "practice", "structure", "description",
            "credits",
        ]  # fmt: skip

    @extend_schema_field(CreditSerializer(many=True))
    def get_credits(self, film):
        return self.public_parts(CreditSerializer, film.credits.all(), "person")

    @extend_schema_field(NULLABLE_URL)
    def get_poster(self, film):
        return image_url(film.poster, self.context.get("request"))


class PersonSerializer(PublicRecordSerializer):
    roles = RoleSerializer(many=True, read_only=True)
    credits = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [*RECORD, "name", "summary", "roles", "credits", "practices"]

    @extend_schema_field(CreditSerializer(many=True))
    def get_credits(self, person):
        return self.public_parts(CreditSerializer, person.credits.all(), "film")


class TermSerializer(PublicRecordSerializer):
    accreditation = AccreditationSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Term
        fields = [
            *RECORD, "name", "abbreviation", "definition", "text", "legal_form",
            "accreditation", "role", "related",
        ]  # fmt: skip


class FigureSerializer(PublicRecordSerializer):
    shown = serializers.SerializerMethodField(
        help_text="The number as each language writes it: “2,4 millions”, “2.4 million”."
    )

    class Meta:
        model = Figure
        fields = [
            *RECORD, "shown", "value", "value_to", "out_of", "qualifier", "kind", "label",
            "year", "sentence", "territory", "structure", "practice", "lever", "themes",
        ]  # fmt: skip

    @extend_schema_field(TextsSchema)
    def get_shown(self, figure):
        return in_languages(figure.shown)


class MethodSerializer(PublicRecordSerializer):
    steps = StepSerializer(many=True, read_only=True)

    class Meta:
        model = Method
        fields = [
            *RECORD, "title", "kind", "summary", "duration", "announced_steps", "steps",
            "structure", "practice",
        ]  # fmt: skip


class LeverSerializer(PublicRecordSerializer):
    class Meta:
        model = Lever
        fields = ["number", *COMMON, "short_title", "text"]


class ActionAreaSerializer(PublicRecordSerializer):
    actions = ActionSerializer(many=True, read_only=True)

    class Meta:
        model = ActionArea
        fields = ["slug", *COMMON, "part", "order", "title", "description", "actions"]


class TerritorySerializer(PublicRecordSerializer):
    class Meta:
        model = Territory
        fields = [
            "slug", "url", "api_url", "kind", "code", "insee_code", "name", "parent", "children",
        ]  # fmt: skip


class ThemeSerializer(PublicRecordSerializer):
    class Meta:
        model = Theme
        fields = ["slug", "url", "api_url", "name", "description"]


class SourceSerializer(PublicRecordSerializer):
    class Meta:
        model = Source
        fields = [
            "slug", "url", "api_url", "languages", "title", "publisher", "language", "year",
            "description", "file_name",
        ]  # fmt: skip


SERIALIZERS = {
    Practice: PracticeSerializer,
    Structure: StructureSerializer,
    Film: FilmSerializer,
    Person: PersonSerializer,
    Term: TermSerializer,
    Figure: FigureSerializer,
    Method: MethodSerializer,
    Lever: LeverSerializer,
    ActionArea: ActionAreaSerializer,
    Territory: TerritorySerializer,
    Theme: ThemeSerializer,
    Source: SourceSerializer,
}
