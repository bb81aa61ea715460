"""Load the seed content of fixtures/ (see fixtures/README.md for the format).

Only adds what is missing: a record whose natural key already exists is left as
curators made it. All or nothing: one wrong record and nothing is written.

A practice the seeds merged into another ({"slug", "merged_into"}) is never created; if
an earlier load created it, it is archived and its page leads to the merged practice.
"""

import json
from collections import Counter
from pathlib import Path

import reversion
from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from catalogue.models import Citation, Practice, Status
from catalogue.models.base import Cited, split_locator
from catalogue.search import index as search_index

# Creation order, so that every foreign key points to a record that already exists.
MODEL_ORDER = [
    "territories.territory",
    "catalogue.theme",
    "catalogue.accreditation",
    "catalogue.source",
    "levers.lever",
    "levers.actionarea",
    "levers.action",
    "catalogue.structure",
    "catalogue.practice",
    "catalogue.film",
    "catalogue.term",
    "catalogue.person",
    "catalogue.figure",
    "catalogue.method",
]


# Records written with another one, in a list of that record's entry: {model label:
# {key: (part model, the field that points back to the record)}}.
PARTS = {
    "catalogue.person": {
        "roles": ("catalogue.personrole", "person"),
        "credits": ("catalogue.filmcredit", "person"),
    },
    "catalogue.method": {"steps": ("catalogue.methodstep", "method")},
}


def natural_key(model):
    return "number" if model._meta.label_lower == "levers.lever" else "slug"


class SeedError(Exception):
    pass


class Entry:
    def __init__(self, path, index, data):
        self.path, self.index, self.data = path, index, data
        if not isinstance(data, dict):
            raise self.error("a record must be a JSON object")
        label = str(data.get("model", "")).lower()
        if label not in MODEL_ORDER:
            raise self.error(f"unknown model {data.get('model')!r}")
        self.model = apps.get_model(label)
        self.key_field = natural_key(self.model)
        self.key = data.get(self.key_field)
        if self.key in (None, ""):
            raise self.error(f"'{self.key_field}' is missing")
        self.merged_into = data.get("merged_into")
        if self.merged_into is not None and (
            self.model is not Practice or set(data) != {"model", "slug", "merged_into"}
        ):
            raise self.error("a merge names a practice's slug and 'merged_into', nothing else")
        self.fields = data.get("fields", {})
        self.citations = data.get("citations", [])
        if not isinstance(self.fields, dict) or not isinstance(self.citations, list):
            raise self.error("'fields' must be an object and 'citations' a list")
        # A person's roles and film credits come with the person (see Command.parts).
        self.parts = {name: data.get(name, []) for name in PARTS.get(label, {})}
        known = {"model", self.key_field, "fields", "citations", "merged_into", *self.parts}
        extra = set(data) - known
        if extra:
            raise self.error(f"unknown key(s): {', '.join(sorted(extra))}")
        if not all(isinstance(p, list) for p in self.parts.values()):
            raise self.error(f"{', '.join(self.parts)} must be lists")

    def error(self, message):
        key = getattr(self, "key", None)
        what = f"{self.data.get('model')} {key!r}" if isinstance(self.data, dict) else "record"
        return SeedError(f"{self.path.name}, record {self.index + 1} ({what}): {message}")


