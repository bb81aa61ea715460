"""Add synthetic published records for benchmarks, or remove them.

    manage.py generate_catalogue --records 100000 [--seed 1] [--batch 5000] [--workers 2]
    manage.py generate_catalogue --delete

About 60% practices, 35% structures and 5% films, all published, with slugs that start
with `gen-` (the seed records, whose slugs never do, are never touched). Their text, in
French and English, is made of runs of words taken from the published seed records
(the French and English runs come from the same place of the same seed text), seed
texts being drawn with a Zipf-like weight: words of most seed texts end up in most
records, others in about 1% of them, words of one rarely drawn seed text in a handful.
Records are spread over every territory (regions, former regions, departments,
cities...), themes, levers, action areas, legal forms, accreditations and roles;
practices involve one or two generated structures, films show a generated practice or
structure. `--seed` makes the content deterministic (random.Random(seed)).

Records are inserted with bulk_create in batches, each batch in one transaction with
its many-to-many rows. bulk_create sends no signals: the new records are indexed
explicitly with `index.write`, per batch and kind. On SQLite (or with --workers 0) that
happens in the batch's transaction; on PostgreSQL, worker processes (--workers, default
one per core) write the entries of committed batches while the next ones are built.
At the end the command prints, per language, a rare word, a word in about 1% of the
records and a word in most of them, for `bench_search`.

`--delete` removes every `gen-` record, its relations and its search entries in bulk,
then counts the tags again from the remaining entries. On PostgreSQL both end with
VACUUM ANALYZE of the tables they changed (see Command.analyze).
"""

import bisect
import itertools
import multiprocessing
import os
import random
import re
import time
from collections import Counter, deque
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections, transaction
from django.db.models import Q
from django.db.models.base import ModelState
from django.db.models.functions import Lower
from django.utils import timezone, translation

from catalogue.models import (
    Accreditation,
    Citation,
    EntryKind,
    EntryTag,
    Film,
    LegalForm,
    Practice,
    Proposal,
    Role,
    SearchEntry,
    Status,
    Structure,
    TagCount,
    Theme,
)
from catalogue.search import engine, index
from catalogue.search.text import parse
from core.text import normalize
from levers.models import ActionArea, Lever
from territories.models import Territory

PREFIX = "gen-"
BATCH = 5_000
SHARES = {"practice": 0.60, "structure": 0.35}  # films: the rest (5%)
# How strongly some seed texts are drawn more often than others (rank ** -ZIPF).
ZIPF = 0.6
# Records whose words are counted to choose the benchmark words (a stride sample above).
COUNTED = 20_000
LANGUAGES = ("fr", "en")
WORD = re.compile(r"[^\W\d_]+")

# Words a text search ignores or that say nothing (not chosen as benchmark words).
# fmt: off
STOP_WORDS = {
    "a", "au", "aux", "avec", "ce", "ces", "cet", "cette", "comme", "dans", "de", "des",
    "du", "d", "elle", "elles", "en", "entre", "est", "et", "etc", "eux", "il", "ils",
    "l", "la", "le", "les", "leur", "leurs", "lui", "mais", "me", "meme", "nos", "notre",
    "nous", "on", "ont", "ou", "par", "pas", "plus", "pour", "qu", "que", "qui", "sa",
    "se", "ses", "son", "sont", "sur", "ta", "te", "tes", "ton", "tout", "tous", "toute",
    "toutes", "un", "une", "vos", "votre", "vous", "y", "ete", "etre", "fait", "faire",
    "aussi", "depuis", "ainsi", "afin", "sans", "sous", "chez", "dont", "deux", "trois",
    "tres", "bien", "autre", "autres", "plusieurs", "ne", "n", "c", "j", "m", "s", "t",
    "the", "of", "and", "in", "to", "an", "for", "with", "by", "is", "its", "it",
    "that", "which", "as", "has", "have", "are", "at", "or", "from", "this", "these",
    "those", "their", "them", "they", "be", "been", "was", "were", "can", "also", "one",
    "two", "up", "into", "our", "we", "you", "he", "she", "his", "her", "not", "but",
    "more", "most", "such", "other", "than", "so", "all", "any", "each", "out", "over",
    "about", "who", "whose", "what", "when", "where", "how",
}
# fmt: on
LEGAL_FORMS = {
    "": 40,
    LegalForm.ASSOCIATION: 25,
    LegalForm.SCIC: 8,
    LegalForm.SCOP: 6,
    LegalForm.CAE: 3,
    LegalForm.COOPERATIVE: 5,
    LegalForm.MUTUAL: 3,
    LegalForm.FOUNDATION: 3,
    LegalForm.COMPANY: 4,
    LegalForm.PUBLIC_BODY: 2,
    LegalForm.OTHER: 1,
}
ROLES = {
    "": 25,
    Role.ENTERPRISE: 30,
    Role.NETWORK: 15,
    Role.FUNDER: 6,
    Role.THIRD_PLACE: 6,
    Role.RESEARCH: 4,
    Role.PUBLIC_PROGRAMME: 3,
    Role.LOCAL_AUTHORITY: 5,
    Role.PTCE: 0.5,
    Role.PROJECT: 3,
}
# Share of structures holding each accreditation (by slug).
ACCREDITATIONS = {"esus": 0.15, "insertion": 0.08, "entreprise-adaptee": 0.02}


