"""Small helpers that build records for tests where the seeds do not fit."""

from itertools import count

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