class Command(BaseCommand):
    help = "Load the seed content (fixtures/*.json); adds only what is missing."

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(Path(settings.BASE_DIR) / "fixtures"))

    def handle(self, *args, **options):
        # The command's messages are in English; so are the model names it quotes.
        with translation.override("en"):
            self.load_all(options)

    def load_all(self, options):
        try:
            entries = self.read(Path(options["dir"]))
            # One revision: every seed record starts its history as loaded.
            # Search entries are written once, at the end, in the same transaction.
            with transaction.atomic(), reversion.create_revision(), search_index.deferred():
                reversion.set_comment("Loaded from the seed fixtures")
                created = self.load(entries)
        except SeedError as exc:
            raise CommandError(f"{exc}. Nothing was loaded.") from None
        counts = Counter(e.model._meta.verbose_name_plural for e in created)
        summary = ", ".join(f"{n} {name}" for name, n in sorted(counts.items())) or "nothing new"
        self.stdout.write(f"Seed content loaded: {summary}.")

    def read(self, folder):
        files = sorted(folder.glob("*.json"))
        if not files:
            raise SeedError(f"no fixture files in {folder}")
        entries, seen = [], {}
        for path in files:
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise SeedError(f"{path.name}: not valid JSON ({exc})") from None
            if not isinstance(data, list):
                raise SeedError(f"{path.name}: the file must hold a JSON list of records")
            for index, item in enumerate(data):
                entry = Entry(path, index, item)
                ident = (entry.model, str(entry.key))
                if ident in seen:
                    raise entry.error(f"defined twice (also in {seen[ident]})")
                seen[ident] = path.name
                entries.append(entry)
        return entries

    def load(self, entries):
        self.cache = {}
        created = []
        by_model = {label: [] for label in MODEL_ORDER}
        merges = [e for e in entries if e.merged_into is not None]
        for entry in entries:
            if entry.merged_into is None:
                by_model[entry.model._meta.label_lower].append(entry)
        by_model["territories.territory"] = self.parents_first(by_model["territories.territory"])
        for label in MODEL_ORDER:
            for entry in by_model[label]:
                if not entry.model._default_manager.filter(
                    **{entry.key_field: entry.key}
                ).exists():
                    entry.instance = self.create(entry)
                    created.append(entry)
        for entry in created:
            self.link(entry)
        for entry in merges:
            self.merge(entry)
        return created

    def merge(self, entry):
        """Archive a near-duplicate an earlier load created; its page then redirects."""
        target = Practice.objects.filter(slug=entry.merged_into).first()
        if target is None or target.slug == entry.key:
            raise entry.error(f"merged into unknown practice {entry.merged_into!r}")
        old = Practice.objects.filter(slug=entry.key, merged_into__isnull=True).first()
        if old is not None:
            old.merged_into, old.status = target, Status.ARCHIVED
            old.save(update_fields=["merged_into", "status", "updated_at"])

    def parents_first(self, entries):
        parents = {e.key: e.fields.get("parent") for e in entries}

        def depth(key, seen=()):
            parent = parents.get(key)
            if parent is None or parent not in parents:
                return 0
            if parent in seen:
                raise SeedError(f"territories {', '.join(seen)} are located in each other")
            return 1 + depth(parent, (*seen, key))

        return sorted(entries, key=lambda e: depth(e.key))

    def related(self, entry, field, keys):
        model = field.related_model
        key_field = natural_key(model)
        wanted = [str(k) for k in keys]
        missing = [k for k in wanted if (model, k) not in self.cache]
        if missing:
            queryset = model._default_manager.filter(**{f"{key_field}__in": missing})
            if field.many_to_many and field.remote_field.limit_choices_to:
                queryset = queryset.filter(**field.remote_field.limit_choices_to)
            for obj in queryset:
                self.cache[(model, str(getattr(obj, key_field)))] = obj
        unknown = [k for k in wanted if (model, k) not in self.cache]
        if unknown:
            name = model._meta.verbose_name
            raise entry.error(f"field '{field.name}': no {name} {', '.join(map(repr, unknown))}")
        return [self.cache[(model, k)] for k in wanted]

    def field(self, entry, name):
        try:
            field = entry.model._meta.get_field(name)
        except FieldDoesNotExist:
            raise entry.error(f"unknown field '{name}'") from None
        if not field.concrete and not field.many_to_many or field.auto_created:
            raise entry.error(f"field '{name}' cannot be set")
        return field

    def create(self, entry):
        obj = entry.model(**{entry.key_field: entry.key})
        if hasattr(obj, "status"):
            obj.status = Status.PUBLISHED
            obj.translation_by_hand = True  # the seeds were translated by hand
        entry.m2m = {}
        for name, value in entry.fields.items():
            field = self.field(entry, name)
            if field.many_to_many:
                if not isinstance(value, list):
                    raise entry.error(f"field '{name}' must be a list")
                entry.m2m[field] = value
            elif field.is_relation:
                value = self.related(entry, field, [value])[0] if value is not None else None
                setattr(obj, name, value)
            else:
                setattr(obj, field.attname, value)
        if issubclass(entry.model, Cited) and not entry.citations:
            raise entry.error("'citations' is missing: every record says where it comes from")
        self.save_valid(entry, obj)
        self.cache[(entry.model, str(entry.key))] = obj
        return obj

    @staticmethod
    def save_valid(entry, obj, where=""):
        """Save `obj` if the model accepts it; else say what it refuses, and where."""
        try:
            obj.full_clean()
        except ValidationError as exc:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in exc.message_dict.items()
            )
            raise entry.error(f"{where}{problems}") from None
        obj.save()

    def link(self, entry):
        obj = entry.instance
        for field, keys in entry.m2m.items():
            # add, not set: a new record has no other links, except those records
            # created with it made to it through a symmetrical field (related terms).
            getattr(obj, field.name).add(*self.related(entry, field, keys))
        citations = []
        for citation in entry.citations:
            if not isinstance(citation, dict) or "source" not in citation:
                raise entry.error("each citation needs a 'source'")
            source_field = Citation._meta.get_field("source")
            source = self.related(entry, source_field, [citation["source"]])[0]
            heading, lines = split_locator(str(citation.get("locator", "")))
            if len(lines) > 100:
                raise entry.error(f"citation lines too long: {lines[:40]}...")
            citations.append(
                Citation(
                    source=source,
                    heading=heading[:300],
                    lines=lines,
                    content_type=ContentType.objects.get_for_model(obj),
                    object_id=obj.pk,
                )
            )
        Citation.objects.bulk_create(citations)
        self.parts(entry)

    def parts(self, entry):
        """Create the roles and film credits listed with a new person."""
        for key, (label, owner) in PARTS.get(entry.model._meta.label_lower, {}).items():
            model = apps.get_model(label)
            for order, values in enumerate(entry.parts[key]):
                if not isinstance(values, dict):
                    raise entry.error(f"each of '{key}' must be an object")
                part = model(**{owner: entry.instance})
                if hasattr(part, "order"):
                    part.order = order
                for name, value in values.items():
                    try:
                        field = model._meta.get_field(name)
                    except FieldDoesNotExist:
                        raise entry.error(f"{key}: unknown field '{name}'") from None
                    if field.is_relation:
                        value = self.related(entry, field, [value])[0]
                        setattr(part, name, value)
                    else:
                        setattr(part, field.attname, value)
                self.save_valid(entry, part, where=f"{key}: ")
