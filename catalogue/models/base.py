"""What every catalogue record shares: publication status, provenance, languages."""

import re

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Cited, Language, Translated


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class PublishableQuerySet(models.QuerySet):
    def published(self):
        """The one entry point for public pages: only published records."""
        return self.filter(status=Status.PUBLISHED)


def is_public(obj):
    """Whether the public may see `obj`: a record when published; places, levers and
    vocabulary, which have no status, always."""
    return getattr(obj, "status", Status.PUBLISHED) == Status.PUBLISHED


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
    editor_note = models.TextField(
        _("editor's note"),
        blank=True,
        help_text=_(
            "Shown to the public: what the source leaves open or gets inconsistent "
            "(“the source announces six partners and names five”). Never a correction "
            "of the source by guess."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Set the first time the record is published, and kept: feeds list what is new.
    published_at = models.DateTimeField(_("first published"), null=True, editable=False)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "published_at"}
        super().save(*args, **kwargs)

    @property
    def is_public(self):
        return is_public(self)


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


LINE_RANGES = re.compile(r"^\d+(-\d+)?(, \d+(-\d+)?)*$")
LOCATOR_LINES = re.compile(r"\s*\((?:lines?|l\.)\s+([0-9][0-9,\s\-–]*?)\s*\)")


def split_locator(text):
    """(heading, lines) of a locator written "Heading (lines 12-30)": the headings as
    the document has them, and every line range given, as "12-30, 41"."""
    ranges = []
    for found in LOCATOR_LINES.findall(text):
        for part in found.replace("–", "-").split(","):
            part = re.sub(r"\s+", "", part)
            if part:
                ranges.append(part)
    heading = LOCATOR_LINES.sub("", text).strip(" ;,")
    return heading, ", ".join(ranges)


class Citation(models.Model):
    """Where, in which source, a record's facts come from: a heading of the document
    (in its language) and line ranges of the seed file."""

    source = models.ForeignKey(
        Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="citations"
    )
    heading = models.CharField(
        _("heading or item"),
        max_length=300,
        blank=True,
        help_text=_("As the document writes it, in its language."),
    )
    lines = models.CharField(
        _("lines"),
        max_length=100,
        blank=True,
        validators=[
            RegexValidator(LINE_RANGES, _("Line numbers and ranges, such as “12-30, 41”."))
        ],
        help_text=_("Line numbers and ranges in the seed file, such as “12-30, 41”."),
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["source__title", "heading"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        place = ", ".join(p for p in (self.heading, self.lines) if p)
        return f"{self.source} — {place}" if place else str(self.source)

    @property
    def single_line(self):
        return self.lines.isdigit()
