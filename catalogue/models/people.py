"""People the sources name in a public capacity, their roles, and film credits."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from territories.models import Territory

from .base import Record
from .practices import Film, Practice
from .structures import Structure


class Person(Record):
    """Someone a source names for what they do publicly: an elected official, a film
    producer, a researcher. Only what the sources publish, and only in that capacity."""

    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    practices = models.ManyToManyField(
        Practice, verbose_name=_("practices"), blank=True, related_name="people"
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [("publish_person", _("Can publish, unpublish and archive"))]
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalogue:person", args=[self.slug])


class PersonRole(models.Model):
    """A public role: a title, in an organisation or a local authority, for a period."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="roles")
    title = models.CharField(_("title"), max_length=300)
    structure = models.ForeignKey(
        Structure,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person_roles",
    )
    territory = models.ForeignKey(
        Territory,
        verbose_name=_("local authority or territory"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person_roles",
    )
    period = models.CharField(_("period"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title


class CreditRole(models.TextChoices):
    PRODUCER = "producer", _("Producer")
    DIRECTOR = "director", _("Director")


class FilmCredit(models.Model):
    """Who made a film, and as what."""

    film = models.ForeignKey(
        Film, verbose_name=_("film"), on_delete=models.CASCADE, related_name="credits"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="credits"
    )
    role = models.CharField(_("role"), max_length=20, choices=CreditRole)

    class Meta:
        verbose_name = _("film credit")
        verbose_name_plural = _("film credits")
        ordering = ["role", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["film", "person", "role"], name="film_credit_once")
        ]

    def __str__(self):
        return f"{self.person} ({self.get_role_display()})"
