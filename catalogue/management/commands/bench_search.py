"""Time the public search through the real URL stack: `manage.py bench_search`.

    manage.py bench_search [--runs 20] [--rare W] [--medium W] [--common W]

Runs a fixed mix of requests with django.test.Client against the current database
(add records first with `manage.py generate_catalogue`): text searches (a rare word, a
word of about 1% of the records, a word of most records, a prefix, a quoted phrase) in
both languages, filters, page 2 and the deepest browsable page, the home page (warm,
and with the cache cleared before every run), a practice, a territory and a lever
page. For each request it prints the HTTP status, the number of SQL queries, the first
(cold) time, then p50, p95 and max over --runs runs; for the pages that list search
results, the p50 of the page's result query alone, run as raw SQL, and how many times
longer the whole request takes. The words default to words of the current data,
chosen from a sample of the search entries (--rare/--medium/--common WORD sets one for
both languages, FR_WORD,EN_WORD one per language).
"""

import math
import statistics
import time
import tracemalloc
from contextlib import nullcontext
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, reset_queries
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import translation

from api.views import encode_cursor
from catalogue.models import EntryKind, EntryTag, Practice, SearchEntry, TagCount, Theme
from catalogue.models.search import BUCKETS
from catalogue.search.engine import MAX_RESULTS, PAGE_SIZE, Scope, Search
from levers.models import Lever
from territories.models import Territory

from .generate_catalogue import LANGUAGES, PREFIX, choose_words, words

API_DEEP = 100_000  # a result far down the name order, for the API's cursor
SAMPLE = 3_000  # search entries whose words are counted to choose the default words
REGION = "occitanie"  # a region with former regions (Midi-Pyrénées...) inside it
STATUS = "form-scic"
LEVER_FILTER = "8"
LEVER_PAGE = 3
PREFIXES = {"fr": "coop", "en": "coop"}
PHRASES = {"fr": '"economie sociale"', "en": '"solidarity economy"'}


@dataclass
class Line:
    label: str
    url: str
    uncached: bool = False  # the cache is cleared before every run
    # A page listing search results: what its result query is built from.
    params: dict | None = None
    lang: str = "fr"
    scope: str | None = None  # a Scope tag (territory and lever pages)
    timings: list = field(default_factory=list)


