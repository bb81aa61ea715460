from django.db import models
from django.dispatch import Signal
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# Sent when a territory (and so everything in it) moves to another place in the tree.
territory_moved = Signal()


class Kind(models.TextChoices):
    COUNTRY = "country", _("Country")
    REGION = "region", _("Region")
    LEGACY_REGION = "legacy_region", _("Former region (before 2016)")
    DEPARTMENT = "department", _("Department")
    METROPOLE = "metropole", _("Metropolis")
    COMMUNAUTE_URBAINE = "communaute_urbaine", _("Urban community")
    COMMUNAUTE_AGGLOMERATION = "communaute_agglomeration", _("Agglomeration community")
    COMMUNAUTE_COMMUNES = "communaute_communes", _("Community of municipalities")
    EPT = "ept", _("Territorial public establishment (Greater Paris)")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    SUBDIVISION = "subdivision", _("Region, state or province abroad")
    OTHER = "other", _("Other area")


class TerritoryQuerySet(models.QuerySet):
    def within(self, territory):
        """The territory and everything located in it, in one indexed query."""
        return self.filter(path__startswith=territory.path)

    def countries(self):
        return self.filter(kind=Kind.COUNTRY)

    def regions(self):
        return self.filter(kind=Kind.REGION)


class Territory(models.Model):
    """A place: a country, a French region or a lower level, or an area abroad.

    `parent` is the smallest territory that contains this one; a pre-2016 region has
    the current region that absorbed it as its parent, so "everything in Occitanie"
    also finds what a source filed under Midi-Pyrénées. `path` (the chain of ids from
    the root) is derived on save and makes that lookup a single prefix query.
    """

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind)
    code = models.CharField(
        _("official code"),
        max_length=20,
        blank=True,
        help_text=_(
            "ISO 3166 for countries and regions, INSEE for departments and cities, "
            "SIREN for inter-municipal bodies."
        ),
    )
    insee_code = models.CharField(
        _("INSEE code"),
        max_length=5,
        blank=True,
        help_text=_("The official geographic code (COG) of a French region or department."),
    )
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("located in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    objects = TerritoryQuerySet.as_manager()

    class Meta:
        verbose_name = _("territory")
        verbose_name_plural = _("territories")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "code"],
                condition=~models.Q(code=""),
                name="territory_unique_code_per_kind",
            )
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        old_path = self.path
        super().save(*args, **kwargs)
        new_path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if new_path != old_path:
            Territory.objects.filter(pk=self.pk).update(path=new_path)
            self.path = new_path
            if old_path:
                # Moved: re-root every descendant (rare, curated by hand).
                for child in Territory.objects.filter(path__startswith=old_path).exclude(
                    pk=self.pk
                ):
                    child.path = new_path + child.path[len(old_path) :]
                    Territory.objects.filter(pk=child.pk).update(path=child.path)
                territory_moved.send(sender=Territory, territory=self)

    def get_absolute_url(self):
        return reverse("territories:detail", args=[self.slug])

    def clean(self):
        from django.core.exceptions import ValidationError

        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk and self.pk is not None:
                raise ValidationError({"parent": _("A territory cannot be located in itself.")})
            ancestor = ancestor.parent

    @property
    def ancestors_ids(self):
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def ancestors(self):
        """From the root (a country) down to the parent, in one query."""
        ids = self.ancestors_ids
        by_id = Territory.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]

    @property
    def country(self):
        if self.kind == Kind.COUNTRY:
            return self
        ancestors = self.ancestors()
        return ancestors[0] if ancestors and ancestors[0].kind == Kind.COUNTRY else None
