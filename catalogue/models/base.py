"""What every catalogue record shares: publication status, provenance, languages."""

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    ENGLISH = "en", _("English")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """The one entry point for public pages: only published records."""
        return self.filter(status=Status.PUBLISHED)


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
        from modeltranslation.translator import translator

        return translator.get_options_for_model(type(self)).fields

    def missing_languages(self):
        """Languages in which some text exists in the other language but not in this one."""
        missing = []
        for code, _label in Language.choices:
            others = [c for c, _l in Language.choices if c != code]
            for field in self.translated_fields():
                has_other = any(getattr(self, f"{field}_{o}", None) for o in others)
                if has_other and not getattr(self, f"{field}_{code}", None):
                    missing.append(code)
                    break
        return missing

    def shown_language(self, field):
        """The language in which `field` is shown now: the visitor's, or the fallback's."""
        current = (get_language() or "fr")[:2]
        if getattr(self, f"{field}_{current}", None):
            return current
        for code, _label in Language.choices:
            if getattr(self, f"{field}_{code}", None):
                return code
        return current


class Cited(Translated):
    """A record that says where its facts come from (see Citation)."""

    citations = GenericRelation("catalogue.Citation")

    class Meta:
        abstract = True


class Record(Cited):
    """A public catalogue record: structure, practice or film."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.DRAFT, db_index=True
    )
    translation_by_hand = models.BooleanField(
        _("translation done or checked by hand"),
        default=False,
        help_text=_("Untick when the translation still needs a person to review it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Search columns, filled on save (see catalogue/search.py): accent-free text of both
    # languages for SQLite, and one stemmed vector per language on PostgreSQL.
    search_text = models.TextField(editable=False, default="")
    search_fr = SearchVectorField(null=True, editable=False)
    search_en = SearchVectorField(null=True, editable=False)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_public(self):
        return self.status == Status.PUBLISHED


def require_alt_text(record, image_field):
    """An image needs a text alternative in both languages (WCAG 1.1.1)."""
    if getattr(record, image_field):
        missing = {
            f"{image_field}_alt_{code}": _("Describe the image for people who cannot see it.")
            for code, _label in Language.choices
            if not getattr(record, f"{image_field}_alt_{code}", "")
        }
        if missing:
            raise ValidationError(missing)


class Source(Translated):
    """A document the catalogue's content is taken from."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    file_name = models.CharField(
        _("file name"), max_length=200, blank=True, help_text=_("The seed document's file.")
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("catalogue:source", args=[self.slug])


class Citation(models.Model):
    """Where, in which source, a record's facts come from."""

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="citations"
    )
    locator = models.CharField(
        _("place in the document"),
        max_length=300,
        blank=True,
        help_text=_("Heading or item, and line range in the seed file."),
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["source__title", "locator"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.source} — {self.locator}" if self.locator else str(self.source)
