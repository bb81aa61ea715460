from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..images import CleanImageField
from .base import PublishableQuerySet, Record, require_alt_text

YEAR_VALIDATORS = [MinValueValidator(1700), MaxValueValidator(2100)]


class PracticeQuerySet(PublishableQuerySet):
    def for_list(self):
        """What a list of practices shows: territory and themes, without N+1."""
        return self.select_related("territory").prefetch_related("themes")


class Practice(Record):
    """A good practice: an initiative, programme or policy of a territory or structure."""

    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practices",
    )
    other_territories = models.ManyToManyField(
        "territories.Territory",
        verbose_name=_("other territories"),
        blank=True,
        related_name="other_practices",
        help_text=_(
            "When the source says that several authorities did the same thing: one "
            "practice, found under each of its territories."
        ),
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged",
        help_text=_(
            "A near-duplicate kept, archived, for its address: its page leads to the "
            "practice it was merged into."
        ),
    )
    themes = models.ManyToManyField(
        "catalogue.Theme", verbose_name=_("themes"), blank=True, related_name="practices"
    )
    structures = models.ManyToManyField(
        "catalogue.Structure",
        verbose_name=_("structures involved"),
        blank=True,
        related_name="practices",
    )
    levers = models.ManyToManyField(
        "levers.Lever", verbose_name=_("levers"), blank=True, related_name="practices"
    )
    action_areas = models.ManyToManyField(
        "levers.ActionArea",
        verbose_name=_("action areas"),
        blank=True,
        related_name="practices",
    )
    period = models.CharField(_("period"), max_length=200, blank=True)
    year_start = models.PositiveSmallIntegerField(
        _("start year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    year_end = models.PositiveSmallIntegerField(
        _("end year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )

    objects = PracticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("practice")
        verbose_name_plural = _("practices")
        permissions = [("publish_practice", _("Can publish, unpublish and archive"))]
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_end__isnull=True)
                | models.Q(year_start__isnull=True)
                | models.Q(year_end__gte=models.F("year_start")),
                name="practice_period_in_order",
                violation_error_message=_("The end year cannot come before the start year."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("catalogue:practice", args=[self.slug])

    def search_fields(self):
        return ["title", "summary", "description", "period"]


class FilmQuerySet(PublishableQuerySet):
    def for_list(self):
        return self.select_related("practice", "structure")


class Film(Record):
    """A film that shows a practice or a structure."""

    title = models.CharField(_("title"), max_length=300)
    producing_project = models.CharField(_("producing project"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    video_url = models.URLField(_("video link"), blank=True)
    language = models.CharField(
        _("language of the film"), max_length=8, blank=True, help_text=_("ISO 639-1 code.")
    )
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="films",
        help_text=_("Where the film was made or what it shows, when the source says."),
    )
    poster = CleanImageField(_("poster"), upload_to="posters/", blank=True)
    poster_alt = models.CharField(_("poster alternative text"), max_length=200, blank=True)
    practice = models.ForeignKey(
        Practice,
        verbose_name=_("practice shown"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="films",
    )
    structure = models.ForeignKey(
        "catalogue.Structure",
        verbose_name=_("structure shown"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="films",
    )
    description = models.TextField(_("description"), blank=True)

    objects = FilmQuerySet.as_manager()

    class Meta:
        verbose_name = _("film")
        verbose_name_plural = _("films")
        permissions = [("publish_film", _("Can publish, unpublish and archive"))]
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("catalogue:film", args=[self.slug])

    def clean(self):
        super().clean()
        require_alt_text(self, "poster")

    def search_fields(self):
        return ["title", "producing_project", "description"]
