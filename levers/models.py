"""The study's public-policy levers and action areas (seed 003, Key findings and SUMMARY)."""

from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.models import Cited, Language


class Lever(Cited):
    """One of the 10 levers a city, agglomeration or metropolis can pull."""

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1)]
    )
    short_title = models.CharField(_("short title"), max_length=200)
    text = models.TextField(_("full text"))

    class Meta:
        verbose_name = _("lever")
        verbose_name_plural = _("levers")
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.short_title}"

    def get_absolute_url(self):
        return reverse("levers:lever", args=[self.number])


class Part(models.TextChoices):
    LEVERS = "levers", _("Levers of action")
    THEMATIC = "thematic", _("Thematic areas")
    FRAMEWORKS = "frameworks", _("Action frameworks")


class ActionArea(Cited):
    """An area of the study's SUMMARY, in one of its three parts."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    part = models.CharField(_("part"), max_length=12, choices=Part)
    order = models.PositiveSmallIntegerField(_("order within its part"), default=1)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("action area")
        verbose_name_plural = _("action areas")
        ordering = ["part", "order"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("levers:area", args=[self.slug])


class Action(Cited):
    """A concrete action listed under an action area in the SUMMARY table."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    area = models.ForeignKey(
        ActionArea, verbose_name=_("action area"), on_delete=models.CASCADE, related_name="actions"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    text = models.TextField(_("text"))

    class Meta:
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        ordering = ["area", "order"]

    def __str__(self):
        return self.text[:80]


__all__ = ["Action", "ActionArea", "Language", "Lever", "Part"]