def percentile(values, share):
    """Nearest-rank percentile of a list of numbers."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def search_url(lang, **params):
    with translation.override(lang):
        url = reverse("catalogue:search")
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{url}?{query}" if query else url


class Command(BaseCommand):
    help = "Time a fixed mix of search requests (and a few other pages) through the URL stack."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20, help="Timed runs per request.")
        for level, what in (
            ("rare", "a rare word"),
            ("medium", "a word of about 1%% of the records"),
            ("common", "a word of most records"),
        ):
            parser.add_argument(
                f"--{level}",
                metavar="WORD",
                help=f"{what} (WORD for both languages, or FR_WORD,EN_WORD); "
                "default: chosen from the data",
            )

    def handle(self, *args, **options):
        runs = max(1, options["runs"])
        entries = SearchEntry.objects.count()
        if not entries:
            raise CommandError("No search entries: load the seeds (and generate records).")
        chosen = self.words(options)
        lines = self.lines(chosen)
        self.widths = {
            "label": max(len("request"), *(len(line.label) for line in lines)),
            "url": max(len("url"), *(len(line.url) for line in lines)),
        }
        client = Client(HTTP_HOST="127.0.0.1")
        client.get("/fr/films/")  # load the URL stack, templates and vocabulary once
        self.header(entries, runs, chosen)
        failures = []
        # What is measured is the search, not the whole-page cache nor the API's rate limit.
        with override_settings(PUBLIC_PAGE_CACHE_SECONDS=0, API_RATE="1000000/min"):
            for line in lines:
                row = self.measure(client, line, runs, failures)
                if row is not None:
                    self.stdout.write(self.format_row(row, self.widths))
                self.stdout.flush()
            self.memory(client, lines, failures)
        if failures:
            for failure in failures:
                self.stderr.write(f"FAILED: {failure}")
            raise CommandError(f"{len(failures)} request(s) did not answer 200.")

    # --- what is requested -----------------------------------------------------------

    def words(self, options):
        """{lang: {level: word}}: given, or chosen from a sample of the entries."""
        given = {}
        for level in ("rare", "medium", "common"):
            value = options.get(level)
            if value:
                parts = [p.strip() for p in value.split(",")]
                if len(parts) == 1:
                    parts *= len(LANGUAGES)
                if len(parts) != len(LANGUAGES) or not all(parts):
                    raise CommandError(f"--{level}: give WORD or FR_WORD,EN_WORD.")
                given[level] = dict(zip(LANGUAGES, parts, strict=True))
        chosen = {lang: {} for lang in LANGUAGES}
        if len(given) < 3:
            found = sample_words()
            for lang in LANGUAGES:
                for level in ("rare", "medium", "common"):
                    chosen[lang][level] = found[lang][level][0]
        for level, per_lang in given.items():
            for lang in LANGUAGES:
                chosen[lang][level] = per_lang[lang]
        return chosen

    def lines(self, chosen):
        lines = []
        for lang in LANGUAGES:
            for level, label in (
                ("rare", "rare word"),
                ("medium", "~1% word"),
                ("common", "common word"),
            ):
                lines.append(self.search(f"{lang} {label}", lang, q=chosen[lang][level]))
            lines.append(self.search(f"{lang} prefix", lang, q=PREFIXES[lang]))
            lines.append(self.search(f"{lang} phrase", lang, q=PHRASES[lang]))
        theme = top_theme()
        deepest = self.deepest_page()
        lines += [
            self.search("unfiltered", "fr"),
            self.search("region (with former regions)", "fr", region=REGION),
            self.search("theme", "fr", theme=theme),
            self.search("status", "fr", status=STATUS),
            self.search("lever", "en", lever=LEVER_FILTER),
            self.search(
                "region + theme + type", "fr", region=REGION, theme=theme, type="practice"
            ),
            self.search("page 2", "fr", page="2"),
            self.search(f"deepest page ({deepest})", "fr", page=str(deepest)),
            self.search("common word, page 2", "en", q=chosen["en"]["common"], page="2"),
        ]
        for lang in LANGUAGES:
            home = f"/{lang}/"
            lines.append(Line(f"home {lang} (warm)", home))
            lines.append(Line(f"home {lang} (uncached)", home, uncached=True))
        practice = self.practice()
        if practice is not None:
            with translation.override("fr"):
                lines.append(Line("practice page", practice.get_absolute_url()))
        territory = Territory.objects.filter(slug=REGION).first()
        if territory is not None:
            with translation.override("fr"):
                url = territory.get_absolute_url()
            lines.append(Line("territory page", url, params={}, scope=f"territory:{territory.pk}"))
        lever = Lever.objects.filter(number=LEVER_PAGE).first()
        if lever is not None:
            with translation.override("en"):
                url = lever.get_absolute_url()
            lines.append(Line("lever page", url, params={}, lang="en", scope=f"lever:{lever.pk}"))
        # The practices by region and lever table: one sampled query, then cached.
        with translation.override("fr"):
            levers = reverse("levers:list")
        lines.append(Line("levers index (uncached)", levers, uncached=True))
        lines.append(Line("levers index (warm)", levers))
        return lines + self.api_lines(chosen, theme, practice)

    def api_lines(self, chosen, theme, practice):
        """The public API: the same searches as JSON (api/), a deep cursor, a detail."""
        deep = SearchEntry.objects.order_by("sort_fr", "pk").values_list("sort_fr", "pk")
        position = deep[min(API_DEEP, SearchEntry.objects.count() - 1)]
        cursor = encode_cursor("name", list(position))
        lines = [
            Line("API unfiltered", "/api/v1/search/?lang=fr"),
            Line("API fr ~1% word", f"/api/v1/search/?lang=fr&q={chosen['fr']['medium']}"),
            Line(
                "API practices, region + theme",
                f"/api/v1/practices/?lang=fr&region={REGION}&theme={theme}",
            ),
            Line(f"API cursor at result {API_DEEP:,}", f"/api/v1/search/?lang=fr&cursor={cursor}"),
            Line("API 100 results", "/api/v1/search/?lang=fr&limit=100"),
        ]
        if practice is not None:
            lines.append(Line("API practice", f"/api/v1/practices/{practice.slug}/"))
        return lines

    def search(self, label, lang, **params):
        params = {k: v for k, v in params.items() if v}
        return Line(label, search_url(lang, **params), params=params, lang=lang)

    def deepest_page(self):
        """The last page a visitor can reach without words or filters."""
        with translation.override("fr"):
            paginator = Search(QueryDict(), "fr").paginator()
        return max(1, min(paginator.num_pages, math.ceil(MAX_RESULTS / PAGE_SIZE)))

    def practice(self):
        """A generated practice from the middle of the catalogue, or else any."""
        generated = Practice.objects.published().filter(slug__startswith=PREFIX)
        count = generated.count()
        if count:
            return generated.order_by("pk")[count // 2]
        return Practice.objects.published().order_by("pk").first()

    # --- measuring -------------------------------------------------------------------

    def get(self, client, line):
        if line.uncached:
            cache.clear()
        start = time.perf_counter()
        response = client.get(line.url)
        return response, (time.perf_counter() - start) * 1000

    def measure(self, client, line, runs, failures):
        try:
            response, cold = self.get(client, line)
            if response.status_code != 200:
                raise RequestFailed(f"{line.url} answered HTTP {response.status_code}")
            for run in range(runs):
                # The queries are counted on the last run: the steady state.
                reset_queries()  # the query log is capped: start from empty
                capture = CaptureQueriesContext(connection)
                with capture if run == runs - 1 else nullcontext():
                    response, elapsed = self.get(client, line)
                if response.status_code != 200:
                    raise RequestFailed(f"{line.url} answered HTTP {response.status_code}")
                line.timings.append(elapsed)
        except Exception as exc:  # every failure is reported, and the others still run
            message = str(exc) if isinstance(exc, RequestFailed) else f"{line.url}: {exc!r}"
            failures.append(message)
            self.stdout.write(f"ERROR  {line.label}: {message}")
            return None
        row = {
            "label": line.label,
            "url": line.url,
            "status": response.status_code,
            "queries": len(capture),
            "cold": cold,
            "p50": statistics.median(line.timings),
            "p95": percentile(line.timings, 0.95),
            "max": max(line.timings),
            "results": "",
            "raw": None,
            "sql": self.replay([q["sql"] for q in capture.captured_queries], runs),
        }
        if line.params is not None:
            row["results"], row["raw"] = self.raw(line, runs)
        return row

    @staticmethod
    def replay(statements, runs):
        """p50 ms of the request's SQL statements run again as they were sent: the time
        the database takes, without Django's Python around it (None: no statement)."""
        if not statements:
            return None
        timings = []
        with connection.cursor() as cursor:
            for _ in range(runs):
                start = time.perf_counter()
                for sql in statements:
                    cursor.execute(sql)
                    if cursor.description is not None:
                        cursor.fetchall()
                timings.append((time.perf_counter() - start) * 1000)
        return statistics.median(timings)

    def raw(self, line, runs):
        """(results shown, p50 ms of the page's result query run alone as raw SQL)."""
        with translation.override(line.lang):
            scope = Scope(line.scope) if line.scope else None
            search = Search(QueryDict(urlencode(line.params)), line.lang, scope)
            page = search.paginator().get_page(line.params.get("page", "1"))
            offset = (page.number - 1) * PAGE_SIZE
            rows = search.page_rows(offset, offset + PAGE_SIZE)
            sql, params = rows.query.sql_with_params()
            total = search.total
        timings = []
        with connection.cursor() as cursor:
            for _ in range(runs):
                start = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                timings.append((time.perf_counter() - start) * 1000)
        shown = f"{total.shown:,}" if total.exact else f"~{total.shown:,}"
        return shown, statistics.median(timings)

    def memory(self, client, lines, failures):
        """Peak Python memory of one request, for the unfiltered and common-word search."""
        wanted = [line for line in lines if line.label in {"unfiltered", "fr common word"}]
        self.stdout.write("")
        self.stdout.write("Peak Python memory of one request (tracemalloc):")
        for line in wanted:
            tracemalloc.start()
            try:
                response = client.get(line.url)
                _current, peak = tracemalloc.get_traced_memory()
            finally:
                tracemalloc.stop()
            if response.status_code != 200:
                failures.append(f"{line.url} answered HTTP {response.status_code}")
            self.stdout.write(f"  {line.label:<16} {peak / 1024 / 1024:6.2f} MB  {line.url}")

    # --- printing --------------------------------------------------------------------

    def header(self, entries, runs, chosen):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SHOW server_version")
                version = cursor.fetchone()[0]
        else:
            import sqlite3

            version = sqlite3.sqlite_version
        counts = dict(TagCount.objects.filter(tag__startswith="type:").values_list("tag", "count"))
        kinds = ", ".join(f"{counts.get(f'type:{kind}', 0):,} {kind}" for kind in EntryKind.values)
        self.stdout.write(
            f"Database: {connection.vendor} {version}; {entries:,} search entries ({kinds}); "
            f"{runs} runs per request; DEBUG {'on' if settings.DEBUG else 'off'}."
        )
        for lang in LANGUAGES:
            self.stdout.write(
                f"Words ({lang}): rare {chosen[lang]['rare']!r}, ~1% {chosen[lang]['medium']!r}, "
                f"common {chosen[lang]['common']!r}."
            )
        stale = stale_statistics()
        if stale:
            self.stdout.write(
                f"Note: planner statistics out of date for {', '.join(stale)} "
                "(autovacuum off or behind): run ANALYZE for steady-state plans."
            )
        self.stdout.write(
            "Times in ms. cold: the first request; sql p50: all of the request's SQL "
            "statements replayed as sent; raw p50: the result query alone; app/sql and "
            "app/raw: p50 divided by them. Results: ~ when estimated."
        )
        self.stdout.write("")
        head = {
            "label": "request",
            "url": "url",
            "status": "status",
            "queries": "queries",
            "cold": "cold",
            "p50": "p50",
            "p95": "p95",
            "max": "max",
            "results": "results",
            "sql": "sql p50",
            "sql_ratio": "app/sql",
            "raw": "raw p50",
            "ratio": "app/raw",
        }
        line = self.format_row(head, self.widths, header=True)
        self.stdout.write(line)
        self.stdout.write("-" * len(line))

    @staticmethod
    def format_row(row, widths, header=False):
        def number(key, digits=1):
            value = row[key]
            if header or isinstance(value, str):
                return str(value)
            return "" if value is None else f"{value:,.{digits}f}"

        def against(key):
            """(the time, p50 divided by it) as printed."""
            if header:
                return row[key], row["sql_ratio" if key == "sql" else "ratio"]
            if row[key] is None:
                return "", ""
            ratio = f"{row['p50'] / row[key]:,.1f}" if row[key] > 0 else ""
            return f"{row[key]:,.1f}", ratio

        sql, sql_ratio = against("sql")
        raw, ratio = against("raw")
        return (
            f"{row['label']:<{widths['label']}} {row['url']:<{widths['url']}} "
            f"{row['status']!s:>6} {row['queries']!s:>7} {number('cold'):>8} "
            f"{number('p50'):>8} {number('p95'):>8} {number('max'):>8} "
            f"{row['results']:>9} {sql:>8} {sql_ratio:>7} {raw:>8} {ratio:>7}"
        ).rstrip()


