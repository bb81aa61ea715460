"""The public search: text, filters with counts, sorting, pagination, bad input."""

import pytest

from catalogue.models import Practice, Status, Structure

from . import factories

pytestmark = pytest.mark.django_db


def slug_of(card):
    return card.url.rstrip("/").rsplit("/", 1)[-1]


def result_slugs(response):
    return {slug_of(card) for card in response.context["cards"]}


def all_result_slugs(client, url, params):
    """Every result over every page."""
    slugs, page = set(), 1
    while True:
        response = client.get(url, {**params, "page": page})
        slugs |= result_slugs(response)
        if not response.context["page"].has_next():
            return slugs
        page += 1


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_search_page_opens_in_both_languages(client, lang):
    response = client.get(f"/{lang}/{'recherche' if lang == 'fr' else 'search'}/")
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.content.decode()
    assert response.context["total"].value > 0


def test_text_search_ignores_case_and_accents(client):
    response = client.get("/en/search/", {"q": "BOITE A CHAMPIGNONS"})
    assert "la-boite-a-champignons" in result_slugs(response)


def test_english_query_finds_a_record_from_a_french_source(client):
    practice = Practice.objects.filter(original_language="fr").exclude(title_en="").first()
    word = max(practice.title_en.split(), key=len).strip(",.:;()«»\"'")
    response = client.get("/en/search/", {"q": word, "type": "practice"})
    assert practice.slug in all_result_slugs(client, "/en/search/", {"q": word})
    assert response.status_code == 200


def test_french_query_finds_a_record_from_an_english_source(client):
    response = client.get("/fr/recherche/", {"q": "électricité renouvelable"})
    assert "enercoop-une-electricite-100-renouvelable-en-cooperative" in result_slugs(response)


def test_region_filter_includes_legacy_regions(client):
    slugs = all_result_slugs(
        client, "/fr/recherche/", {"region": "occitanie", "type": "structure"}
    )
    assert {"enercoop", "initiatives-pour-une-economie-solidaire"} <= slugs
    assert "la-boite-a-champignons" not in slugs


def test_status_filter_finds_scic_and_esus(client):
    scic = all_result_slugs(client, "/en/search/", {"status": "form-scic", "type": "structure"})
    assert "enercoop" in scic and "la-boite-a-champignons" not in scic
    esus = all_result_slugs(client, "/en/search/", {"status": "acc-esus", "type": "structure"})
    assert "la-boite-a-champignons" in esus and "enercoop" not in esus


def test_theme_filter_and_type_filter(client):
    slugs = all_result_slugs(client, "/en/search/", {"theme": "energy"})
    assert "enercoop" in slugs
    response = client.get("/en/search/", {"theme": "energy", "type": "film"})
    assert all(card.kind == "film" for card in response.context["cards"])


def test_lever_filter_returns_practices_that_illustrate_it(client):
    lever_practices = set(
        Practice.objects.published().filter(levers__number=3).values_list("slug", flat=True)
    )
    assert lever_practices
    slugs = all_result_slugs(client, "/en/search/", {"lever": "3", "type": "practice"})
    assert slugs == lever_practices


def test_each_choice_shows_how_many_results_it_gives(client):
    response = client.get("/en/search/", {"type": "structure"})
    region = next(f for f in response.context["facets"] if f.field.name == "region")
    counts = {o.value: o.count for o in region.options}
    filtered = client.get("/en/search/", {"type": "structure", "region": "occitanie"})
    assert counts["occitanie"].value == filtered.context["total"].value > 0


def test_drafts_are_not_public(client):
    draft = factories.practice("Pratique cachée zyxwv", status=Status.DRAFT)
    factories.cite(draft)
    assert draft.slug not in result_slugs(client.get("/fr/recherche/", {"q": "zyxwv"}))
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_sort_by_year_puts_newest_first(client):
    response = client.get("/en/search/", {"type": "structure", "sort": "year"})
    founded = dict(Structure.objects.values_list("slug", "year_founded"))
    years = [founded[slug_of(card)] for card in response.context["cards"]]
    assert years[0] == max(y for y in founded.values() if y)
    assert [y for y in years if y] == sorted((y for y in years if y), reverse=True)


def test_pagination_links_keep_the_filters(client):
    response = client.get("/en/search/", {"type": "practice"})
    assert response.context["page"].has_next()
    html = response.content.decode()
    assert 'href="?type=practice&amp;page=2"' in html
    page2 = client.get("/en/search/", {"type": "practice", "page": 2})
    assert result_slugs(page2).isdisjoint(result_slugs(response))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "abc"}, "is not a page number"),
        ({"page": "99999999999999999999"}, "There is no page"),
        ({"region": "atlantis"}, "is not one of the choices"),
        ({"lever": "42"}, "is not one of the choices"),
        ({"q": "x" * 10_000}, "shortened to its first 200 characters"),
    ],
)
def test_bad_input_gets_a_clear_message_not_an_error(client, params, message):
    response = client.get("/en/search/", params)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_bad_input_message_is_in_the_visitors_language(client):
    response = client.get("/fr/recherche/", {"page": "abc"})
    assert "n’est pas un numéro de page" in response.content.decode()


@pytest.mark.parametrize("value", ["\x00", "a\x00b", "\x1b[31m", "é\u202e", "%", "'; --"])
def test_control_characters_and_odd_values_never_break_the_page(client, value):
    for key in ("q", "region", "country", "theme", "status", "lever", "type", "sort", "page"):
        assert client.get("/en/search/", {key: value}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "economy", "region": "occitanie"},
        {"q": "cooperative", "region": "occitanie", "country": "fr", "theme": "energy",
         "status": "form-scic", "lever": "8", "type": "structure", "sort": "year"},
    ],
)  # fmt: skip
def test_search_runs_a_bounded_number_of_queries(client, params, django_assert_max_num_queries):
    """Results, the total and every facet come from the search entries in a fixed
    number of queries, whatever the filters: at most 8 (vocabulary, set sizes, facet
    counts, page, cards, themes, and the cache's version)."""
    with django_assert_max_num_queries(8):
        client.get("/en/search/", params)


def test_search_notices_are_in_the_visitors_language(client):
    shortened = client.get("/fr/recherche/", {"q": "coopérative " * 30})
    assert "Votre recherche a été raccourcie à ses 200 premiers caractères." in (
        shortened.content.decode()
    )
    deep = client.get("/fr/recherche/", {"type": "practice", "page": "9999"})
    assert "voici la dernière page" in deep.content.decode().lower()
