"""Keeping the search entries right: in the same transaction as the change, and in bulk.

`sync(kind, ids)` rewrites the entries of those records (and removes the entries of
those that are no longer public); the signal handlers in catalogue/signals.py call it
for every save, deletion and relation change, with the records whose entries depend on
the changed one. Inside `deferred()` (seed loading, imports, bulk actions) the work is
collected and done once, at the end of the block, still inside its transaction.
`rebuild()` rewrites every entry at once (manage.py rebuild_search_index).
"""

import random
import time
import uuid
from collections import Counter, defaultdict
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import BooleanField, F, Func, Q

from ..models import (
    EntryKind,
    EntryTag,
    Figure,
    Film,
    FilmCredit,
    PersonRole,
    Practice,
    SearchEntry,
    TagCount,
)
from ..models.search import BUCKETS
from . import documents

BATCH = 2000
VERSION_KEY = "essor:catalogue-version"
_pending = ContextVar("search_index_pending", default=None)


# --- the catalogue version: every cached page is keyed on it -------------------------


def new_version():
    """The time of the change (whole seconds) and a random part: "1764500000-9f2c..."."""
    return f"{int(time.time())}-{uuid.uuid4().hex}"


def version():
    """A token that changes whenever what a visitor can see changes."""
    return cache.get_or_set(VERSION_KEY, new_version, timeout=None)


def changed_at(token):
    """When the catalogue last changed, as a version token says (a UTC datetime; None
    for a token written before versions said it)."""
    stamp = token.split("-", 1)[0]
    return datetime.fromtimestamp(int(stamp), tz=UTC) if stamp.isdigit() else None


def bump_version():
    """Now, so that this transaction's own reads see it, and again after the commit: a
    page cached meanwhile from the data before the commit would otherwise stay."""
    cache.set(VERSION_KEY, new_version(), timeout=None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, new_version(), timeout=None))


# --- which entries depend on a record ------------------------------------------------


def dependents(kind, object_ids):
    """(kind, ids) of the other records whose entries are built from these records.

    Read at once (lists, not querysets): before a deletion, the relations are gone by
    the time the dependents are written."""
    object_ids = list(object_ids)
    through = Practice.structures.through.objects
    if kind == EntryKind.PRACTICE:
        structures = through.filter(practice_id__in=object_ids).values_list("structure_id")
        films = Film.objects.filter(practice_id__in=object_ids).values_list("pk")
        figures = Figure.objects.filter(practice_id__in=object_ids).values_list("pk")
        return [
            (EntryKind.STRUCTURE, [pk for (pk,) in structures]),
            (EntryKind.FILM, [pk for (pk,) in films]),
            (EntryKind.FIGURE, [pk for (pk,) in figures]),
        ]
    if kind == EntryKind.STRUCTURE:
        practices = through.filter(structure_id__in=object_ids).values_list("practice_id")
        practice_ids = [pk for (pk,) in practices]
        films = Film.objects.filter(
            Q(structure_id__in=object_ids) | Q(practice_id__in=practice_ids)
        ).values_list("pk")
        people = PersonRole.objects.filter(structure_id__in=object_ids).values_list("person_id")
        figures = Figure.objects.filter(structure_id__in=object_ids).values_list("pk")
        return [
            (EntryKind.PRACTICE, practice_ids),
            (EntryKind.FILM, [pk for (pk,) in films]),
            (EntryKind.PERSON, [pk for (pk,) in people]),
            (EntryKind.FIGURE, [pk for (pk,) in figures]),
        ]
    if kind == EntryKind.PERSON:
        films = FilmCredit.objects.filter(person_id__in=object_ids).values_list("film_id")
        return [(EntryKind.FILM, [pk for (pk,) in films])]
    return []


class TagsContain(Func):
    """PostgreSQL: the entry carries every one of these tags. `string_to_array(tags, ' ')`
    is the expression of the GIN index migration 0005 creates, so several tags are
    intersected inside the index."""

    output_field = BooleanField()

    def __init__(self, tags, indexed=True):
        super().__init__(F("tags"))
        self.tags, self.indexed = sorted(tags), indexed

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        if not self.indexed:  # an expression the index does not serve: see has_tags
            column = f"({column} || '')"
        return f"string_to_array({column}, ' ') @> %s::text[]", [*params, self.tags]


class TagsInclude(Func):
    """SQLite: the entry's space-separated tags include this one (no index used)."""

    output_field = BooleanField()

    def __init__(self, tag):
        super().__init__(F("tags"))
        self.tag = tag

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        return f"(' ' || {column} || ' ') LIKE %s", [*params, f"% {self.tag} %"]


def has_tags(tags, indexed=True, counts=None):
    """The condition "carries all these tags", the way each database answers it best.

    PostgreSQL intersects the tags inside its GIN index. `indexed=False` is for rows
    that come from elsewhere (a few thousand sampled entries): each row's own tags are
    checked, which beats intersecting lists of hundreds of thousands. SQLite reads the
    rarest tag's entries from EntryTag (`counts`: tag -> entries) and checks the others
    in each of those rows."""
    if connection.vendor == "postgresql":
        return Q(TagsContain(tags, indexed))
    tags = sorted(tags, key=lambda t: (counts or {}).get(t, 0))
    checked = tags if not indexed else tags[1:]
    condition = Q(*(Q(TagsInclude(tag)) for tag in checked))
    if indexed and tags:
        condition &= Q(pk__in=EntryTag.objects.filter(tag=tags[0]).values("entry_id"))
    return condition


