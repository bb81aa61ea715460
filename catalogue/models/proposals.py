"""Changes to a published record that wait for an editor before the public sees them."""

from pathlib import PurePosixPath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
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
    of each changed field (foreign keys as ids, many-to-many as lists of ids, an image
    as {"proposed_file": name}: re-encoded, and kept in the private "proposals" storage,
    which the public cannot reach, until an editor applies or rejects it).
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
                private = storages["proposals"]
                stored = private.save(
                    f"{record._meta.model_name}/{name}.{extension}", ContentFile(large)
                )
                private.save(images.small_name(stored), ContentFile(small))
                value = {"proposed_file": stored}
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
            elif isinstance(value, dict):  # a proposed image, shown to staff only
                current = getattr(record, field.attname)
                link = reverse("admin:catalogue_proposal_file", args=[self.pk, name])
                proposed = format_html('<a href="{}">{}</a>', link, _("the proposed image"))
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
            elif isinstance(value, dict):
                setattr(record, field.attname, self.publish_file(record, field, value))
            else:
                setattr(record, field.attname, value)
        record.full_clean()
        record.save()
        for name, value in many.items():
            getattr(record, name).set(value)
        self.decide(editor, ProposalStatus.APPLIED)

    def publish_file(self, record, field, value):
        """Copy a proposed image into the record's public storage; the private copy goes
        once the transaction commits."""
        private, name = storages["proposals"], value["proposed_file"]
        public = getattr(record, field.name).storage
        with private.open(name) as large:
            stored = public.save(
                field.generate_filename(record, PurePosixPath(name).name),
                ContentFile(large.read()),
            )
        with private.open(images.small_name(name)) as small:
            public.save(images.small_name(stored), ContentFile(small.read()))
        images.delete_stored(private, name)
        return stored

    def reject(self, editor):
        for value in self.changes.values():
            if isinstance(value, dict):
                images.delete_stored(storages["proposals"], value["proposed_file"])
        self.decide(editor, ProposalStatus.REJECTED)

    def decide(self, editor, status):
        self.status, self.decided_by, self.decided_at = status, editor, timezone.now()
        self.save(update_fields=["status", "decided_by", "decided_at"])
