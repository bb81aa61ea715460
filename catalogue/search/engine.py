"""The public search on the search entries: the form, results, facets and pages.

Everything proportional to the number of matches happens in SQL; Python only ever
holds one page of results and one row per facet choice. A search page costs the same
few queries whatever its filters and page:
1. the vocabulary (every choice of every facet; cached with the catalogue version)
   and the tag counts (the unfiltered counts, and the size of any one-filter set),
2. every facet's counts, each with the other filters applied, estimated on a fixed
   random sample of about SAMPLE_SIZE entries (one query that reads the sample once),
3. the same, exactly, for the sets that may hold EXACT_LIMIT entries or fewer,
   reading no more than EXACT_LIMIT + 1 of them (one UNION query),
4. the page's entries with their tags (themes for the cards), 5. their cards (one
   UNION over the kinds).
"""

import math
from dataclasses import dataclass

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import BooleanField, ExpressionWrapper, F, Func, Q, TextChoices
from django.db.models.expressions import RawSQL
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from core.text import normalize
from levers.models import Lever
from territories.models import Kind as TerritoryKind
from territories.models import Territory

from ..models import (
    Accreditation,
    EntryKind,
    LegalForm,
    Role,
    SearchEntry,
    TagCount,
    Theme,
)
from ..models.search import BUCKETS
from . import index
from .index import has_tags
from .text import Query, parse

PAGE_SIZE = 20
# Up to this many matches, totals and facet counts are exact; above it, they are
# estimated from a random sample of about SAMPLE_SIZE entries.
EXACT_LIMIT = 5_000
SAMPLE_SIZE = 5_000
# Up to this many matches, results can be ranked by relevance; above, by name.
RANK_LIMIT = 5_000
# How deep a visitor can page: as far as a person reads, at the cost of page 2.
MAX_RESULTS = 2_000
FACETS = ["type", "region", "country", "theme", "status", "lever"]
FTS_TABLE = "catalogue_searchentry_fts"


class SortChoices(TextChoices):
    RELEVANCE = "relevance", _("Relevance")
    NAME = "name", _("Name")
    YEAR = "year", _("Year (newest first)")


# --- the vocabulary: every choice of every facet, with its tag -------------------------


@dataclass(frozen=True)
class Choice:
    value: str  # as in the URL: a slug, a lever number, "form-scic"...
    tag: str  # as on the entries: "territory:12", "form:scic"...
    labels: tuple  # (French, English), or one lazy translation

    def label(self, lang):
        if len(self.labels) == 1:
            return str(self.labels[0])
        fr, en = self.labels
        return (en or fr) if lang == "en" else (fr or en)


VOCABULARY_SQL = """
SELECT 'territory', id, kind, slug, name_fr, name_en FROM {territory}
    WHERE kind IN (%s, %s)
UNION ALL SELECT 'theme', id, '', slug, name_fr, name_en FROM {theme}
UNION ALL SELECT 'lever', id, '', CAST(number AS VARCHAR(10)), short_title_fr, short_title_en
    FROM {lever}
UNION ALL SELECT 'accreditation', id, '', slug, name_fr, name_en FROM {accreditation}
"""


def vocabulary_rows():
    """Every facet's choices stored in the database, in one query."""
    sql = VOCABULARY_SQL.format(
        territory=Territory._meta.db_table,
        theme=Theme._meta.db_table,
        lever=Lever._meta.db_table,
        accreditation=Accreditation._meta.db_table,
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [TerritoryKind.REGION, TerritoryKind.COUNTRY])
        return cursor.fetchall()


def load_vocabulary(rows):
    """Every facet's choices: those of the database `rows`, and the fixed ones."""
    facets = {name: [] for name in FACETS}
    facets["type"] = [Choice(k.value, f"type:{k.value}", (k.label,)) for k in EntryKind]
    facets["status"] = [
        Choice(f"form-{f.value}", f"form:{f.value}", (f.label,)) for f in LegalForm
    ]
    for source, pk, kind, value, fr, en in rows:
        labels = (fr or "", en or "")
        if source == "territory":
            facet = "region" if kind == TerritoryKind.REGION else "country"
            facets[facet].append(Choice(value, f"territory:{pk}", labels))
        elif source == "accreditation":
            facets["status"].append(Choice(f"acc-{value}", f"accreditation:{pk}", labels))
        else:
            facets[source].append(Choice(value, f"{source}:{pk}", labels))
    facets["status"].append(Choice("ptce", f"role:{Role.PTCE}", (Role.PTCE.label,)))
    facets["lever"].sort(key=lambda c: int(c.value))
    return facets


