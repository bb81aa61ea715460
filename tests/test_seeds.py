"""The seed content: complete, cited, idempotent, and all-or-nothing."""

import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from catalogue.models import (
    Citation,
    Figure,
    Film,
    Method,
    MethodStep,
    Practice,
    Source,
    Status,
    Structure,
)
from levers.models import Action, ActionArea, Lever
from territories.models import Territory

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
MODELS = [Territory, Source, Lever, ActionArea, Action, Structure, Practice, Film, Citation,
          Figure, Method, MethodStep]  # fmt: skip


def counts():
    return {model: model.objects.count() for model in MODELS}


def test_seeds_load_every_kind_of_record():
    assert Source.objects.count() == 5
    assert Lever.objects.count() == 10
    assert ActionArea.objects.count() == 16
    assert Action.objects.exists()
    assert Structure.objects.published().exists()
    assert Practice.objects.published().exists()
    assert Film.objects.published().count() >= 5


def test_every_seed_record_says_where_it_comes_from():
    for model in (Structure, Practice, Film, Lever, ActionArea, Action):
        uncited = model.objects.filter(citations__isnull=True)
        assert not uncited.exists(), f"{model.__name__} without a source: {list(uncited)[:5]}"


def test_every_seed_record_is_in_both_languages():
    for model, field in ((Structure, "name"), (Practice, "title"), (Film, "title")):
        for lang in ("fr", "en"):
            missing = model.objects.filter(**{f"{field}_{lang}": ""}) | model.objects.filter(
                **{f"{field}_{lang}__isnull": True}
            )
            assert not missing.exists(), f"{model.__name__} without {lang} {field}"


def test_every_source_document_is_cited():
    for source in Source.objects.all():
        assert source.citations.exists(), source.slug


def test_loading_twice_changes_nothing():
    before = counts()
    call_command("load_seeds", verbosity=0)
    assert counts() == before


def test_loading_keeps_what_curators_changed():
    enercoop = Structure.objects.get(slug="enercoop")
    enercoop.description_fr = "Texte revu par une curatrice."
    enercoop.status = Status.REVIEW
    enercoop.save()
    call_command("load_seeds", verbosity=0)
    enercoop.refresh_from_db()
    assert enercoop.description_fr == "Texte revu par une curatrice."
    assert enercoop.status == Status.REVIEW


def test_loading_adds_what_is_missing():
    film = Film.objects.get(slug="enercoop-film-de-bonne-pratique-susy")
    film.delete()
    call_command("load_seeds", verbosity=0)
    restored = Film.objects.get(slug="enercoop-film-de-bonne-pratique-susy")
    assert restored.practice.slug == "enercoop-une-electricite-100-renouvelable-en-cooperative"
    assert restored.citations.get().source.slug == "susy-films"


def broken_copy(tmp_path, record):
    """The real fixtures plus one file holding `record`."""
    folder = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, folder)
    (folder / "99_broken.json").write_text(json.dumps([record]), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("record", "reason"),
    [
        (
            {
                "model": "catalogue.practice",
                "slug": "x",
                "fields": {"title_fr": "X", "territory": "atlantis"},
                "citations": [{"source": "susy-films"}],
            },
            "no territory 'atlantis'",
        ),
        (
            {
                "model": "catalogue.structure",
                "slug": "y",
                "fields": {"name_fr": "Y", "year_founded": "long ago"},
                "citations": [{"source": "susy-films"}],
            },
            "year_founded",
        ),
        (
            {
                "model": "catalogue.structure",
                "slug": "z",
                "fields": {"name_fr": "Z", "colour": "red"},
                "citations": [{"source": "susy-films"}],
            },
            "unknown field 'colour'",
        ),
        (
            {"model": "catalogue.practice", "slug": "w", "fields": {"title_fr": "W"}},
            "'citations' is missing",
        ),
        (
            {"model": "catalogue.unicorn", "slug": "u", "fields": {}},
            "unknown model",
        ),
    ],
)
def test_broken_fixture_loads_nothing_and_says_why(tmp_path, record, reason):
    Film.objects.filter(slug="enercoop-film-de-bonne-pratique-susy").delete()
    before = counts()
    folder = broken_copy(tmp_path, record)
    with pytest.raises(CommandError) as error:
        call_command("load_seeds", "--dir", str(folder), verbosity=0)
    message = str(error.value)
    assert "99_broken.json, record 1" in message
    assert reason in message
    assert "Nothing was loaded" in message
    # The film that would have been re-added by a good load was not.
    assert counts() == before


def test_duplicate_slug_is_refused(tmp_path):
    folder = broken_copy(
        tmp_path,
        {
            "model": "catalogue.structure",
            "slug": "enercoop",
            "fields": {"name_fr": "Bis"},
            "citations": [{"source": "susy-films"}],
        },
    )
    with pytest.raises(CommandError, match="defined twice"):
        call_command("load_seeds", "--dir", str(folder), verbosity=0)


def test_invalid_json_is_refused(tmp_path):
    folder = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, folder)
    (folder / "99_broken.json").write_text('[{"model": ', encoding="utf-8")
    with pytest.raises(CommandError, match="99_broken.json: not valid JSON"):
        call_command("load_seeds", "--dir", str(folder), verbosity=0)


def test_legacy_regions_point_to_the_region_that_absorbed_them():
    assert Territory.objects.get(slug="midi-pyrenees").parent.slug == "occitanie"
    assert Territory.objects.get(slug="languedoc-roussillon").parent.slug == "occitanie"
    assert Territory.objects.get(slug="aquitaine").parent.slug == "nouvelle-aquitaine"
    assert Territory.objects.regions().count() == 18
    assert Territory.objects.filter(kind="department").count() == 101