def tagged(tag):
    """(kind, ids) of the entries that carry a tag."""
    found = defaultdict(list)
    rows = SearchEntry.objects.filter(has_tags([tag])).values_list("kind", "object_id")
    for kind, object_id in rows:
        found[kind].append(object_id)
    return list(found.items())


# --- writing entries -----------------------------------------------------------------


@contextmanager
def deferred():
    """Collect every sync inside the block and do it once at its end."""
    if _pending.get() is not None:  # already collecting: the outer block will flush
        yield
        return
    pending = {"records": defaultdict(set), "dependents": defaultdict(set)}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
    # Dependents are looked up now, from the relations as the block left them.
    for kind, ids in pending["dependents"].items():
        for other, other_ids in dependents(kind, ids):
            pending["records"][other].update(other_ids)
    for kind, ids in pending["records"].items():
        write(kind, ids)


def sync(kind, object_ids, with_dependents=True):
    """Make the entries of these records (and of those built from them) right."""
    object_ids = list(object_ids)
    pending = _pending.get()
    if pending is not None:
        pending["records"][kind].update(object_ids)
        if with_dependents:
            pending["dependents"][kind].update(object_ids)
        return
    write(kind, object_ids)
    if with_dependents:
        for other, other_ids in dependents(kind, object_ids):
            if other_ids:
                write(other, other_ids)


@transaction.atomic
def write(kind, object_ids):
    """Rewrite the entries of these records; remove those of records no longer public.

    An entry is replaced rather than updated (a delete and a bulk insert cost the same
    for one record or thousands); it keeps its sample bucket."""
    object_ids = set(object_ids)
    docs = documents.build(kind, object_ids)
    existing = SearchEntry.objects.filter(kind=kind, object_id__in=object_ids)
    buckets, delta, old_ids = {}, Counter(), []
    for pk, object_id, bucket, tags in existing.values_list("pk", "object_id", "bucket", "tags"):
        old_ids.append(pk)
        buckets[object_id] = bucket
        delta.subtract(tags.split())
    if old_ids:
        EntryTag.objects.filter(entry_id__in=old_ids)._raw_delete(EntryTag.objects.db)
        SearchEntry.objects.filter(pk__in=old_ids)._raw_delete(SearchEntry.objects.db)
    insert_entries(kind, docs, buckets)
    for doc in docs:
        delta.update(doc.tags)
    add_counts(delta)
    if old_ids or docs:
        bump_version()


def insert_entries(kind, docs, buckets=None):
    """Insert the entries of `docs` and their tags; an entry keeps its bucket if given
    one in `buckets` (object id -> bucket), else draws it."""
    buckets = buckets or {}
    entries = []
    for doc in docs:
        bucket = buckets.get(doc.object_id)
        entries.append(
            SearchEntry(
                kind=kind,
                object_id=doc.object_id,
                bucket=random.randrange(BUCKETS) if bucket is None else bucket,
                tags=" ".join(sorted(doc.tags)),
                sort_fr=doc.sort["fr"],
                sort_en=doc.sort["en"],
                text_fr=doc.text["fr"],
                text_en=doc.text["en"],
                year=doc.year,
                published=doc.published,
            )
        )
    SearchEntry.objects.bulk_create(entries, batch_size=BATCH)
    insert_tags((e.pk, t) for e, doc in zip(entries, docs, strict=True) for t in doc.tags)


def insert_tags(rows):
    """Insert (entry id, tag) rows without model instances: COPY on PostgreSQL (ten
    rows an entry, millions in a rebuild), executemany elsewhere."""
    table = connection.ops.quote_name(EntryTag._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} (entry_id, tag) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} (entry_id, tag) VALUES (%s, %s)", list(rows))


def add_counts(delta):
    """Add `delta` (tag -> change) to the tag counts, in tag order (no deadlock)."""
    rows = sorted((t, n) for t, n in delta.items() if n)
    if not rows:
        return
    table = connection.ops.quote_name(TagCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (tag, count) VALUES (%s, %s) "
            f"ON CONFLICT (tag) DO UPDATE SET count = {table}.count + excluded.count",
            rows,
        )
    TagCount.objects.filter(count__lte=0).delete()


# --- rebuilding everything -----------------------------------------------------------


@transaction.atomic
def rebuild(progress=None):
    """Rewrite every entry from the records, in batches; return the number of entries."""
    EntryTag.objects.all()._raw_delete(EntryTag.objects.db)
    SearchEntry.objects.all()._raw_delete(SearchEntry.objects.db)
    total = 0
    for kind, spec in documents.KINDS.items():
        ids = list(spec.queryset().order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            batch = documents.build(kind, ids[start : start + BATCH])
            insert_entries(kind, batch)
            total += len(batch)
            if progress:
                progress(kind, total)
    recount()  # empties and refills the tag counts
    bump_version()
    return total


def stale_kinds():
    """The kinds whose number of entries differs from their number of public records."""
    counts = dict(TagCount.objects.filter(tag__startswith="type:").values_list("tag", "count"))
    untagged = set(SearchEntry.objects.filter(tags="").values_list("kind", flat=True).distinct())
    return [
        kind
        for kind, spec in documents.KINDS.items()
        if kind in untagged or spec.queryset().count() != counts.get(f"type:{kind}", 0)
    ]


def recount():
    """Count every tag again from the entries (after a bulk change)."""
    TagCount.objects.all()._raw_delete(TagCount.objects.db)
    tag_table = connection.ops.quote_name(EntryTag._meta.db_table)
    count_table = connection.ops.quote_name(TagCount._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {count_table} (tag, count) "
            f"SELECT tag, COUNT(*) FROM {tag_table} GROUP BY tag"
        )