def vocabulary():
    """The facets' choices; the database's part is cached until the catalogue changes.
    (Only plain rows are cached: unpickling lazy translations costs milliseconds.)"""
    key = f"essor:vocabulary:{index.version()}"
    rows = cache.get(key)
    if rows is None:
        rows = vocabulary_rows()
        cache.set(key, rows, timeout=24 * 3600)
    return load_vocabulary(rows)


def theme_labels(facets, lang):
    return {c.tag: c.label(lang) for c in facets["theme"]}


# --- the form ------------------------------------------------------------------------


class CatalogueFilter(django_filters.FilterSet):
    """The search form over the search entries: every filter is a condition (a Q)."""

    q = django_filters.CharFilter(label=_("Words to look for"), method="by_condition")
    type = django_filters.ChoiceFilter(
        label=_("Type of record"), method="by_condition", empty_label=_("All types")
    )
    region = django_filters.ChoiceFilter(
        label=_("Region"), method="by_condition", empty_label=_("All regions")
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), method="by_condition", empty_label=_("All countries")
    )
    theme = django_filters.ChoiceFilter(
        label=_("Theme"), method="by_condition", empty_label=_("All themes")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), method="by_condition", empty_label=_("All statuses")
    )
    lever = django_filters.ChoiceFilter(
        label=_("Lever"), method="by_condition", empty_label=_("All levers")
    )
    sort = django_filters.ChoiceFilter(
        label=_("Sort by"),
        choices=SortChoices.choices,
        method="by_nothing",
        empty_label=None,
        widget=forms.Select,
    )

    class Meta:
        model = SearchEntry
        fields = []

    def __init__(self, data=None, *args, facets=None, language="fr", **kwargs):
        super().__init__(data, *args, queryset=SearchEntry.objects.all(), **kwargs)
        self.facets = facets if facets is not None else vocabulary()
        self.language = language
        for name in FACETS:
            self.filters[name].extra["choices"] = [
                (c.value, c.label(language)) for c in self.facets[name]
            ]
        # A space after the last word says it is complete (see text.parse): keep it.
        self.form.fields["q"].strip = False

    @cached_property
    def query(self):
        self.form.is_valid()
        return parse(self.form.cleaned_data.get("q") or "")

    def tag_of(self, name, value):
        return next(c.tag for c in self.facets[name] if c.value == value)

    def conditions(self):
        """The condition of each filter given a valid value, by filter name."""
        self.form.is_valid()
        found = {}
        if self.query:
            found["q"] = self.query  # a Query: see Search.entries
        for name in FACETS:
            value = self.form.cleaned_data.get(name)
            if not value:
                continue
            # Every choice is a tag (see Search.entries), a kind too: "type:practice".
            found[name] = self.tag_of(name, value)
        return found

    def by_condition(self, queryset, name, value):
        condition = self.conditions().get(name)
        if isinstance(condition, str):
            condition = has_tags([condition])
        elif isinstance(condition, Query):
            condition = text_condition(condition)
        return queryset if condition is None else queryset.filter(condition)

    def by_nothing(self, queryset, name, value):
        return queryset  # the sort is applied by Search


class MatchesText(Func):
    """PostgreSQL: the entry's document matches the query in French or in English.
    `indexed=False` hides the document from its GIN index, for rows taken elsewhere
    (a few thousand sampled entries: checking them beats reading a long posting list)."""

    output_field = BooleanField()

    def __init__(self, query, indexed=True):
        super().__init__(F("document"))
        self.text, self.indexed = query.tsquery(), indexed

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        if not self.indexed:
            column = f"({column} || ''::tsvector)"
        sql = f"{column} @@ (to_tsquery('essor_fr', %s) || to_tsquery('essor_en', %s))"
        return sql, [*params, self.text, self.text]


def text_condition(query, indexed=True):
    if not query.positive:  # only -words: everything without any of them
        return ~text_condition(query.any_excluded(), indexed)
    if connection.vendor == "postgresql":
        return Q(MatchesText(query, indexed))
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
    if indexed:
        return Q(pk__in=RawSQL(sql, [query.fts5()]))
    # A unary + keeps SQLite from reading the entries by this list (see Search.ordered).
    entry = SearchEntry._meta.db_table
    return Q(RawSQL(f"+{entry}.id IN ({sql})", [query.fts5()], output_field=BooleanField()))


