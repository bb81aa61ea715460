"""Write every published record as CSV and JSON, with a Frictionless datapackage.json
(the schema of every file, the licence, the sources). Default: MEDIA_ROOT/open-data/,
which the site's footer links to; run it nightly (README, "Reuse the data")."""

import csv
import json
import os
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management.base import BaseCommand
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone, translation

from catalogue.models import (
    Citation,
    Figure,
    Film,
    FilmCredit,
    Method,
    MethodStep,
    Person,
    PersonRole,
    Practice,
    Source,
    Status,
    Structure,
    Term,
    is_public,
)
from core.models import translated_fields
from core.spreadsheets import escaped
from levers.models import ActionArea, Lever
from territories.models import Territory

PUBLISHED = [Structure, Practice, Film, Person, Term, Figure, Method]
ALWAYS_PUBLIC = [Lever, ActionArea, Territory, Source]
# Parts of a record, public with it: {model: the fields that point to public records}.
PARTS = {
    MethodStep: ["method"],
    PersonRole: ["person"],
    FilmCredit: ["film", "person"],
}
SKIPPED = {"id", "status", "translation_by_hand", "created_at", "logo", "poster", "merged_into"}
TYPES = {
    models.IntegerField: "integer",
    models.DecimalField: "number",
    models.BooleanField: "boolean",
    models.DateTimeField: "datetime",
}
CACHE_KEY = "essor:open-data-exists"


def key_of(model):
    return "number" if model is Lever else "slug"


def columns(model):
    """(column name, field) pairs: translated text per language, relations by key."""
    translated = translated_fields(model)
    found = []
    for field in model._meta.get_fields():
        if (
            field.auto_created
            or field.name in SKIPPED
            or field.is_relation
            and not (field.many_to_one or field.many_to_many)
        ):
            continue
        if getattr(field, "column", None) is None and not field.many_to_many:
            continue
        if field.name in translated:
            found += [(f"{field.name}_{code}", field) for code, _n in settings.LANGUAGES]
        elif not any(field.name == f"{t}_{c}" for t in translated for c in ("fr", "en")):
            found.append((field.name, field))
    return found


def field_type(field):
    if field.many_to_many:
        return "string"  # slugs separated by "|"
    for kind, name in TYPES.items():
        if isinstance(field, kind):
            return name
    return "string"


def write_table(folder, name, schema, rows):
    """Write `rows` as name.csv and name.json, one row at a time; their two resources."""
    names = [field["name"] for field in schema["fields"]]
    with (
        open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as csv_file,
        open(folder / f"{name}.json", "w", encoding="utf-8") as json_file,
    ):
        writer = csv.writer(csv_file)
        writer.writerow(names)
        json_file.write("[")
        for number, row in enumerate(rows):
            # A spreadsheet does not run a cell of this file as a formula.
            writer.writerow(["" if v is None else escaped(v) for v in row])
            item = json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False, default=str)
            json_file.write(("," if number else "") + "\n" + item)
        json_file.write("\n]\n")
    return [
        {"name": name, "path": f"{name}.csv", "format": "csv", "mediatype": "text/csv",
         "encoding": "utf-8", "schema": schema},
        {"name": f"{name}-json", "path": f"{name}.json", "format": "json",
         "mediatype": "application/json", "encoding": "utf-8", "schema": schema},
    ]  # fmt: skip


class Command(BaseCommand):
    help = "Write the published catalogue as CSV and JSON files with a datapackage.json."

    def add_arguments(self, parser):
        parser.add_argument("directory", nargs="?",
                            default=str(Path(settings.MEDIA_ROOT) / "open-data"))  # fmt: skip

    def handle(self, *args, directory, **options):
        target = Path(directory)
        work = Path(tempfile.mkdtemp(prefix="open-data-", dir=target.parent if
                                     target.parent.exists() else None))  # fmt: skip
        resources = []
        with translation.override("fr"):
            for model in [*PUBLISHED, *PARTS, *ALWAYS_PUBLIC]:
                resources += self.write(model, work)
            resources += self.write_citations(work)
        package = {
            "profile": "data-package",
            "name": "essor",
            "title": "ESSor",
            "description": "The catalogue of the social and solidarity economy: structures, "
            "practices, films, people, glossary, key figures, methods, levers and territories, "
            "in French and English.",
            "created": timezone.now().isoformat(timespec="seconds"),
            "licenses": [settings.DATA_LICENCE],
            "sources": [{"title": s.title_en or s.title_fr} for s in Source.objects.all()],
            "resources": resources,
        }
        (work / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False, indent=2))
        # Replace the previous export at once: readers never see half of one.
        if target.exists():
            old = target.with_name(target.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(target, old)
            os.replace(work, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(work, target)
        cache.delete(CACHE_KEY)
        self.stdout.write(f"Open data written to {target} ({len(resources) // 2} tables).")

    def write(self, model, folder):
        cols = columns(model)
        queryset = model.objects.published() if model in PUBLISHED else model.objects.all()
        if model in PARTS:
            queryset = queryset.filter(**{f"{f}__status": Status.PUBLISHED for f in PARTS[model]})
        relations = [(c, f) for c, f in cols if f.is_relation]
        queryset = queryset.select_related(*[f.name for c, f in relations if f.many_to_one])
        queryset = queryset.prefetch_related(*[f.name for c, f in relations if f.many_to_many])
        rows = (
            [self.value(record, column, field) for column, field in cols]
            for record in queryset.order_by("pk").iterator(chunk_size=500)
        )
        schema = {"fields": [{"name": c, "type": field_type(f)} for c, f in cols]}
        if model not in PARTS:
            schema["primaryKey"] = key_of(model)
        return write_table(folder, model._meta.db_table.split("_", 1)[1], schema, rows)

    def write_citations(self, folder):
        """Where each public record's facts come from: its kind and key, the source, the
        heading and lines in it."""
        names = ["record_type", "record", "source", "heading", "lines"]

        def rows():
            for model in [*PUBLISHED, *ALWAYS_PUBLIC]:
                if not hasattr(model, "citations"):
                    continue
                public = model.objects.published() if model in PUBLISHED else model.objects.all()
                key = Subquery(
                    model.objects.filter(pk=OuterRef("object_id")).values(key_of(model))
                )
                citations = Citation.objects.filter(
                    content_type=ContentType.objects.get_for_model(model),
                    object_id__in=public.values("pk"),
                ).annotate(key=key)
                values = citations.order_by("object_id", "pk").values_list(
                    "key", "source__slug", "heading", "lines"
                )
                for row in values.iterator(chunk_size=2000):
                    yield [model._meta.model_name, *row]

        schema = {"fields": [{"name": n, "type": "string"} for n in names]}
        return write_table(folder, "citation", schema, rows())

    def value(self, record, column, field):
        """A field's value; a related record by its key, and only if it is public."""
        if field.many_to_many:
            related = [r for r in getattr(record, field.name).all() if is_public(r)]
            return "|".join(str(getattr(r, key_of(type(r)))) for r in related)
        if field.many_to_one:
            related = getattr(record, field.name)
            if related is None or not is_public(related):
                return None
            return getattr(related, key_of(type(related)))
        return getattr(record, column if column != field.name else field.attname)