class RequestFailed(Exception):
    pass


def top_theme():
    """The slug of the theme most records carry (the largest theme filter)."""
    counts = dict(TagCount.objects.filter(tag__startswith="theme:").values_list("tag", "count"))
    themes = Theme.objects.order_by("pk").values_list("pk", "slug")
    best = max(themes, key=lambda t: (counts.get(f"theme:{t[0]}", 0), -t[0]), default=None)
    return best[1] if best else ""


def sample_words(size=SAMPLE):
    """Benchmark words chosen from about `size` search entries (a bucket sample)."""
    total = SearchEntry.objects.count()
    buckets = max(1, min(BUCKETS, math.ceil(BUCKETS * size / max(total, 1))))
    rows = SearchEntry.objects.filter(
        bucket__lt=buckets,
        kind__in=[EntryKind.PRACTICE, EntryKind.STRUCTURE, EntryKind.FILM],
    ).values_list("sort_fr", "text_fr", "sort_en", "text_en")
    counted = {lang: {} for lang in LANGUAGES}
    sampled = 0
    for sort_fr, text_fr, sort_en, text_en in rows.iterator():
        sampled += 1
        for lang, text in (("fr", f"{sort_fr} {text_fr}"), ("en", f"{sort_en} {text_en}")):
            seen = counted[lang]
            for word in set(words(text)):
                seen[word] = seen.get(word, 0) + 1
    return choose_words(counted, sampled)


def stale_statistics():
    """PostgreSQL: the search tables changed by more than a fifth since last analysed."""
    if connection.vendor != "postgresql":
        return []
    tables = [SearchEntry._meta.db_table, EntryTag._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables WHERE relname = ANY(%s) "
            "AND n_mod_since_analyze > 0.2 * GREATEST(n_live_tup, 1000)",
            [tables],
        )
        return [row[0] for row in cursor.fetchall()]
