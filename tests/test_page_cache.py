"""Whole public pages in the cache for anonymous visitors, never out of date."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Method, Status, Structure

from .factories import url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600


def queries(client, path, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
    return response, len(captured)


def test_a_second_visit_is_served_from_the_cache_with_the_same_page(client):
    path = "/fr/recherche/?q=coop&region=occitanie"
    first, first_queries = queries(client, path)
    second, second_queries = queries(client, path)
    assert first_queries > 0 and second_queries == 0
    assert second.status_code == 200 and second.content == first.content
    assert second["Content-Language"] == "fr"
    assert "script-src 'self'" in second["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_publishing_or_unpublishing_shows_at_once(client, lang):
    enercoop = Structure.objects.get(slug="enercoop")
    assert client.get(url(enercoop, lang)).status_code == 200
    enercoop.status = Status.DRAFT
    enercoop.save()
    assert client.get(url(enercoop, lang)).status_code == 404
    search = f"/{lang}/{'recherche' if lang == 'fr' else 'search'}/?q=enercoop"
    assert url(enercoop, lang) not in client.get(search).content.decode()
    enercoop.status = Status.PUBLISHED
    enercoop.save()
    assert url(enercoop, lang) in client.get(search).content.decode()


def test_an_edit_to_a_page_that_is_not_searched_shows_at_once(client):
    method = Method.objects.get(slug="pluss-les-10-balises")
    client.get(url(method, "fr"))
    step = method.steps.first()
    step.title_fr = "La coopération, revue"
    step.save()
    assert "La coopération, revue" in client.get(url(method, "fr")).content.decode()


def test_signed_in_staff_and_not_found_pages_are_never_cached(admin_client, client):
    enercoop = Structure.objects.get(slug="enercoop")
    enercoop.status = Status.DRAFT
    enercoop.save()
    # Staff preview a draft; the preview must not reach the public through the cache.
    assert admin_client.get(url(enercoop, "fr")).status_code == 200
    admin_client.logout()
    assert client.get(url(enercoop, "fr")).status_code == 404
    _response, count = queries(client, "/fr/structures/nothing-here/")
    _response, again = queries(client, "/fr/structures/nothing-here/")
    assert again > 0