def ts_query(query):
    """Both languages at once: each word stemmed the French and the English way."""
    text = query.tsquery()
    return SearchQuery(text, config="essor_fr", search_type="raw") | SearchQuery(
        text, config="essor_en", search_type="raw"
    )


def ranked(queryset, query):
    """The queryset with a `rank` (higher is better), computed once per match."""
    if connection.vendor == "postgresql":
        return queryset.annotate(rank=SearchRank(F("document"), ts_query(query)))
    # SQLite: join the FTS5 table once (a subquery per row would run the match again for
    # every row). bm25 is lower for better matches; a name weighs ten times the text.
    entry = SearchEntry._meta.db_table
    return queryset.extra(  # noqa: S610 - constant SQL, the match is a parameter
        select={"rank": f"-bm25({FTS_TABLE}, 10.0, 10.0, 1.0, 1.0)"},
        tables=[FTS_TABLE],
        where=[f"{FTS_TABLE}.rowid = {entry}.id", f"{FTS_TABLE} MATCH %s"],
        params=[query.fts5()],
    )


def split_tags(alias):
    """(join, column): SQL joining each row of `alias` to its own tags, one row each,
    split in the database (no join to the tag table), and the tag's column. (Tags are
    made of [a-z0-9:_-] only, so they go into a JSON array as they are.)"""
    if connection.vendor == "postgresql":
        return f"CROSS JOIN LATERAL unnest(string_to_array({alias}.tags, ' ')) AS j(tag)", "j.tag"
    array = f"""'["' || replace({alias}.tags, ' ', '","') || '"]'"""
    return f"CROSS JOIN json_each({array}) j", "j.value"


def tag_in(column, tags):
    """(SQL, params): the tag `column` is one of `tags`."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(tags)]
    return f"{column} IN ({', '.join(['%s'] * len(tags))})", list(tags)


def count_tags(parts):
    """(part, tag, entries) for each (entries, tags) part, in one UNION ALL query."""
    if not parts:
        return []
    sql, params = [], []
    for i, (entries, tags) in enumerate(parts):
        inner, inner_params = entries.values("tags").query.sql_with_params()
        split, tag = split_tags("s")
        chosen, chosen_params = tag_in(tag, tags)
        sql.append(
            f"SELECT {i}, {tag}, COUNT(*) FROM ({inner}) s {split} WHERE {chosen} GROUP BY {tag}"
        )
        params += [*inner_params, *chosen_params]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(sql), params)
        return cursor.fetchall()


def count_tags_once(rows, filters, sets, tags):
    """(part, tag, entries) for each set of filters, reading `rows` once.

    `filters` maps a name to a condition; each row says once which filters it meets,
    then each of its tags is counted in every set whose filters it meets all of."""
    if not sets:
        return []
    flags = {
        f"f_{name}": ExpressionWrapper(condition, output_field=BooleanField())
        for name, condition in filters.items()
    }
    inner, inner_params = rows.annotate(**flags).values("tags", *flags).query.sql_with_params()
    meets = [" AND ".join(f"s.f_{name}" for name in sorted(names)) or "TRUE" for names in sets]
    counted = ", ".join(f"COUNT(*) FILTER (WHERE {meet})" for meet in meets)
    split, tag = split_tags("s")
    chosen, chosen_params = tag_in(tag, sorted(tags))
    # MATERIALIZED: each row's conditions are computed once, not once per tag; only the
    # rows in some set have their tags split.
    sql = (
        f"WITH s AS MATERIALIZED ({inner}) "
        f"SELECT {tag}, {counted} FROM s {split} "
        f"WHERE ({' OR '.join(f'({meet})' for meet in meets)}) AND {chosen} GROUP BY {tag}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*inner_params, *chosen_params])
        found = cursor.fetchall()
    return [(part, row[0], n) for row in found for part, n in enumerate(row[1:]) if n]


def is_sampled(size):
    """Whether `size` entries are counted on a sample: on a catalogue a few samples big,
    a sample reads about as much as counting."""
    return size > 4 * SAMPLE_SIZE


def sample_buckets(size):
    """How many of the BUCKETS a sample of about SAMPLE_SIZE of `size` entries takes."""
    return max(1, min(BUCKETS, math.ceil(BUCKETS * SAMPLE_SIZE / max(size, 1))))


# --- the search ----------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What a territory's, a lever's or the films' page always searches within."""

    tag: str


