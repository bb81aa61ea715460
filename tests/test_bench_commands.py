"""The benchmark commands: generate synthetic records, time the search, remove them."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from catalogue.models import (
    EntryKind,
    EntryTag,
    Film,
    Practice,
    SearchEntry,
    Status,
    Structure,
    TagCount,
)

pytestmark = pytest.mark.django_db

MODELS = {EntryKind.PRACTICE: Practice, EntryKind.STRUCTURE: Structure, EntryKind.FILM: Film}


def seed_state():
    """Everything a seed record is, and what its search entry holds."""
    records = {
        kind: sorted(
            model.objects.exclude(slug__startswith="gen-").values_list(
                "pk", "slug", "status", "updated_at"
            )
        )
        for kind, model in MODELS.items()
    }
    entries = {}
    for kind, rows in records.items():
        ids = [row[0] for row in rows]
        rows = SearchEntry.objects.filter(kind=kind, object_id__in=ids)
        for pk, object_id, text_fr, text_en in rows.values_list(
            "pk", "object_id", "text_fr", "text_en"
        ):
            tags = set(EntryTag.objects.filter(entry_id=pk).values_list("tag", flat=True))
            entries[(kind, object_id)] = (text_fr, text_en, tags)
    return records, entries


def generated_entries():
    return sum(
        SearchEntry.objects.filter(
            kind=kind, object_id__in=model.objects.filter(slug__startswith="gen-").values("pk")
        ).count()
        for kind, model in MODELS.items()
    )


def run(*args, **options):
    out = StringIO()
    call_command(*args, stdout=out, **options)
    return out.getvalue()


def test_generate_bench_and_delete(client):
    before = seed_state()

    output = run("generate_catalogue", records=60, seed=1, workers=0)

    generated = {
        kind: model.objects.filter(slug__startswith="gen-") for kind, model in MODELS.items()
    }
    assert {kind: qs.count() for kind, qs in generated.items()} == {
        EntryKind.PRACTICE: 36,
        EntryKind.STRUCTURE: 21,
        EntryKind.FILM: 3,
    }
    for qs in generated.values():
        assert not qs.exclude(status=Status.PUBLISHED).exists()
        assert not qs.filter(translation_by_hand=True).exists()
        assert set(qs.values_list("original_language", flat=True)) <= {"fr", "en"}
    assert all(p.structures.exists() for p in generated[EntryKind.PRACTICE])
    assert all(f.practice_id or f.structure_id for f in generated[EntryKind.FILM])
    assert generated_entries() == 60
    assert before == seed_state()

    # The words it prints for the benchmark find generated records through the search page.
    printed = dict(re.findall(r"^\s+en (rare|medium|common)\s+(\S+)", output, re.M))
    assert set(printed) == {"rare", "medium", "common"}
    response = client.get("/en/search/", {"q": printed["rare"]})
    assert response.status_code == 200
    assert any("/gen-" in card.url for card in response.context["cards"])

    table = run("bench_search", runs=2)
    assert "Database:" in table and "ERROR" not in table
    assert re.search(r"^home fr \(warm\)\s+/fr/\s+200 ", table, re.M)
    assert re.search(r"^fr common word\s+/fr/recherche/\?q=\S+\s+200 ", table, re.M)
    assert "Peak Python memory" in table

    run("generate_catalogue", delete=True)
    assert not any(
        model.objects.filter(slug__startswith="gen-").exists() for model in MODELS.values()
    )
    assert generated_entries() == 0
    assert (
        SearchEntry.objects.count()
        == len(before[1])
        + SearchEntry.objects.filter(
            kind__in=[
                EntryKind.LEVER,
                EntryKind.ACTION_AREA,
                EntryKind.TERM,
                EntryKind.PERSON,
                EntryKind.FIGURE,
            ]
        ).count()
    )
    assert TagCount.objects.aggregate(n=Sum("count"))["n"] == EntryTag.objects.count()
    assert before == seed_state()
