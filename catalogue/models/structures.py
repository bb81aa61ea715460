from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..images import CleanImageField
from .base import PublishableQuerySet, Record, require_alt_text


class LegalForm(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    SCOP = "scop", _("SCOP (workers' cooperative)")
    SCIC = "scic", _("SCIC (multi-stakeholder cooperative)")
    CAE = "cae", _("CAE (business and employment cooperative)")
    COOPERATIVE = "cooperative", _("Other cooperative")
    MUTUAL = "mutual", _("Mutual")
    FOUNDATION = "foundation", _("Foundation")
    COMPANY = "company", _("Commercial company")
    PUBLIC_BODY = "public_body", _("Public body")
    OTHER = "other", _("Other legal form")


class Role(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    NETWORK = "network", _("Network or support body")
    FUNDER = "funder", _("Funder")
    THIRD_PLACE = "third_place", _("Third place")
    RESEARCH = "research", _("Research")
    PUBLIC_PROGRAMME = "public_programme", _("Public programme")
    LOCAL_AUTHORITY = "local_authority", _("Local authority")
    PTCE = "ptce", _("PTCE (regional hub for economic cooperation)")
    PROJECT = "project", _("Project")


class StructureQuerySet(PublishableQuerySet):
    def for_list(self):
        """What a list of structures shows: territory and themes, without N+1."""
        return self.select_related("territory").prefetch_related("themes", "accreditations")


class Structure(Record):
    """An SSE organisation: enterprise, network, funder, PTCE..."""

    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm, blank=True)
    accreditations = models.ManyToManyField(
        "catalogue.Accreditation",
        verbose_name=_("accreditations"),
        blank=True,
        related_name="structures",
    )
    role = models.CharField(_("role in the ecosystem"), max_length=20, choices=Role, blank=True)
    ptces = models.ManyToManyField(
        "self",
        verbose_name=_("member of the PTCEs"),
        symmetrical=False,
        blank=True,
        related_name="members",
        limit_choices_to={"role": Role.PTCE},
    )
    member_authorities = models.ManyToManyField(
        "territories.Territory",
        verbose_name=_("local authorities that are members"),
        blank=True,
        related_name="memberships",
        help_text=_("A PTCE or SCIC whose members include local authorities."),
    )
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="structures",
    )
    themes = models.ManyToManyField(
        "catalogue.Theme", verbose_name=_("themes"), blank=True, related_name="structures"
    )
    year_founded = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1700), MaxValueValidator(2100)],
    )
    website = models.URLField(_("website"), blank=True)
    logo = CleanImageField(_("logo"), upload_to="logos/", blank=True)
    logo_alt = models.CharField(_("logo alternative text"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)

    objects = StructureQuerySet.as_manager()

    class Meta:
        verbose_name = _("structure")
        verbose_name_plural = _("structures")
        permissions = [("publish_structure", _("Can publish, unpublish and archive"))]
        constraints = [
            models.UniqueConstraint(
                Lower("name_fr"),
                "territory",
                name="structure_unique_name_per_territory",
                violation_error_message=_("Another structure already has this name here."),
            )
        ]
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalogue:structure", args=[self.slug])

    def clean(self):
        super().clean()
        require_alt_text(self, "logo")
        duplicates = Structure.objects.filter(
            name_fr__iexact=self.name_fr, territory=self.territory
        ).exclude(pk=self.pk)
        if self.name_fr and duplicates.exists():
            raise ValidationError(
                {"name_fr": _("Another structure already has this name in this territory.")}
            )

    def search_fields(self):
        return ["name", "acronym", "description"]
