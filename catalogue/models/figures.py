"""Key figures and methods: what the sources count, and the processes they describe."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .base import PublishableQuerySet, Record

NUMBER = {"max_digits": 18, "decimal_places": 3}


class FigureKind(models.TextChoices):
    STRUCTURES = "structures", _("Organisations")
    JOBS = "jobs", _("Jobs")
    PEOPLE = "people", _("People")
    EUROS = "euros", _("Euros")
    PERCENT = "percent", _("Percentage")
    AREA = "area", _("Area")
    DURATION = "duration", _("Duration")
    COUNT = "count", _("Other count")


class Qualifier(models.TextChoices):
    ABOUT = "about", _("about")
    MORE_THAN = "more_than", _("more than")
    LESS_THAN = "less_than", _("less than")
    UP_TO = "up_to", _("up to")
    AT_LEAST = "at_least", _("at least")


def shown_number(value):
    """A number as a reader writes it in the current language: "2,4 millions",
    "1 060", "10,5"."""
    value = Decimal(value)
    # 1060.000 as "1060", and 10.500 as "10.5" (normalize alone gives 1.06E+3).
    integral = value == value.to_integral_value()
    value = value.quantize(Decimal(1)) if integral else value.normalize()
    if value >= 1_000_000 and value % 100_000 == 0:
        millions = value / 1_000_000
        return ngettext("%(value)s million", "%(value)s million", int(millions)) % {
            "value": shown_number(millions)
        }
    decimals = max(0, -value.as_tuple().exponent)
    return number_format(value, decimal_pos=decimals, force_grouping=True)


def plain_number(value):
    """1060 as "1060" and 10.5 as "10.5": how people type a figure (search, spreadsheets)."""
    return "" if value is None else format(value.normalize(), "f")


class FigureQuerySet(PublishableQuerySet):
    def for_list(self):
        return self.select_related("territory")


class Figure(Record):
    """A number a source gives, with what and where it is about, and its sentence."""

    value = models.DecimalField(_("value"), **NUMBER)
    value_to = models.DecimalField(
        _("up to (range)"),
        null=True,
        blank=True,
        help_text=_("The upper bound, when the source gives a range (“15 to 20%”)."),
        **NUMBER,
    )
    out_of = models.DecimalField(
        _("out of"),
        null=True,
        blank=True,
        help_text=_("The whole the value is part of (“84 of 128”)."),
        **NUMBER,
    )
    qualifier = models.CharField(_("qualifier"), max_length=10, choices=Qualifier, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=FigureKind)
    label = models.CharField(
        _("what is counted"),
        max_length=300,
        help_text=_("A short phrase without the number: “SSE employees”."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1700), MaxValueValidator(2100)],
        help_text=_("The year the figure refers to, when the source gives it."),
    )
    sentence = models.TextField(
        _("sentence"), help_text=_("The source's sentence that gives the figure.")
    )
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name=_("territory"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="figures",
        help_text=_("Where the figure is about; empty for no place in particular."),
    )
    structure = models.ForeignKey(
        "catalogue.Structure",
        verbose_name=_("structure"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="figures",
    )
    practice = models.ForeignKey(
        "catalogue.Practice",
        verbose_name=_("practice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="figures",
    )
    lever = models.ForeignKey(
        "levers.Lever",
        verbose_name=_("lever"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="figures",
    )
    themes = models.ManyToManyField(
        "catalogue.Theme", verbose_name=_("themes"), blank=True, related_name="figures"
    )

    objects = FigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("key figure")
        verbose_name_plural = _("key figures")
        permissions = [("publish_figure", _("Can publish, unpublish and archive"))]
        ordering = ["-year", "label"]

    def __str__(self):
        return f"{self.shown()} {self.label}".strip()

    def get_absolute_url(self):
        return reverse("catalogue:figure", args=[self.slug])

    def clean(self):
        super().clean()
        if self.value is not None and self.value_to is not None and self.value_to <= self.value:
            raise ValidationError({"value_to": _("The upper bound must be above the value.")})
        if self.value is not None and self.out_of is not None and self.out_of < self.value:
            raise ValidationError({"out_of": _("The whole cannot be smaller than the value.")})

    def shown(self):
        """The figure as a headline, in the current language: "about 2.4 million",
        "84 of 128", "15 to 20%", "€1,550,986"."""
        if self.value is None:  # a new figure, not filled in yet
            return ""
        number = shown_number(self.value)
        if self.value_to is not None:
            number = gettext("%(low)s to %(high)s") % {
                "low": number,
                "high": shown_number(self.value_to),
            }
        if self.kind == FigureKind.PERCENT:
            number = gettext("%(number)s%%") % {"number": number}
        elif self.kind == FigureKind.EUROS:
            number = gettext("€%(number)s") % {"number": number}
        if self.out_of is not None:
            number = gettext("%(value)s of %(total)s") % {
                "value": number,
                "total": shown_number(self.out_of),
            }
        if self.qualifier:
            number = QUALIFIED[self.qualifier]() % {"value": number}
        return number


QUALIFIED = {
    Qualifier.ABOUT: lambda: gettext("about %(value)s"),
    Qualifier.MORE_THAN: lambda: gettext("more than %(value)s"),
    Qualifier.LESS_THAN: lambda: gettext("less than %(value)s"),
    Qualifier.UP_TO: lambda: gettext("up to %(value)s"),
    Qualifier.AT_LEAST: lambda: gettext("at least %(value)s"),
}


class MethodKind(models.TextChoices):
    PROCESS = "process", _("Process in ordered steps")
    FRAMEWORK = "framework", _("Framework of principles")


class Method(Record):
    """A guide or process a structure publishes: ordered steps, or the beacons of a
    framework. When the source announces more steps than it names, say so."""

    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=MethodKind)
    summary = models.TextField(_("summary"), blank=True)
    duration = models.CharField(
        _("duration"), max_length=200, blank=True, help_text=_("As the source gives it.")
    )
    announced_steps = models.PositiveSmallIntegerField(
        _("steps the source announces"),
        null=True,
        blank=True,
        help_text=_("When the source says how many there are but names fewer (10 beacons)."),
    )
    structure = models.ForeignKey(
        "catalogue.Structure",
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="methods",
    )
    practice = models.ForeignKey(
        "catalogue.Practice",
        verbose_name=_("practice"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="methods",
    )

    class Meta:
        verbose_name = _("method")
        verbose_name_plural = _("methods")
        permissions = [("publish_method", _("Can publish, unpublish and archive"))]
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("catalogue:method", args=[self.slug])


class MethodStep(models.Model):
    method = models.ForeignKey(Method, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    duration = models.CharField(_("duration"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.title
