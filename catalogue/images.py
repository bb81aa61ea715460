"""Logos and posters: checked by content, re-encoded without metadata, stored in two sizes.

An upload is accepted only if Pillow recognises it as JPEG, PNG or WebP (an SVG or a
renamed file is refused whatever its name), is at most MAX_BYTES and MAX_PIXELS (a
decompression bomb gets a form error, not a crash). It is then re-encoded, which drops
EXIF and other metadata, scaled to at most LARGE px, and a SMALL px copy is stored
beside it for lists and cards.
"""

import io
import warnings
from pathlib import PurePosixPath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
LARGE = 1200
SMALL = 400


def _open(file):
    file.seek(0)
    with warnings.catch_warnings():
        # Pillow warns, then raises, above its own limit; both mean "too many pixels".
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        image = Image.open(file)
        if image.width * image.height > MAX_PIXELS:
            raise Image.DecompressionBombError
        return image


def validate_image(file):
    """Refuse anything but a reasonable JPEG, PNG or WebP image, with a clear reason."""
    if file.size > MAX_BYTES:
        raise ValidationError(
            _("The image is %(size)s MB; the limit is %(limit)s MB."),
            params={"size": round(file.size / 1024 / 1024, 1), "limit": MAX_BYTES // 1024 // 1024},
            code="too_large",
        )
    try:
        image = _open(file)
        image_format = image.format
        image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("The image has too many pixels (more than %(limit)s million)."),
            params={"limit": MAX_PIXELS // 1_000_000},
            code="too_many_pixels",
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            _("This file is not an image we accept: use JPEG, PNG or WebP."), code="not_image"
        ) from None
    finally:
        file.seek(0)
    if image_format not in FORMATS:
        raise ValidationError(
            _("%(format)s images are not accepted: use JPEG, PNG or WebP."),
            params={"format": image_format},
            code="bad_format",
        )


def _encode(image, image_format, width):
    copy = image.copy()
    copy.thumbnail((width, width * 4))
    if image_format == "JPEG" and copy.mode not in ("RGB", "L"):
        copy = copy.convert("RGB")
    buffer = io.BytesIO()
    # Saving without exif/icc/pnginfo arguments drops every piece of metadata.
    copy.save(buffer, format=image_format, optimize=True, quality=85)
    return buffer.getvalue()


def process(file):
    """Re-encoded large and small versions of an upload: (extension, large, small)."""
    image = _open(file)
    image_format = image.format
    image = ImageOps.exif_transpose(image)
    image.load()
    file.seek(0)
    return (
        FORMATS[image_format],
        _encode(image, image_format, LARGE),
        _encode(image, image_format, SMALL),
    )


def small_name(name):
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}.small{path.suffix}"))


class CleanImageFormField(forms.ImageField):
    """Our checks first, so that a bomb or an oversized file gets its own message."""

    def to_python(self, data):
        file = forms.FileField.to_python(self, data)
        if file is not None:
            validate_image(file)
        return super().to_python(data)


def delete_stored(storage, name):
    """Remove an image and its small copy, once the transaction that dropped it commits."""

    def delete():
        for each in (name, small_name(name)):
            if storage.exists(each):
                storage.delete(each)

    if name:
        transaction.on_commit(delete)


class CleanImageField(models.ImageField):
    """An ImageField that validates by content and stores re-encoded images. A replaced
    or cleared image, and the image of a deleted record, leave the disk with it."""

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract:
            models.signals.pre_save.connect(self._remember_stored, sender=cls, weak=False)
            models.signals.post_save.connect(self._drop_replaced, sender=cls, weak=False)
            models.signals.post_delete.connect(self._drop_deleted, sender=cls, weak=False)

    def _remember_stored(self, sender, instance, raw=False, **kwargs):
        stored = sender._default_manager.filter(pk=instance.pk).values_list(
            self.attname, flat=True
        )
        setattr(instance, f"_stored_{self.attname}", stored.first() if instance.pk else None)

    def _drop_replaced(self, sender, instance, **kwargs):
        before = getattr(instance, f"_stored_{self.attname}", None)
        now = getattr(instance, self.attname)
        if before and before != (now.name if now else ""):
            delete_stored(self.storage, before)

    def _drop_deleted(self, sender, instance, **kwargs):
        file = getattr(instance, self.attname)
        if file:
            delete_stored(self.storage, file.name)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": CleanImageFormField, **kwargs})

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_image])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        file = getattr(model_instance, self.attname)
        if file and not file._committed:
            extension, large, small = process(file)
            stem = PurePosixPath(file.name).stem
            file.save(f"{stem}.{extension}", ContentFile(large), save=False)
            file.storage.save(small_name(file.name), ContentFile(small))
            return file
        return super().pre_save(model_instance, add)
