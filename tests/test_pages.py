"""Public pages in French and English: home, details, language switch, 404."""

import pytest
from django.urls import reverse
from django.utils import translation

from catalogue.models import Film, Practice, Source, Structure
from levers.models import ActionArea, Lever
from territories.models import Territory

pytestmark = pytest.mark.django_db
LANGS = ["fr", "en"]


@pytest.mark.parametrize("lang", LANGS)
def test_home_page_in_each_language(client, lang, django_assert_max_num_queries):
    """The home page counts by theme, region, country, status and lever: a fixed set of
    aggregate queries, whatever the size of the catalogue."""
    with django_assert_max_num_queries(18):
        response = client.get(f"/{lang}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in html
    assert 'name="q"' in html
    assert 'hreflang="fr"' in html and 'hreflang="en"' in html
    assert response.context["counts"]["practice"] == Practice.objects.published().count()


def test_root_redirects_to_a_language(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] in {"/fr/", "/en/"}


def detail_urls():
    return [
        Structure.objects.published().first(),
        Practice.objects.published().first(),
        Film.objects.published().first(),
        Source.objects.first(),
        Lever.objects.first(),
        ActionArea.objects.first(),
        Territory.objects.get(slug="occitanie"),
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_every_kind_of_detail_page_opens(client, lang, django_assert_max_num_queries):
    """Detail pages prefetch their neighbours: no query per related record."""
    for obj in detail_urls():
        with translation.override(lang):
            url = obj.get_absolute_url()
        with django_assert_max_num_queries(20):
            response = client.get(url)
        assert response.status_code == 200, url
        assert f'<html lang="{lang}">' in response.content.decode()


def test_practice_page_links_to_its_neighbours(client):
    practice = Practice.objects.get(
        slug="enercoop-une-electricite-100-renouvelable-en-cooperative"
    )
    with translation.override("fr"):
        html = client.get(practice.get_absolute_url()).content.decode()
        assert reverse("catalogue:structure", args=["enercoop"]) in html
        assert practice.territory.get_absolute_url() in html
        assert practice.films.first().get_absolute_url() in html
        assert reverse("catalogue:source", args=["susy-films"]) in html
    assert "Langue d’origine : Anglais." in html
    assert "Le texte dans cette langue est une traduction." in html


def test_region_page_lists_what_is_filed_under_former_regions(client):
    html = client.get("/en/territories/occitanie/").content.decode()
    assert "Enercoop" in html
    assert "/en/structures/enercoop/" in html


def test_language_switcher_keeps_the_visitor_on_the_same_page(client):
    html = client.get("/fr/structures/enercoop/").content.decode()
    assert 'href="/en/structures/enercoop/"' in html
    html = client.get("/en/search/?theme=energy").content.decode()
    assert 'href="/fr/recherche/?theme=energy"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/fr/structures/nope/",
        "/en/practices/nope/",
        "/en/films/nope/",
        "/fr/leviers/99/",
        "/en/territories/atlantis/",
        "/en/sources/nope/",
        "/en/no-such-page/",
    ],
)
def test_unknown_pages_get_a_404_in_the_visitors_language(client, url):
    response = client.get(url)
    assert response.status_code == 404
    html = response.content.decode()
    expected = "Page introuvable" if url.startswith("/fr/") else "Page not found"
    assert expected in html


def test_film_video_loads_only_on_request(client):
    film = Film.objects.published().first()
    film.video_url = "https://video.example.org/watch/1"
    film.save()
    html = client.get(film.get_absolute_url()).content.decode()
    assert "<iframe" not in html
    assert "<details" in html and film.video_url in html
