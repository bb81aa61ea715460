"""Abstract bases of every public record: its languages and its provenance."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.utils import build_localized_fieldname


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


def current_language():
    return (get_language() or Language.FRENCH)[:2]


def shown_language(obj, field):
    """The language in which `obj`'s translated `field` is shown now: the visitor's, or
    the fallback's (any translated model: a record, or a part of one such as a step)."""
    current = current_language()
    if getattr(obj, build_localized_fieldname(field, current), None):
        return current
    for code in Language.values:
        if getattr(obj, build_localized_fieldname(field, code), None):
            return code
    return current


def translated_fields(model):
    """The fields of `model` that exist in French and English (none if it has none)."""
    from modeltranslation.translator import NotRegistered, translator

    try:
        return translator.get_options_for_model(model).fields  # in declaration order
    except NotRegistered:
        return {}


class Translated(models.Model):
    """A record whose text exists in French and English (see each app's translation.py)."""

    original_language = models.CharField(
        _("original language"),
        max_length=2,
        choices=Language,
        default=Language.FRENCH,
        help_text=_("The language of the source text this record was taken from."),
    )

    class Meta:
        abstract = True

    def translated_fields(self):
        return translated_fields(type(self))

    def missing_languages(self):
        """Languages in which some text exists in the other language but not in this one."""
        missing = []
        for code in Language.values:
            others = [c for c in Language.values if c != code]
            for field in self.translated_fields():
                has_other = any(
                    getattr(self, build_localized_fieldname(field, o), None) for o in others
                )
                if has_other and not getattr(self, build_localized_fieldname(field, code), None):
                    missing.append(code)
                    break
        return missing

    def shown_language(self, field):
        return shown_language(self, field)


class Cited(Translated):
    """A record that says where its facts come from (see catalogue.Citation)."""

    citations = GenericRelation("catalogue.Citation")

    class Meta:
        abstract = True
