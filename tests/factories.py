"""Small helpers that build records for tests where the seeds do not fit."""

from itertools import count

from django.contrib.auth.models import Group
from django.utils import translation

from catalogue.models import Citation, Practice, Source, Status, Structure
from territories.models import Kind, Territory

_n = count(1)


def territory(name, kind=Kind.CITY, parent=None, **fields):
    slug = fields.pop("slug", f"test-{next(_n)}")
    return Territory.objects.create(slug=slug, name_fr=name, kind=kind, parent=parent, **fields)


def structure(name, status=Status.PUBLISHED, **fields):
    fields.setdefault("slug", f"test-structure-{next(_n)}")
    return Structure.objects.create(name_fr=name, status=status, **fields)


def practice(title, status=Status.PUBLISHED, **fields):
    fields.setdefault("slug", f"test-practice-{next(_n)}")
    return Practice.objects.create(title_fr=title, status=status, **fields)


def cite(record, source_slug="susy-films", heading="test", lines=""):
    return Citation.objects.create(
        record=record, source=Source.objects.get(slug=source_slug), heading=heading, lines=lines
    )


def staff(django_user_model, name):
    """A staff user in the curation group `name` ("Curator" or "Editor")."""
    user = django_user_model.objects.create_user(name.lower(), f"{name}@example.org", "pw")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=name))
    return user


def url(record, lang):
    """A record's public address in `lang`."""
    with translation.override(lang):
        return record.get_absolute_url()
