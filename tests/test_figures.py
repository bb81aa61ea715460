"""Key figures, methods and merged practices: the seeds' numbers and processes as data."""

import json
import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from catalogue.models import (
    Figure,
    FigureKind,
    Film,
    Method,
    Practice,
    Proposal,
    Qualifier,
    Status,
    Structure,
)
from territories.models import Territory

from .admin_forms import admin_export, admin_import, change_form_data, confirm_import
from .factories import cite, staff, url

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def seeds(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def html(response):
    return response.content.decode().replace("&#x27;", "'").replace("&nbsp;", "\xa0")


def found(client, q, lang="en", path=None, **params):
    path = path or ("/en/search/" if lang == "en" else "/fr/recherche/")
    response = client.get(path, {"q": q, **params})
    assert response.status_code == 200
    return [card.url for card in response.context["cards"]]


def elected_officials():
    return Figure.objects.get(value=84, out_of=128)


# --- the seeds' figures --------------------------------------------------------------


def test_every_seed_figure_is_loaded_in_both_languages_with_its_citation():
    records = seeds("19_figures.json")
    assert len(records) >= 200
    by_slug = {f.slug: f for f in Figure.objects.prefetch_related("citations")}
    for record in records:
        figure = by_slug[record["slug"]]
        assert figure.status == Status.PUBLISHED
        assert figure.value == Decimal(record["fields"]["value"])
        for lang in ("fr", "en"):
            assert getattr(figure, f"label_{lang}"), figure.slug
            assert getattr(figure, f"sentence_{lang}"), figure.slug
        assert len(figure.citations.all()) == 1, figure.slug
        assert figure.citations.all()[0].lines, figure.slug


def test_the_free_text_key_figures_are_gone_and_structures_show_figures(client):
    assert not any(f.name.startswith("key_figures") for f in Structure._meta.get_fields())
    ies = Structure.objects.get(slug="initiatives-pour-une-economie-solidaire")
    figures = list(ies.figures.all())
    assert {f.value for f in figures} >= {87, 14, 1550986, 676}
    for lang, heading in (("fr", "Chiffres clés"), ("en", "Key figures")):
        page = html(client.get(url(ies, lang)))
        assert f"<h2>{heading}</h2>" in page
        for figure in figures:
            assert url(figure, lang) in page


@pytest.mark.parametrize(
    ("fields", "fr", "en"),
    [
        ({"value": 2400000, "kind": FigureKind.JOBS}, "2,4\xa0millions", "2.4 million"),
        ({"value": 1000000, "kind": FigureKind.EUROS}, "1\xa0million\xa0€", "€1 million"),
        ({"value": 1060, "kind": FigureKind.STRUCTURES}, "1\xa0060", "1,060"),
        ({"value": Decimal("10.5"), "kind": FigureKind.PERCENT}, "10,5\xa0%", "10.5%"),
        ({"value": 84, "out_of": 128, "kind": FigureKind.STRUCTURES}, "84 sur 128", "84 of 128"),
        (
            {"value": 15, "value_to": 20, "kind": FigureKind.PERCENT},
            "15 à 20\xa0%",
            "15 to 20%",
        ),
        (
            {"value": 50, "qualifier": Qualifier.ABOUT, "kind": FigureKind.STRUCTURES},
            "environ 50",
            "about 50",
        ),
        (
            {"value": 1550986, "kind": FigureKind.EUROS},
            "1\xa0550\xa0986\xa0€",
            "€1,550,986",
        ),
    ],
)
def test_a_figure_reads_as_each_language_writes_numbers(fields, fr, en):
    figure = Figure(**fields)
    for lang, expected in (("fr", fr), ("en", en)):
        with translation.override(lang):
            assert figure.shown().replace("\u202f", "\xa0") == expected


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_figure_page_gives_the_number_its_sentence_place_and_source(client, lang):
    figure = elected_officials()
    page = html(client.get(url(figure, lang)))
    assert ("84 sur 128" if lang == "fr" else "84 of 128") in page
    assert getattr(figure, f"sentence_{lang}") in page
    assert getattr(figure, f"label_{lang}") in page
    assert "lignes" in page if lang == "fr" else "lines" in page
    assert url(figure.citations.get().source, lang) in page


@pytest.mark.parametrize(
    ("q", "lang"), [("84 élus", "fr"), ("128 élus", "fr"), ("84 elected", "en")]
)
def test_searching_84_or_128_with_elected_finds_the_figure(client, q, lang):
    assert url(elected_officials(), lang) in found(client, q, lang)[:3]


def test_a_figure_is_found_by_its_number_typed_without_spaces(client):
    scic = Figure.objects.filter(value=1060).first()
    assert url(scic, "fr") in found(client, "1060", "fr")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_figures_page_lists_only_figures_filtered_by_region_and_theme(client, lang):
    with translation.override(lang):
        path = reverse("catalogue:figures")
    response = client.get(path)
    assert response.status_code == 200
    assert {card.kind for card in response.context["cards"]} == {"figure"}
    assert response.context["total"].value == Figure.objects.published().count()

    region = Territory.objects.get(slug="auvergne-rhone-alpes")
    response = client.get(path, {"region": region.slug})
    expected = {
        f.pk
        for f in Figure.objects.published().select_related("territory")
        if f.territory and f.territory.path.startswith(region.path)
    }
    assert expected
    shown = {card.url for card in response.context["cards"]}
    assert response.context["total"].value >= len(expected)
    for figure in Figure.objects.filter(pk__in=expected)[:20]:
        assert url(figure, lang) in shown or response.context["total"].value > 20

    response = client.get(path, {"theme": "responsible-procurement"})
    expected = Figure.objects.published().filter(themes__slug="responsible-procurement")
    assert response.context["total"].value == expected.count()
    assert set(shown) != {card.url for card in response.context["cards"]}


def test_the_figures_page_costs_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get("/en/figures/", {"region": "occitanie", "page": 2})
    assert response.status_code == 200
    with django_assert_max_num_queries(8):
        client.get("/fr/chiffres-cles/", {"theme": "nope", "page": "x"})


def test_a_bad_filter_on_the_figures_page_is_a_message_not_an_error(client):
    response = client.get("/fr/chiffres-cles/", {"region": "atlantide", "page": "zz"})
    assert response.status_code == 200
    assert "n’est pas un numéro de page" in html(response)


def test_a_draft_figure_is_hidden_everywhere_and_previewed_for_staff(client, superuser):
    figure = elected_officials()
    figure.status = Status.DRAFT
    figure.save()
    assert client.get(url(figure, "en")).status_code == 404
    assert url(figure, "en") not in found(client, "84 elected")
    assert url(figure, "en") not in found(client, "", path="/en/figures/", sort="name", page=1)
    client.force_login(superuser)
    assert client.get(url(figure, "en")).status_code == 200


def test_a_figure_about_a_draft_structure_does_not_name_it(client):
    ies = Structure.objects.get(slug="initiatives-pour-une-economie-solidaire")
    figure = ies.figures.first()
    ies.status = Status.DRAFT
    ies.save()
    page = html(client.get(url(figure, "en")))
    assert url(ies, "en") not in page


def test_a_figure_label_falls_back_to_the_other_language_and_says_so(client):
    figure = elected_officials()
    figure.label_en = ""
    figure.sentence_en = ""
    figure.save()
    page = html(client.get(url(figure, "en")))
    assert figure.label_fr in page
    assert 'lang="fr"' in page
    assert "Not yet translated: shown in French." in page


def test_an_inconsistent_figure_carries_an_editors_note(client):
    shares = Figure.objects.filter(
        practice__slug="recycleries-dans-les-decheteries-d-orleans-metropole-avec-des-acteurs-de-l-ess",
        kind=FigureKind.PERCENT,
    )
    assert sum(f.value for f in shares) == 102
    for figure in shares:
        assert "102" in figure.editor_note_fr and "102" in figure.editor_note_en
        assert figure.editor_note_fr in html(client.get(url(figure, "fr")))


def test_a_range_or_whole_out_of_order_is_refused_with_a_message():
    for wrong, field in (({"value_to": 10}, "value_to"), ({"out_of": 10}, "out_of")):
        figure = Figure(slug="f", value=20, kind=FigureKind.PERCENT, label_fr="x", **wrong)
        figure.sentence_fr = "x"
        with pytest.raises(ValidationError) as refused:
            figure.full_clean()
        assert list(refused.value.message_dict) == [field]


# --- curation: publication and import -------------------------------------------------


def test_a_curator_cannot_publish_a_figure(client, django_user_model):
    client.force_login(staff(django_user_model, "Curator"))
    draft = Figure.objects.create(
        slug="chiffre-test", value=3, kind=FigureKind.COUNT, label_fr="x", sentence_fr="x"
    )
    client.post(
        reverse("admin:catalogue_figure_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert client.get(reverse("admin:catalogue_figure_add")).status_code == 200


@pytest.mark.parametrize("model", [Figure, Method])
def test_a_curators_edit_of_a_published_figure_or_method_waits_for_an_editor(
    client, django_user_model, model
):
    record = elected_officials() if model is Figure else Method.objects.first()
    field = "sentence_fr" if model is Figure else "summary_fr"
    before = getattr(record, field)
    client.force_login(staff(django_user_model, "Curator"))
    with translation.override("fr"):
        change = reverse(f"admin:catalogue_{model._meta.model_name}_change", args=[record.pk])
    data = change_form_data(client.get(change), **{field: "Texte non relu.", "status": "draft"})
    response = client.post(change, data, follow=True)
    assert "Vos modifications attendent un éditeur." in response.content.decode()
    record.refresh_from_db()
    assert (getattr(record, field), record.status) == (before, Status.PUBLISHED)
    assert Proposal.objects.filter(object_id=record.pk).exists()
    client.logout()
    assert "Texte non relu." not in html(client.get(url(record, "fr")))


def import_figures(client, text):
    return admin_import(client, "figure", text)


def test_a_curator_imports_figures_as_drafts_and_exports_them(client, django_user_model):
    client.force_login(staff(django_user_model, "Curator"))
    text = (
        "slug,value,kind,label_fr,label_en,year,sentence_fr,sentence_en,territory,structure,"
        "lever,themes,status\n"
        "chiffre-import,42,structures,lauréats,winners,2021,42 lauréats.,42 winners.,paris,"
        "enercoop,3,energy,published\n"
    )
    preview = import_figures(client, text)
    assert "lauréats" in preview.content.decode()
    confirm_import(client, preview, "figure")
    figure = Figure.objects.get(slug="chiffre-import")
    assert figure.status == Status.DRAFT  # a file never publishes
    assert (figure.territory.slug, figure.structure.slug, figure.lever.number) == (
        "paris",
        "enercoop",
        3,
    )
    assert list(figure.themes.values_list("slug", flat=True)) == ["energy"]

    response = admin_export(client, "figure", kind__exact="structures")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "chiffre-import,42,,,,structures,lauréats,winners,2021,42 lauréats." in body
    rows = body.strip().splitlines()[1:]
    assert len(rows) == Figure.objects.filter(kind=FigureKind.STRUCTURES).count()


def test_figure_numbers_are_read_as_typed_in_either_language(client, django_user_model):
    client.force_login(staff(django_user_model, "Curator"))
    text = (
        "slug,value,out_of,kind,label_fr,sentence_fr\n"
        'virgule,"10,5",,percent,x,x\n'
        'espaces,1 060,"2 000",structures,x,x\n'
    )
    confirm_import(client, import_figures(client, text), "figure")
    assert Figure.objects.get(slug="virgule").value == Decimal("10.5")
    assert Figure.objects.get(slug="espaces").out_of == 2000
    preview = import_figures(client, "slug,value,kind,label_fr,sentence_fr\nmot,douze,count,x,x\n")
    assert "« douze » n’est pas un nombre." in html(preview)
    assert not Figure.objects.filter(slug="mot").exists()


def test_an_unknown_structure_in_a_figure_import_is_a_row_error(client, django_user_model):
    client.force_login(staff(django_user_model, "Curator"))
    preview = import_figures(
        client, "slug,value,kind,label_fr,sentence_fr,structure\nx,1,count,x,x,atlantis\n"
    )
    assert "atlantis" in preview.content.decode()
    assert not Figure.objects.filter(slug="x").exists()


def test_a_curator_cannot_change_a_published_figure_by_import(client, django_user_model):
    client.force_login(staff(django_user_model, "Curator"))
    figure = elected_officials()
    preview = import_figures(
        client, f"slug,value,kind,label_fr,sentence_fr\n{figure.slug},85,structures,x,x\n"
    )
    assert "seul un éditeur peut la modifier par import" in preview.content.decode()
    figure.refresh_from_db()
    assert figure.value == 84


# --- methods -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_apes_process_has_its_seven_steps_in_order(client, lang):
    process = Method.objects.get(slug="apes-le-processus-en-sept-etapes")
    steps = list(process.steps.all())
    assert len(steps) == 7
    page = html(client.get(url(process, lang)))
    positions = [page.index(getattr(step, f"title_{lang}")) for step in steps]
    assert positions == sorted(positions)
    assert '<ol class="steps">' in page
    assert ("1 à 6 ans" if lang == "fr" else "one to six years") in page
    apes = process.structure
    assert url(process, lang) in html(client.get(url(apes, lang)))
    assert url(process, lang) in html(client.get(url(process.practice, lang)))


@pytest.mark.parametrize(
    ("lang", "says"),
    [
        ("fr", "La source en annonce 10 et en nomme 3"),
        ("en", "The source announces 10 and names 3"),
    ],
)
def test_the_pluss_beacons_say_three_of_ten_are_named(client, lang, says):
    beacons = Method.objects.get(slug="pluss-les-10-balises")
    assert beacons.steps.count() == 3 and beacons.announced_steps == 10
    page = html(client.get(url(beacons, lang)))
    assert says in page
    for step in beacons.steps.all():
        assert getattr(step, f"title_{lang}") in page


def test_an_untranslated_step_falls_back_to_the_other_language_and_says_so(client):
    process = Method.objects.get(slug="apes-le-processus-en-sept-etapes")
    step = process.steps.first()
    step.title_fr = ""
    step.save()
    page = html(client.get(url(process, "fr")))
    assert f'<h3 lang="en">{step.title_en}</h3>' in page


def test_a_draft_method_is_hidden(client):
    method = Method.objects.get(slug="pluss-les-10-balises")
    method.status = Status.DRAFT
    method.save()
    assert client.get(url(method, "fr")).status_code == 404
    assert url(method, "fr") not in html(client.get(url(method.structure, "fr")))


# --- one practice, several territories ------------------------------------------------


def test_no_two_published_practices_share_a_description():
    for lang in ("fr", "en"):
        texts = Counter(
            Practice.objects.published()
            .exclude(**{f"description_{lang}": ""})
            .values_list(f"description_{lang}", flat=True)
        )
        assert [t[:60] for t, n in texts.items() if n > 1] == []


def test_a_merged_practice_is_found_under_each_of_its_territories(client):
    spaser = Practice.objects.get(slug="spaser-des-villes-et-metropoles")
    places = [spaser.territory, *spaser.other_territories.all()]
    assert len(places) >= 9
    assert spaser.citations.exists()
    page = html(client.get(url(spaser, "en")))
    for place in places:
        assert url(place, "en") in page
        assert url(spaser, "en") in found(client, "SPASER", path=url(place, "en"))
    # Bordeaux Métropole lies in Nouvelle-Aquitaine: the region filter counts it there.
    assert url(spaser, "en") in found(client, "SPASER", region="nouvelle-aquitaine")


def test_merged_duplicates_are_archived_redirected_and_stay_removed():
    """A database loaded before the merge still has the duplicates: the next load
    archives them, their pages lead to the merged practice, later loads change nothing."""
    merges = [r for r in seeds("21_merged_practices.json") if "merged_into" in r]
    assert not Practice.objects.filter(slug__in=[m["slug"] for m in merges]).exists()
    old = Practice.objects.create(
        slug=merges[0]["slug"], title_fr="Doublon", status=Status.PUBLISHED
    )
    cite(old)
    call_command("load_seeds", verbosity=0)
    old.refresh_from_db()
    assert old.status == Status.ARCHIVED
    assert old.merged_into.slug == merges[0]["merged_into"]
    call_command("load_seeds", verbosity=0)
    assert Practice.objects.filter(slug=old.slug).count() == 1
    assert not Practice.objects.filter(slug__in=[m["slug"] for m in merges[1:]]).exists()


def test_a_merged_practice_address_leads_to_the_merged_one(client):
    target = Practice.objects.get(slug="spaser-des-villes-et-metropoles")
    Practice.objects.create(
        slug="spaser-grenoble", title_fr="Doublon", status=Status.ARCHIVED, merged_into=target
    )
    with translation.override("fr"):
        old = reverse("catalogue:practice", args=["spaser-grenoble"])
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == url(target, "fr")
    assert client.get(old.replace("spaser-grenoble", "nothing-here")).status_code == 404


# --- films ---------------------------------------------------------------------------


def test_a_susy_film_has_its_own_territory_and_is_found_there(client):
    film = Film.objects.get(slug="enercoop-film-de-bonne-pratique-susy")
    assert film.territory.slug == "languedoc-roussillon"
    page = html(client.get(url(film, "en")))
    assert url(film, "en") in found(client, "", path="/en/films/", region="occitanie")
    assert "Enercoop" in page


def test_the_seeded_methods_are_cited_and_in_both_languages():
    for record in seeds("20_methods.json"):
        method = Method.objects.get(slug=record["slug"])
        assert method.citations.exists()
        assert method.title_fr and method.title_en
        for step in method.steps.all():
            assert step.title_fr and step.title_en
        assert re.search(r"\d", method.citations.get().lines)
