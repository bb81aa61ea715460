"""The search layer: one entry per public record, kept in the database.

An entry holds what search needs and nothing else (catalogue/search/ owns how it is
filled and queried):
- the record's kind and id;
- sort keys per language (accent-free name, year) and a random sample bucket;
- its accent-free text per language (the sort key is its name, weighted above the
  rest of its text), which the database indexes itself through triggers created
  by migration 0004: a weighted tsvector with a GIN index on PostgreSQL, an FTS5 table
  on SQLite;
- its tags (EntryTag), one per value a filter or facet can choose: every territory it
  lies in (ancestors included), its themes, levers, action areas, the legal forms,
  accreditations and PTCE role of its structures, and its kind.

TagCount keeps, for each tag, how many public entries carry it: the unfiltered facet
counts and the home page's figures, without counting a million rows.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    PRACTICE = "practice", _("Practices")
    STRUCTURE = "structure", _("Structures")
    FILM = "film", _("Films")
    LEVER = "lever", _("Levers")
    ACTION_AREA = "actionarea", _("Action areas")
    TERM = "term", _("Glossary terms")
    PERSON = "person", _("People")
    FIGURE = "figure", _("Key figures")


# The sample bucket of an entry is drawn once in [0, BUCKETS): a stable random sample
# of any size is "bucket < n", which an index serves (see search.facets).
BUCKETS = 10_000


class SearchEntry(models.Model):
    kind = models.CharField(max_length=12, choices=EntryKind)
    object_id = models.PositiveBigIntegerField()
    sort_fr = models.CharField(max_length=300)
    sort_en = models.CharField(max_length=300)
    year = models.SmallIntegerField(null=True)
    # When the record was first published (null for levers and action areas): feeds.
    published = models.DateTimeField(null=True)
    bucket = models.SmallIntegerField()
    text_fr = models.TextField()
    text_en = models.TextField()
    # Its tags, space-separated (PostgreSQL filters and counts them with a GIN index on
    # string_to_array(tags, ' '); SQLite uses EntryTag).
    tags = models.TextField(default="")
    # PostgreSQL only: filled by the database from the sort keys and texts (trigger).
    document = SearchVectorField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_record")
        ]
        indexes = [
            models.Index(fields=["sort_fr", "id"], name="search_entry_sort_fr"),
            models.Index(fields=["sort_en", "id"], name="search_entry_sort_en"),
            models.Index(fields=["kind", "sort_fr", "id"], name="search_entry_kind_fr"),
            models.Index(fields=["kind", "sort_en", "id"], name="search_entry_kind_en"),
            models.Index(fields=["year", "sort_fr"], name="search_entry_year"),
            models.Index(fields=["bucket"], name="search_entry_bucket"),
            models.Index(fields=["published", "id"], name="search_entry_published"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}"


class EntryTag(models.Model):
    """One value an entry can be filtered by, such as ``territory:12`` or ``form:scic``."""

    pk = models.CompositePrimaryKey("entry_id", "tag")
    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="entry_tags")
    tag = models.CharField(max_length=40)

    class Meta:
        indexes = [models.Index(fields=["tag", "entry"], name="entry_tag_by_tag")]

    def __str__(self):
        return self.tag


class TagCount(models.Model):
    """How many public entries carry a tag (kept up to date with every entry change)."""

    tag = models.CharField(max_length=40, primary_key=True)
    count = models.IntegerField(default=0)  # no CHECK: an upsert adds negative deltas

    def __str__(self):
        return f"{self.tag}: {self.count}"