def generated(model):
    return model.objects.filter(slug__startswith=PREFIX)


def seed_records(model):
    return model.objects.published().exclude(slug__startswith=PREFIX).order_by("pk")


def words(text):
    """The words of a text as the search sees them: accent-free, lower case."""
    return WORD.findall(normalize(text))


def candidate(word):
    return word not in STOP_WORDS and len(word) >= 3


class Weighted:
    """Draws from `values` with `weights`, by bisecting cumulative weights."""

    def __init__(self, values, weights):
        self.values = list(values)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def __call__(self, random_):
        return self.values[bisect.bisect(self.cumulative, random_() * self.total)]

    def many(self, random_, low, high):
        """Between `low` and `high` distinct values."""
        wanted = low + int(random_() * (high - low + 1))
        return list({self(random_) for _ in range(wanted)})


def zipf(values, rng):
    """`values` drawn with Zipf-like weights, in an order shuffled by `rng`."""
    values = list(values)
    rng.shuffle(values)
    return Weighted(values, [(rank + 1) ** -ZIPF for rank in range(len(values))])


def pairs(records, fields):
    """(French tokens, English tokens) of each non-empty field of each record."""
    found = []
    for record in records:
        for name in fields:
            fr, en = getattr(record, f"{name}_fr") or "", getattr(record, f"{name}_en") or ""
            if fr or en:
                found.append(((fr or en).split(), (en or fr).split()))
    return found


def initials(name):
    """An acronym made of the initials of a name's longer words (3 to 6 of them)."""
    letters = "".join(w[0] for w in WORD.findall(name) if len(w) > 2).upper()
    return letters[:6] if len(letters) >= 3 else ""


def cap(text):
    return text[:1].upper() + text[1:]


