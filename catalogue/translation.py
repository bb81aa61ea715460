"""Every text a visitor reads exists in French and English (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    Accreditation,
    Figure,
    Film,
    Method,
    MethodStep,
    Person,
    PersonRole,
    Practice,
    Source,
    Structure,
    Term,
    Theme,
)


@register(Theme)
class ThemeTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Accreditation)
class AccreditationTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Source)
class SourceTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(Structure)
class StructureTranslationOptions(TranslationOptions):
    fields = ("name", "description", "logo_alt", "editor_note")


@register(Practice)
class PracticeTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "description", "period", "editor_note")


@register(Film)
class FilmTranslationOptions(TranslationOptions):
    fields = ("title", "producing_project", "description", "poster_alt", "editor_note")


@register(Term)
class TermTranslationOptions(TranslationOptions):
    fields = ("name", "definition", "text", "editor_note")


@register(Person)
class PersonTranslationOptions(TranslationOptions):
    fields = ("summary", "editor_note")


@register(PersonRole)
class PersonRoleTranslationOptions(TranslationOptions):
    fields = ("title", "period")


@register(Figure)
class FigureTranslationOptions(TranslationOptions):
    fields = ("label", "sentence", "editor_note")


@register(Method)
class MethodTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "duration", "editor_note")


@register(MethodStep)
class MethodStepTranslationOptions(TranslationOptions):
    fields = ("title", "text", "duration")
