from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Theme(models.Model):
    """A subject in the shared vocabulary: circular economy, sustainable food..."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalogue:search") + f"?theme={self.slug}"


class Accreditation(models.Model):
    """An accreditation or label any legal form may hold (ESUS, integration...)."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        ordering = ["name"]

    def __str__(self):
        return self.name
