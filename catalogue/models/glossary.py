"""The glossary: the terms the seed documents define (SCIC, ESUS, PTCE, SPASER...)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .base import Record
from .structures import LegalForm, Role
from .vocabulary import Accreditation


class Term(Record):
    """A term and its definition, as a source gives it.

    A term may be what a structure's legal form, accreditation or PTCE role means:
    structure pages then link that value to the term."""

    name = models.CharField(_("term"), max_length=200)
    abbreviation = models.CharField(
        _("abbreviation"),
        max_length=30,
        blank=True,
        help_text=_("The same in both languages (SCIC, ESUS, PTCE...)."),
    )
    definition = models.TextField(_("definition"), help_text=_("One or two sentences."))
    text = models.TextField(
        _("more"), blank=True, help_text=_("Conditions, principles, history, figures.")
    )
    related = models.ManyToManyField("self", verbose_name=_("related terms"), blank=True)
    legal_form = models.CharField(
        _("defines the legal form"), max_length=20, choices=LegalForm, blank=True
    )
    accreditation = models.ForeignKey(
        Accreditation,
        verbose_name=_("defines the accreditation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="terms",
    )
    role = models.CharField(
        _("defines the role"),
        max_length=20,
        choices=[(Role.PTCE.value, Role.PTCE.label)],
        blank=True,
    )

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        permissions = [("publish_term", _("Can publish, unpublish and archive"))]
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("catalogue:term", args=[self.slug])

    def clean(self):
        defined = [x for x in (self.legal_form, self.accreditation_id, self.role) if x]
        if len(defined) > 1:
            raise ValidationError(
                _("A term defines one legal form, accreditation or role at most.")
            )