@dataclass
class Total:
    """A number of results: exact, or estimated from a sample (`exact` False)."""

    value: int
    exact: bool = True

    @property
    def shown(self):
        """An estimate is rounded to two significant digits: no false precision."""
        if self.exact or self.value < 100:
            return self.value
        step = 10 ** (int(math.log10(self.value)) - 1)
        return round(self.value / step) * step


@dataclass
class Option:
    value: str
    label: str
    count: Total | None
    selected: bool

    @property
    def text(self):
        """What the choice reads: "Label (12)", "Label (≈ 1200)" for an estimate."""
        if not self.count:
            return self.label
        shown = number_format(self.count.shown)
        return f"{self.label} ({shown})" if self.count.exact else f"{self.label} (≈ {shown})"


@dataclass
class Facet:
    field: object  # the bound form field
    options: list


class EntryList:
    """What Paginator pages through: the matching entries, sliced in SQL."""

    def __init__(self, search, count):
        self.search, self._count = search, count

    def count(self):
        return self._count

    def __len__(self):
        return self._count

    def __getitem__(self, item):
        return list(self.search.page_rows(item.start or 0, item.stop))


class Search:
    """One visitor's search: the form validated once, then every answer from SQL.

    A "set" is the entries matching some of the filters: the results match them all,
    and each facet counts the set without its own filter ("how many if I chose this").
    Sets are named by the filters they apply, so facets that share one count it once.
    """

    def __init__(self, data, language, scope=None):
        self.language = language
        self.scope = scope
        # More tags to count among the results, in the same query (a map's departments).
        self.also_counted = set()
        self.facets = vocabulary()
        self.filterset = CatalogueFilter(data, facets=self.facets, language=language)
        self.form = self.filterset.form
        self.form.is_valid()
        self.query = self.filterset.query
        self.conditions = self.filterset.conditions()
        self.all = frozenset(self.conditions)

    def condition(self, names, indexed=True, scoped=True):
        """The filters `names` (and the page's scope, if `scoped`) as one Q; `indexed`
        False for rows taken from the sample (see has_tags)."""
        condition = Q()
        tags = [self.scope.tag] if scoped and self.scope is not None else []
        for name in sorted(names):
            wanted = self.conditions[name]
            if isinstance(wanted, str):
                tags.append(wanted)
            elif isinstance(wanted, Query):
                condition &= text_condition(wanted, indexed)
            else:
                condition &= wanted
        if tags:
            condition &= has_tags(tags, indexed, counts=self.tag_counts)
        return condition

    def entries(self, names):
        """The entries matching the filters `names` and the page's scope."""
        return SearchEntry.objects.filter(self.condition(names))

    def facet_set(self, facet):
        return self.all - {facet}

    # -- sizes --
    @cached_property
    def tag_counts(self):
        return dict(TagCount.objects.values_list("tag", "count"))

    @cached_property
    def catalogue_size(self):
        return sum(self.tag_counts.get(f"type:{kind}", 0) for kind in EntryKind.values)

    def tags_of(self, names):
        """The tags a set of filters comes down to, or None if it searches text."""
        if "q" in names:
            return None
        tags = [self.scope.tag] if self.scope is not None else []
        for name in names:
            tags.append(self.conditions[name])
        return tags

    def known_size(self, names):
        """A set's exact size when the tag counts already hold it: no text, one tag."""
        tags = self.tags_of(names)
        if tags is None or len(tags) > 1:
            return None
        return self.tag_counts.get(tags[0], 0) if tags else self.catalogue_size

    @cached_property
    def sample_buckets(self):
        return sample_buckets(self.catalogue_size)

    # -- facet counts and set sizes --
    @cached_property
    def needed(self):
        """{set: the tags to count in it}: each facet's set, and the results' own set.
        Every set counts the kinds' tags too: they add up to its size (one per entry)."""
        kinds = {c.tag for c in self.facets["type"]}
        needed = {self.all: set(kinds) | self.also_counted}
        for facet in FACETS:
            needed.setdefault(self.facet_set(facet), set(kinds)).update(
                c.tag for c in self.facets[facet]
            )
        return needed

    def size_in(self, counts):
        """A set's size from its counts: every entry has exactly one kind's tag."""
        return sum(counts.get(c.tag, Total(0)).value for c in self.facets["type"])

    @cached_property
    def counts(self):
        """{set: {tag: Total}} for every set in `needed`, in two queries at most:

        1. on a fixed random sample, the sets whose size the tag counts do not say:
           a cheap estimate of every count, and of each set's size;
        2. exactly, reading no more than EXACT_LIMIT + 1 entries, the sets that may be
           small enough (estimated under twice the limit): if the limit is not reached,
           the counts are exact, otherwise the estimates stand.
        A catalogue of up to 4 × SAMPLE_SIZE entries is counted exactly, in one query.
        """
        result, sampled, exact = {}, [], []
        sampling = is_sampled(self.catalogue_size)
        for names, tags in self.needed.items():
            if not names and self.scope is None:  # the whole catalogue: counted already
                result[names] = {t: Total(self.tag_counts.get(t, 0)) for t in tags}
                continue
            known = self.known_size(names)
            if sampling and (known is None or known > EXACT_LIMIT):
                sampled.append(names)
            else:
                exact.append(names)
        scale = BUCKETS / self.sample_buckets
        for names, counts in self.count(sampled, sample=True).items():
            result[names] = {t: Total(round(n * scale), exact=False) for t, n in counts.items()}
        exact += [
            names
            for names in sampled
            if self.known_size(names) is None and self.size_in(result[names]) < 2 * EXACT_LIMIT
        ]
        for names, counts in self.count(exact, sample=False, limit=sampling).items():
            totals = {t: Total(n) for t, n in counts.items()}
            if not sampling or self.size_in(totals) <= EXACT_LIMIT:
                result[names] = totals
            else:
                result.setdefault(names, {})  # more than the limit: estimates stand
        return result

    def count(self, sets, sample, limit=True):
        """{set: {tag: entries}} in one query: in the sample (read once for every
        set), or up to EXACT_LIMIT + 1 entries of each set (`limit`), or all of them."""
        if sample:
            rows = SearchEntry.objects.filter(bucket__lt=self.sample_buckets)
            if self.scope is not None:
                rows = rows.filter(has_tags([self.scope.tag], indexed=False))
            names = sorted(set().union(*sets)) if sets else []
            filters = {name: self.condition([name], indexed=False, scoped=False) for name in names}
            tags = set().union(*(self.needed[names] for names in sets)) if sets else set()
            counted = count_tags_once(rows, filters, sets, tags)
        else:
            parts = []
            for names in sets:
                entries = self.entries(names)
                if limit:
                    entries = entries.order_by()[: EXACT_LIMIT + 1]
                parts.append((entries, sorted(self.needed[names])))
            counted = count_tags(parts)
        found = {names: {} for names in sets}
        for part, tag, n in counted:
            if tag in self.needed[sets[part]]:
                found[sets[part]][tag] = n
        return found

    @cached_property
    def exact_sizes(self):
        """The sizes of the sets counted exactly (EXACT_LIMIT entries at most)."""
        sizes = {}
        for names, counts in self.counts.items():
            if all(total.exact for total in counts.values()):
                sizes[names] = self.size_in(counts)
        return sizes

    @cached_property
    def total(self):
        known = self.known_size(self.all)
        if known is not None:
            return Total(known)
        if self.all in self.exact_sizes:
            return Total(self.exact_sizes[self.all])
        estimate = self.size_in(self.counts[self.all])
        return Total(max(estimate, EXACT_LIMIT + 1), exact=False)

    def facet_choices(self, facet):
        """(choice, its count, whether it is chosen) for a facet's choices that would
        give something, or are chosen: the page's select boxes and the API's facets."""
        chosen = self.form.data.get(facet) or ""
        counts = self.counts[self.facet_set(facet)]
        for choice in self.facets[facet]:
            count = counts.get(choice.tag, Total(0))
            selected = choice.value == chosen
            if count.value or selected:
                yield choice, count, selected

    def facet_views(self):
        """Each facet with its choices, their counts and which is chosen."""
        views = []
        for facet in FACETS:
            chosen = self.form.data.get(facet) or ""
            options = [
                Option("", self.filterset.filters[facet].extra["empty_label"], None, not chosen)
            ]
            for choice, count, selected in self.facet_choices(facet):
                options.append(Option(choice.value, choice.label(self.language), count, selected))
            if facet == "region" or facet == "country" or facet == "theme":
                options[1:] = sorted(options[1:], key=lambda o: normalize(o.label))
            views.append(Facet(self.form[facet], options))
        return views

    # -- results --
    @cached_property
    def sort(self):
        chosen = self.form.cleaned_data.get("sort")
        if not chosen:
            chosen = SortChoices.RELEVANCE if self.query.positive else SortChoices.NAME
        if chosen == SortChoices.RELEVANCE and (
            not self.query.positive or self.total.value > RANK_LIMIT
        ):
            return SortChoices.NAME
        return chosen

    @property
    def sort_fell_back(self):
        """Relevance was asked for (or implied by words) but there are too many matches."""
        asked = self.form.cleaned_data.get("sort") or (
            self.query.positive and SortChoices.RELEVANCE
        )
        return asked == SortChoices.RELEVANCE and self.sort != SortChoices.RELEVANCE

    def ordered(self, rows=PAGE_SIZE):
        """The results in order, for reading their first `rows`."""
        key = f"sort_{self.language}"
        if self.sort == SortChoices.RELEVANCE:
            return ranked(self.entries(self.all), self.query).order_by("-rank", key, "pk")
        if self.sort == SortChoices.YEAR:
            queryset = self.entries(self.all)
            return queryset.order_by(F("year").desc(nulls_last=True), key, "pk")
        # SQLite reads the matches by their tag or word, then sorts them all, even when
        # walking the sort key's index would find the first `rows` sooner. Walking reads
        # about rows × catalogue / total entries: do it when that is fewer than the total.
        # (PostgreSQL's planner weighs this itself, from its statistics.)
        total = max(self.total.value, 1)
        walk = connection.vendor == "sqlite" and rows * self.catalogue_size < total * total
        queryset = SearchEntry.objects.filter(self.condition(self.all, indexed=not walk))
        return queryset.order_by(key, "pk")

    def paginator(self):
        browsable = min(self.total.value, MAX_RESULTS)
        return Paginator(EntryList(self, browsable), PAGE_SIZE)

    def page_rows(self, start, stop):
        """(entry id, kind, object id, tags) of the results from `start` to `stop`."""
        rows = self.ordered(rows=stop).values_list("pk", "kind", "object_id", "tags")
        return rows[start:stop]

    def rows_after(self, position, count):
        """(rows, position of the last): up to `count` results after `position` (None:
        from the first), each (entry id, kind, object id, tags). Name and year orders go
        on from the last row along their index (keyset pagination: any depth costs what
        the first rows cost); relevance, for at most RANK_LIMIT matches, by offset.
        Positions are lists of plain values (see is_position)."""
        if self.sort == SortChoices.RELEVANCE:
            start = position[0] if position else 0
            rows = list(self.page_rows(start, start + count))
            return rows, [start + len(rows)]
        key = f"sort_{self.language}"
        queryset = self.ordered(rows=count)
        if position:
            queryset = queryset.filter(self.after(position))
        rows = list(queryset.values_list("pk", "kind", "object_id", "tags", key, "year")[:count])
        if not rows:
            return [], position
        pk, *_ignored, name, year = rows[-1]
        last = [year, name, pk] if self.sort == SortChoices.YEAR else [name, pk]
        return [row[:4] for row in rows], last

    def after(self, position):
        """The rows after `position` in the search's order (name, or year then name)."""
        key = f"sort_{self.language}"
        if self.sort != SortChoices.YEAR:
            return after_name(key, *position)
        year, name, pk = position
        if year is None:  # years come first, the rows without one last
            return Q(year__isnull=True) & after_name(key, name, pk)
        return Q(year__lt=year) | Q(year__isnull=True) | (Q(year=year) & after_name(key, name, pk))

    def is_position(self, position):
        """Whether `position` (from a client) is a position of this search's order."""
        if not isinstance(position, list):
            return False
        if self.sort == SortChoices.RELEVANCE:
            return len(position) == 1 and is_int(position[0]) and 0 <= position[0] <= RANK_LIMIT
        if self.sort == SortChoices.YEAR:
            if len(position) != 3 or not (position[0] is None or is_int(position[0])):
                return False
            position = position[1:]
        return (
            len(position) == 2
            and isinstance(position[0], str)
            and len(position[0]) <= 300
            and is_int(position[1])
            and 0 < position[1] < 2**63
        )


def is_int(value):
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63


def after_name(key, name, pk):
    """The rows after (name, pk) in name order, as one row-value comparison: the (name,
    id) index answers it directly, where "name > x OR (name = x AND id > y)" made
    PostgreSQL read the index from its start (at 1,000,000 entries, 0.1 ms against
    1.3 s for the 100,000th row)."""
    quote = connection.ops.quote_name
    table, column = quote(SearchEntry._meta.db_table), quote(key)
    sql = f"({table}.{column}, {table}.{quote('id')}) > (%s, %s)"
    return Q(RawSQL(sql, [name, pk], output_field=BooleanField()))
