"""Changes to a published record that wait for an editor before the public sees them."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .. import images


class ProposalStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for an editor")
    APPLIED = "applied", _("Applied")
    REJECTED = "rejected", _("Rejected")


class ProposalQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=ProposalStatus.PENDING)

    def pending_for(self, record):
        return self.pending().filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )


class Proposal(models.Model):
    """A curator's edit of a published record, kept aside until an editor applies it.

    The published record keeps showing its reviewed text; `changes` holds the new value
    of each changed field (foreign keys as ids, many-to-many as lists of ids, images
    as the name of the already re-encoded file).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    changes = models.JSONField(_("proposed values"), default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposed on"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus, default=ProposalStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)

    objects = ProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["content_type", "object_id", "status"])]

    def __str__(self):
        return _("Change to “%(record)s”") % {"record": self.record}

    @classmethod
    def from_form(cls, form, author):
        """Keep a model form's changes aside instead of saving them."""
        record = form.instance
        changes = {}
        for name in form.changed_data:
            field = record._meta.get_field(name)
            value = form.cleaned_data[name]
            if field.many_to_many:
                value = sorted(obj.pk for obj in value)
            elif field.is_relation:
                value = value.pk if value is not None else None
            elif isinstance(value, UploadedFile):
                extension, large, small = images.process(value)
                storage = getattr(record, name).storage
                stored = storage.save(
                    field.generate_filename(record, f"proposal.{extension}"), ContentFile(large)
                )
                storage.save(images.small_name(stored), ContentFile(small))
                value = stored
            elif value is False:  # a cleared file
                value = ""
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            changes[name] = value
        return cls.objects.create(record=record, changes=changes, author=author)

    def rows(self):
        """(field label, current value, proposed value) for the editor's comparison."""
        record = self.record
        for name, value in self.changes.items():
            field = record._meta.get_field(name)
            if field.many_to_many:
                current = ", ".join(str(o) for o in getattr(record, name).all())
                proposed = ", ".join(
                    str(o) for o in field.related_model.objects.filter(pk__in=value)
                )
            elif field.is_relation:
                current = str(getattr(record, name) or "")
                proposed = str(field.related_model.objects.filter(pk=value).first() or "")
            else:
                current, proposed = getattr(record, field.attname), value
            yield field.verbose_name, current, proposed

    @transaction.atomic
    def apply(self, editor):
        """Write the proposed values into the record (validated like any edit)."""
        record = self.record
        many = {}
        for name, value in self.changes.items():
            field = record._meta.get_field(name)
            if field.many_to_many:
                many[name] = value
            else:
                setattr(record, field.attname, value)
        record.full_clean()
        record.save()
        for name, value in many.items():
            getattr(record, name).set(value)
        self.decide(editor, ProposalStatus.APPLIED)

    def reject(self, editor):
        self.decide(editor, ProposalStatus.REJECTED)

    def decide(self, editor, status):
        self.status, self.decided_by, self.decided_at = status, editor, timezone.now()
        self.save(update_fields=["status", "decided_by", "decided_at"])