class Corpus:
    """The seed texts, as tokens, and how runs of words are drawn from them."""

    def __init__(self, rng):
        practices, structures = seed_records(Practice), seed_records(Structure)
        films = seed_records(Film)
        self.titles = pairs(practices, ["title"]) + pairs(films, ["title"])
        self.names = pairs(structures, ["name"])
        self.texts = (
            pairs(practices, ["summary", "description"])
            + pairs(structures, ["description"])
            + pairs(films, ["description"])
        )
        self.projects = pairs(films, ["producing_project"]) or [(["SUSY"], ["SUSY"])]
        if not (self.titles and self.names and self.texts):
            raise CommandError("No published seed records: run `manage.py load_seeds` first.")
        self.pick_title = zipf(self.titles, rng)
        self.pick_name = zipf(self.names, rng)
        self.pick_text = zipf(self.texts, rng)
        self.random = rng.random

    def run(self, pair, low, high):
        """A run of `low` to `high` words of a seed text, in both languages."""
        fr, en = pair
        size = len(fr)
        length = min(size, low + int(self.random() * (high - low + 1)))
        start = int(self.random() * (size - length + 1))
        other = len(en)
        en_start = start * other // size
        en_end = max(en_start + 1, (start + length) * other // size)
        return " ".join(fr[start : start + length]), " ".join(en[en_start:en_end])

    def title(self, low=3, high=10):
        fr, en = self.run(self.pick_title(self.random), low, high)
        return cap(fr), cap(en)

    def name(self):
        if self.random() < 0.5:
            fr, en = self.run(self.pick_name(self.random), 1, 6)
            return cap(fr), cap(en)
        return self.title(2, 5)

    def text(self, runs_low, runs_high, low, high):
        """Sentences made of runs of words of several seed texts."""
        count = runs_low + int(self.random() * (runs_high - runs_low + 1))
        fr, en = [], []
        for _ in range(count):
            run_fr, run_en = self.run(self.pick_text(self.random), low, high)
            fr.append(cap(run_fr).rstrip(" .,;:") + ".")
            en.append(cap(run_en).rstrip(" .,;:") + ".")
        return " ".join(fr), " ".join(en)


def maker(model, **defaults):
    """A fast constructor: a copy of a prototype instance, without Model.__init__
    (modeltranslation makes it cost about 100 us a record)."""
    prototype = model(**defaults)
    base = {k: v for k, v in prototype.__dict__.items() if k != "_state"}
    new = model.__new__

    def make(**values):
        obj = new(model)
        state = obj.__dict__
        state.update(base)
        state.update(values)
        state["_state"] = ModelState()
        return obj

    return make


def through_maker(field):
    through = field.remote_field.through
    return maker(through)


def year(random_, low, high, mode):
    """A year between low and high, most often near `mode` (a triangular draw)."""
    u, c = random_(), (mode - low) / (high - low)
    if u > c:
        u, c, low, high = 1.0 - u, 1.0 - c, high, low
    return int(low + (high - low) * (u * c) ** 0.5)


class Generator:
    """Builds one batch of records at a time, in memory, from a seeded random."""

    def __init__(self, rng, numbering):
        self.random = rng.random
        self.corpus = Corpus(rng)
        self.numbering = numbering  # kind -> next number of its slugs
        territories = list(Territory.objects.order_by("pk").values_list("pk", flat=True))
        self.territory = Weighted([*territories, None], [1] * len(territories) + [7])
        self.theme = self.weighted_by_use(Theme, ["practices", "structures"])
        self.lever = self.weighted_by_use(Lever, ["practices"])
        self.area = self.weighted_by_use(ActionArea, ["practices"])
        self.legal_form = Weighted(LEGAL_FORMS, LEGAL_FORMS.values())
        self.role = Weighted(ROLES, ROLES.values())
        slugs = dict(Accreditation.objects.values_list("slug", "pk"))
        self.accreditations = [
            (slugs[s], share) for s, share in ACCREDITATIONS.items() if s in slugs
        ]
        if not territories or self.theme.values == [None] or self.lever.values == [None]:
            raise CommandError(
                "No territories, themes or levers: run `manage.py load_seeds` first."
            )
        self.names_taken = set(
            Structure.objects.annotate(lower=Lower("name_fr")).values_list("lower", "territory_id")
        )
        common = {
            "status": Status.PUBLISHED,
            "translation_by_hand": False,
            "published_at": timezone.now(),
        }
        self.make_practice = maker(Practice, **common)
        self.make_structure = maker(Structure, **common)
        self.make_film = maker(Film, **common)
        self.make_practice_theme = through_maker(Practice.themes.field)
        self.make_practice_lever = through_maker(Practice.levers.field)
        self.make_practice_area = through_maker(Practice.action_areas.field)
        self.make_practice_structure = through_maker(Practice.structures.field)
        self.make_structure_theme = through_maker(Structure.themes.field)
        self.make_structure_accreditation = through_maker(Structure.accreditations.field)
        self.make_membership = through_maker(Structure.ptces.field)
        self.counted = {lang: Counter() for lang in LANGUAGES}
        self.sampled = 0
        self.token_words = {}  # token -> its words as the search sees them

    @staticmethod
    def weighted_by_use(model, relations):
        """Every value, drawn as often as the seed records use it (plus one)."""
        uses = Counter()
        for relation in relations:
            through = getattr(model, relation).through
            fields = [f for f in through._meta.fields if f.is_relation]
            mine = next(f for f in fields if f.related_model is model)
            record = next(f for f in fields if f.related_model is not model)
            seed = through.objects.exclude(**{f"{record.name}__slug__startswith": PREFIX})
            uses.update(seed.values_list(mine.attname, flat=True))
        pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
        return Weighted(pks, [uses[pk] + 1 for pk in pks]) if pks else Weighted([None], [1])

    def slug(self, kind):
        number = self.numbering[kind]
        self.numbering[kind] = number + 1
        return f"{PREFIX}{kind}-{number}"

    def language(self):
        return "fr" if self.random() < 0.7 else "en"

    def count(self, *texts):
        """Count the words of a sampled record, per language (texts: (fr, en) pairs).

        The texts are made of seed tokens: each distinct token is normalised once."""
        self.sampled += 1
        cache = self.token_words
        for i, lang in enumerate(LANGUAGES):
            found = set()
            for text in texts:
                for token in text[i].split():
                    token_words = cache.get(token)
                    if token_words is None:
                        token_words = cache[token] = tuple(words(token))
                    found.update(token_words)
            self.counted[lang].update(found)

    # -- one kind at a time --
    def structures(self, count, sample):
        random_ = self.random
        structures = []
        for i in range(count):
            territory = self.territory(random_)
            name_fr, name_en = self.corpus.name()
            if (name_fr.lower(), territory) in self.names_taken:
                number = self.numbering["structure"]
                name_fr, name_en = f"{name_fr} {number}", f"{name_en} {number}"
            self.names_taken.add((name_fr.lower(), territory))
            description = self.corpus.text(1, 3, 12, 40)
            acronym = initials(name_fr) if random_() < 0.3 else ""
            founded = year(random_, 1900, 2025, 2012) if random_() < 0.8 else None
            structures.append(
                self.make_structure(
                    slug=self.slug("structure"),
                    original_language=self.language(),
                    name_fr=name_fr,
                    name_en=name_en,
                    acronym=acronym,
                    legal_form=self.legal_form(random_),
                    role=self.role(random_),
                    territory_id=territory,
                    year_founded=founded,
                    description_fr=description[0],
                    description_en=description[1],
                )
            )
            if i in sample:
                self.count((name_fr, name_en), description)
        return structures

    def structure_relations(self, structures):
        random_ = self.random
        themes, accreditations, memberships = [], [], []
        ptces = [s.pk for s in structures if s.role == Role.PTCE]
        for structure in structures:
            for theme in self.theme.many(random_, 1, 3):
                themes.append(self.make_structure_theme(structure_id=structure.pk, theme_id=theme))
            for accreditation, share in self.accreditations:
                if random_() < share:
                    accreditations.append(
                        self.make_structure_accreditation(
                            structure_id=structure.pk, accreditation_id=accreditation
                        )
                    )
            if ptces and structure.role != Role.PTCE and random_() < 0.03:
                ptce = ptces[int(random_() * len(ptces))]
                memberships.append(
                    self.make_membership(from_structure_id=structure.pk, to_structure_id=ptce)
                )
        return themes, accreditations, memberships

    def practices(self, count, sample):
        random_ = self.random
        practices = []
        for i in range(count):
            title = self.corpus.title()
            summary = self.corpus.text(1, 1, 12, 35)
            description = self.corpus.text(1, 3, 15, 45)
            start = end = None
            period = ("", "")
            if random_() < 0.85:
                start = year(random_, 1990, 2025, 2016)
                if random_() < 0.25:
                    end = min(2025, start + 1 + int(random_() * 8))
                if random_() < 0.4:
                    period = (
                        (f"{start}-{end}", f"{start}-{end}")
                        if end
                        else (f"depuis {start}", f"since {start}")
                    )
            practices.append(
                self.make_practice(
                    slug=self.slug("practice"),
                    original_language=self.language(),
                    title_fr=title[0],
                    title_en=title[1],
                    summary_fr=summary[0],
                    summary_en=summary[1],
                    description_fr=description[0],
                    description_en=description[1],
                    period_fr=period[0],
                    period_en=period[1],
                    territory_id=self.territory(random_),
                    year_start=start,
                    year_end=end,
                )
            )
            if i in sample:
                self.count(title, summary, description, period)
        return practices

    def practice_relations(self, practices, structure_ids):
        random_ = self.random
        rows = {"themes": [], "levers": [], "areas": [], "structures": []}
        for practice in practices:
            pk = practice.pk
            for theme in self.theme.many(random_, 1, 3):
                rows["themes"].append(self.make_practice_theme(practice_id=pk, theme_id=theme))
            for lever in self.lever.many(random_, 0, 3):
                rows["levers"].append(self.make_practice_lever(practice_id=pk, lever_id=lever))
            if self.area.values[0] is not None:
                for area in self.area.many(random_, 0, 2):
                    rows["areas"].append(
                        self.make_practice_area(practice_id=pk, actionarea_id=area)
                    )
            if structure_ids:
                involved = {
                    structure_ids[int(random_() * len(structure_ids))]
                    for _ in range(1 + (random_() < 0.4))
                }
                rows["structures"] += [
                    self.make_practice_structure(practice_id=pk, structure_id=s) for s in involved
                ]
        return rows

    def films(self, count, sample, practice_ids, structure_ids):
        random_ = self.random
        films = []
        for i in range(count):
            title = self.corpus.title(3, 8)
            description = self.corpus.text(1, 2, 12, 40)
            project = (
                self.corpus.projects[int(random_() * len(self.corpus.projects))]
                if random_() < 0.5
                else ([], [])
            )
            project = (" ".join(project[0]), " ".join(project[1]))
            shown = {}
            if practice_ids and (random_() < 0.6 or not structure_ids):
                shown["practice_id"] = practice_ids[int(random_() * len(practice_ids))]
            elif structure_ids:
                shown["structure_id"] = structure_ids[int(random_() * len(structure_ids))]
            language = self.language()
            films.append(
                self.make_film(
                    slug=self.slug("film"),
                    original_language=language,
                    language=language,
                    title_fr=title[0],
                    title_en=title[1],
                    producing_project_fr=project[0],
                    producing_project_en=project[1],
                    description_fr=description[0],
                    description_en=description[1],
                    year=year(random_, 2005, 2025, 2018) if random_() < 0.9 else None,
                    **shown,
                )
            )
            if i in sample:
                self.count(title, description, project)
        return films


class Timer:
    """Seconds spent per step, summed over the batches."""

    def __init__(self):
        self.totals = Counter()

    @contextmanager
    def __call__(self, name):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.totals[name] += time.perf_counter() - start


def index_batch(batch):
    """Write the search entries of one batch: [(kind, ids)]; returns the seconds taken.

    Each kind in its own transaction: the tag counts it updates stay locked only for
    the end of it, so that workers indexing other batches do not wait for each other."""
    start = time.perf_counter()
    for kind, ids in batch:
        index.write(kind, ids)
    return time.perf_counter() - start


def close_connections():
    """Before forking: a child must never share its parent's database connection."""
    for conn in connections.all(initialized_only=True):
        conn.close()


class Command(BaseCommand):
    help = "Add N synthetic published records (slugs `gen-...`) for benchmarks, or --delete them."

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, help="How many records to add.")
        parser.add_argument("--seed", type=int, default=0, help="Random seed (default 0).")
        parser.add_argument(
            "--batch", type=int, default=BATCH, help=f"Records per batch (default {BATCH:,})."
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="Processes writing the search entries while the next batches are built "
            "(PostgreSQL only; default: the number of cores, 0: in each batch's "
            "transaction, as always on SQLite).",
        )
        parser.add_argument(
            "--delete", action="store_true", help="Remove every generated record instead."
        )

    def handle(self, *args, **options):
        if options["delete"]:
            if options["records"]:
                raise CommandError("Give either --records or --delete, not both.")
            self.delete()
            return
        if not options["records"] or options["records"] < 1:
            raise CommandError("Give --records N (N > 0), or --delete.")
        workers = options["workers"]
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            workers = 0  # SQLite: one writer at a time; in a transaction: nothing to share
        elif workers is None:
            workers = os.cpu_count() or 1
        with translation.override("fr"):  # the untranslated columns hold the French
            self.generate(options["records"], options["seed"], max(1, options["batch"]), workers)

    # --- adding ----------------------------------------------------------------------

    def numbering(self):
        """The next free number of each kind's generated slugs."""
        found = {}
        for kind, model in (("practice", Practice), ("structure", Structure), ("film", Film)):
            numbers = [
                int(slug.rsplit("-", 1)[1])
                for slug in generated(model).values_list("slug", flat=True)
                if slug.rsplit("-", 1)[1].isdigit()
            ]
            found[kind] = max(numbers, default=0) + 1
        return found

    def generate(self, records, seed, batch, workers):
        start = time.perf_counter()
        generator = Generator(random.Random(seed), self.numbering())
        timer = Timer()
        totals = {
            "practice": round(records * SHARES["practice"]),
            "structure": round(records * SHARES["structure"]),
        }
        totals["film"] = records - totals["practice"] - totals["structure"]
        stride = max(1, -(-records // COUNTED))  # every stride-th record is counted
        self.stdout.write(
            f"Adding {records:,} records ({totals['practice']:,} practices, "
            f"{totals['structure']:,} structures, {totals['film']:,} films) in batches of "
            f"{batch:,} on {connection.vendor}, seed {seed}, "
            + (f"{workers} indexing processes." if workers else "indexed in each batch.")
        )
        pool, pending = None, deque()
        if workers:
            close_connections()
            pool = multiprocessing.get_context("fork").Pool(workers)
        indexing = 0.0  # seconds spent writing entries, summed over the processes
        try:
            done = Counter()
            for offset in range(0, records, batch):
                size = min(batch, records - offset)
                # Each kind's share of this batch, so that the batches add up to the totals.
                wanted = {
                    kind: round(totals[kind] * (offset + size) / records) - done[kind]
                    for kind in totals
                }
                done.update(wanted)
                if pool is None:
                    with transaction.atomic():
                        new = self.add_batch(generator, wanted, stride, timer)
                        with timer("index"):
                            indexing += index_batch(new)
                else:
                    with transaction.atomic():
                        new = self.add_batch(generator, wanted, stride, timer)
                    pending.append(pool.apply_async(index_batch, (new,)))
                    with timer("wait"):  # no more batches waiting than workers
                        while len(pending) > workers:
                            indexing += pending.popleft().get()
                self.progress(offset + size, records, start, timer, len(pending))
            with timer("wait"):
                while pending:
                    indexing += pending.popleft().get()
        except BaseException:
            if pending:
                self.stderr.write(
                    "Stopped: some committed batches have no search entries yet. Run "
                    "`manage.py rebuild_search_index`, or remove them with --delete."
                )
            raise
        finally:
            if pool is not None:
                if pending:  # an error: the batches still queued are not indexed
                    pool.terminate()
                else:
                    pool.close()
                pool.join()
        index.bump_version()
        self.analyze()
        elapsed = time.perf_counter() - start
        self.stdout.write(
            f"Added {records:,} records in {elapsed:.1f} s ({records / elapsed:,.0f} records/s): "
            f"building {timer.totals['build']:.1f} s, inserting {timer.totals['insert']:.1f} s, "
            f"writing search entries {indexing:.1f} s"
            + (
                f" (in {workers} processes; waited for them {timer.totals['wait']:.1f} s)."
                if workers
                else "."
            )
        )
        self.report_words(generator)

    def progress(self, added, records, start, timer, pending):
        elapsed = time.perf_counter() - start
        totals = timer.totals
        steps = f"build {totals['build']:.1f} s, insert {totals['insert']:.1f} s, "
        if "wait" in totals:  # indexed by the workers
            steps += f"waiting for the workers {totals['wait']:.1f} s, {pending} batches queued"
        else:
            steps += f"index {totals['index']:.1f} s"
        self.stdout.write(
            f"  {added:>10,} / {records:,} records  {elapsed:7.1f} s  "
            f"({added / elapsed:,.0f}/s; {steps})"
        )
        self.stdout.flush()

    def add_batch(self, generator, wanted, stride, timer):
        """Insert one batch of records and their relations; returns [(kind, ids)]."""

        def sample(kind):
            # Indexes within the batch of the records whose words are counted.
            first = generator.numbering[kind]
            return {i for i in range(wanted[kind]) if (first + i) % stride == 0}

        with timer("build"):
            structures = generator.structures(wanted["structure"], sample("structure"))
        with timer("insert"):
            Structure.objects.bulk_create(structures)
        structure_ids = [s.pk for s in structures]
        with timer("build"):
            s_themes, s_accreditations, memberships = generator.structure_relations(structures)
            practices = generator.practices(wanted["practice"], sample("practice"))
        with timer("insert"):
            Structure.themes.through.objects.bulk_create(s_themes)
            Structure.accreditations.through.objects.bulk_create(s_accreditations)
            Structure.ptces.through.objects.bulk_create(memberships)
            Practice.objects.bulk_create(practices)
        practice_ids = [p.pk for p in practices]
        with timer("build"):
            rows = generator.practice_relations(practices, structure_ids)
            films = generator.films(wanted["film"], sample("film"), practice_ids, structure_ids)
        with timer("insert"):
            Practice.themes.through.objects.bulk_create(rows["themes"])
            Practice.levers.through.objects.bulk_create(rows["levers"])
            Practice.action_areas.through.objects.bulk_create(rows["areas"])
            Practice.structures.through.objects.bulk_create(rows["structures"])
            Film.objects.bulk_create(films)
        # Indexed once every relation is in place (a structure's levers are its practices').
        return [
            (EntryKind.STRUCTURE, structure_ids),
            (EntryKind.PRACTICE, practice_ids),
            (EntryKind.FILM, [f.pk for f in films]),
        ]

    # --- the benchmark's words -------------------------------------------------------

    def report_words(self, generator):
        """Per language: a rare word, one of about 1% of the records, one of most."""
        seed = seed_frequencies()
        chosen = choose_words(generator.counted, generator.sampled, seed)
        self.stdout.write(
            f"Benchmark words (share of {generator.sampled:,} generated records counted; "
            "of the seed texts; search entries the search page finds for ?q=word):"
        )
        for lang in LANGUAGES:
            for level in ("rare", "medium", "common"):
                word, share = chosen[lang][level]
                seed_share = seed[lang].get(word, 0)
                self.stdout.write(
                    f"  {lang} {level:<6} {word:<20} {share:7.2%} of the records, "
                    f"{seed_share:6.1%} of the seed texts, {count_matches(word):>9,} found"
                )
            common, share = chosen[lang]["common"]
            if share <= 0.5:
                self.stdout.write(
                    self.style.WARNING(f"  {lang}: '{common}' is in fewer than half the records.")
                )

    # --- removing --------------------------------------------------------------------

    def delete(self):
        start = time.perf_counter()
        films, practices = generated(Film), generated(Practice)
        structures = generated(Structure)
        practice_ids, structure_ids = practices.values("pk"), structures.values("pk")
        kept_films = Film.objects.exclude(slug__startswith=PREFIX).filter(
            Q(practice__in=practice_ids) | Q(structure__in=structure_ids)
        )
        if kept_films.exists():
            raise CommandError(
                "Some films that were not generated show a generated record: "
                + ", ".join(kept_films.values_list("slug", flat=True)[:10])
            )
        db = connection.alias
        counts = Counter()
        with transaction.atomic():
            # Seed records related to generated ones (by hand): their entries change too.
            links = Practice.structures.through.objects
            seed_practices = list(
                links.filter(structure__in=structure_ids)
                .exclude(practice__in=practice_ids)
                .values_list("practice_id", flat=True)
                .distinct()
            )
            seed_structures = list(
                links.filter(practice__in=practice_ids)
                .exclude(structure__in=structure_ids)
                .values_list("structure_id", flat=True)
                .distinct()
            )
            for kind, records in (
                (EntryKind.FILM, films),
                (EntryKind.PRACTICE, practices),
                (EntryKind.STRUCTURE, structures),
            ):
                entries = SearchEntry.objects.filter(kind=kind, object_id__in=records.values("pk"))
                counts["tags"] += EntryTag.objects.filter(
                    entry_id__in=entries.values("pk")
                )._raw_delete(db)
                counts["entries"] += entries._raw_delete(db)
                self.stdout.write(f"  {kind}: search entries removed ({self.since(start)})")
                content_type = ContentType.objects.get_for_model(records.model)
                for model in (Citation, Proposal):
                    model.objects.filter(
                        content_type=content_type, object_id__in=records.values("pk")
                    )._raw_delete(db)
            counts["films"] = films._raw_delete(db)
            self.stdout.write(f"  {counts['films']:,} films removed ({self.since(start)})")
            for field in ("themes", "levers", "action_areas", "structures"):
                through = getattr(Practice, field).through
                counts["relations"] += through.objects.filter(
                    practice__in=practice_ids
                )._raw_delete(db)
            counts["relations"] += Practice.structures.through.objects.filter(
                structure__in=structure_ids
            )._raw_delete(db)
            counts["practices"] = practices._raw_delete(db)
            self.stdout.write(f"  {counts['practices']:,} practices removed ({self.since(start)})")
            for field in ("themes", "accreditations"):
                through = getattr(Structure, field).through
                counts["relations"] += through.objects.filter(
                    structure__in=structure_ids
                )._raw_delete(db)
            counts["relations"] += Structure.ptces.through.objects.filter(
                Q(from_structure__in=structure_ids) | Q(to_structure__in=structure_ids)
            )._raw_delete(db)
            counts["structures"] = structures._raw_delete(db)
            self.stdout.write(
                f"  {counts['structures']:,} structures removed ({self.since(start)})"
            )
            index.recount()
            index.write(EntryKind.PRACTICE, seed_practices)
            index.write(EntryKind.STRUCTURE, seed_structures)
            index.bump_version()
        self.stdout.write(f"  committed ({self.since(start)})")
        self.analyze()
        self.stdout.write(
            f"Removed {counts['practices']:,} practices, {counts['structures']:,} structures, "
            f"{counts['films']:,} films, {counts['relations']:,} relations, "
            f"{counts['entries']:,} search entries and {counts['tags']:,} tags "
            f"in {time.perf_counter() - start:.1f} s."
        )

    def analyze(self):
        """Fresh planner statistics and visibility maps for the tables a bulk change touched.

        PostgreSQL's autovacuum would do it in a while (and it may be off, as on the
        machine these commands were written on). Until then the planner misjudges the
        search queries (with no statistics, counting the facets of a search matching 9
        entries scanned all the entry tags: 377 ms instead of 1.4 ms at 100,000
        records), and index-only scans of the entry tags visit the table anyway. SQLite
        gathers no statistics by itself: ANALYZE lets it prefer the search's indexes."""
        start = time.perf_counter()
        search = [SearchEntry, EntryTag, TagCount]
        records = [Practice, Structure, Film, Structure.ptces.through]
        records += [getattr(Practice, f).through for f in ("themes", "levers", "action_areas")]
        records += [Practice.structures.through, Structure.themes.through]
        records += [Structure.accreditations.through]

        def tables(models):
            return ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)

        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":  # one table per ANALYZE
                for model in search + records:
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
                what = "ANALYZE"
            elif connection.in_atomic_block:  # VACUUM cannot run in a transaction
                cursor.execute(f"ANALYZE {tables(search + records)}")
                what = "ANALYZE"
            else:
                cursor.execute(f"VACUUM (ANALYZE) {tables(search)}")
                cursor.execute(f"ANALYZE {tables(records)}")
                what = "VACUUM ANALYZE"
        self.stdout.write(f"Planner statistics updated ({what}) in {self.since(start)}.")

    @staticmethod
    def since(start):
        return f"{time.perf_counter() - start:.1f} s"


# --- choosing the benchmark words (bench_search uses these too) ----------------------


def seed_frequencies():
    """{lang: {word: share of the seed texts (practices, structures) holding it}}."""
    texts = {lang: [] for lang in LANGUAGES}
    for model, fields in (
        (Practice, ["title", "summary", "description"]),
        (Structure, ["name", "description"]),
    ):
        for record in seed_records(model):
            for lang in LANGUAGES:
                parts = [getattr(record, f"{name}_{lang}") or "" for name in fields]
                texts[lang].append(" ".join(parts))
    shares = {}
    for lang, found in texts.items():
        counted = Counter()
        for text in found:
            counted.update(set(words(text)))
        shares[lang] = {w: n / max(len(found), 1) for w, n in counted.items()}
    return shares


def choose_words(counted, total, seed_shares=None):
    """{lang: {"rare"|"medium"|"common": (word, share of the counted records)}}.

    `counted` holds, per language, in how many of `total` records each word is. A
    search stems words, so the choices are checked against the index itself:
    common: the content word of the most seed texts (`seed_shares`: the generated
    records are made of them), or else of the most records;
    medium: of the words of 6 letters or more closest to 1% of the records, the one a
    search finds in closest to 1% of the entries;
    rare: of the words of 7 letters or more in the fewest records (seed words only when
    `seed_shares` is given), the one a search finds in the fewest entries (at least 1)."""
    chosen = {}
    total = max(total, 1)
    entries = max(SearchEntry.objects.count(), 1)
    for lang in LANGUAGES:
        counts = {w: n for w, n in counted[lang].items() if candidate(w)}
        seed = (seed_shares or {}).get(lang) or {}
        if not counts:
            raise CommandError(f"No words to choose from in {lang}.")
        if seed:
            common = min((w for w in seed if candidate(w)), key=lambda w: (-seed[w], w))
        else:
            common = min(counts, key=lambda w: (-counts[w], w))
        longer = {w: n for w, n in counts.items() if len(w) >= 6} or counts
        near = sorted(longer, key=lambda w: (abs(longer[w] / total - 0.01), w))[:12]
        medium = min(near, key=lambda w: (abs(count_matches(w) / entries - 0.01), w))
        rare_pool = {w: n for w, n in longer.items() if len(w) >= 7 and (not seed or w in seed)}
        rare_pool = rare_pool or longer
        fewest = min(rare_pool.values())
        candidates = sorted(w for w, n in rare_pool.items() if n == fewest)[:20]
        matches = {w: count_matches(w) for w in candidates}
        rare = min(candidates, key=lambda w: (matches[w] == 0, matches[w], w))
        chosen[lang] = {
            level: (word, counts.get(word, 0) / total)
            for level, word in (("rare", rare), ("medium", medium), ("common", common))
        }
    return chosen


def count_matches(word):
    """How many search entries the search page finds for `?q=word` (like the page, this
    matches the last word of a query as a prefix: the form strips a trailing space)."""
    query = parse(word)
    if not query:
        return 0
    return SearchEntry.objects.filter(engine.text_condition(query)).count()
