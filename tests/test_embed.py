"""The embeddable widget: a preset search other sites may frame, and only that page."""

import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("path", "search"), [("/fr/integrer/", "/fr/recherche/"),
                                              ("/en/embed/", "/en/search/")])  # fmt: skip
def test_the_widget_shows_the_same_results_as_the_search(client, path, search):
    params = {"region": "occitanie", "type": "structure"}
    widget = client.get(path, params)
    page = client.get(search, params)
    assert widget.context["total"].value == page.context["total"].value
    html = widget.content.decode()
    for card in page.context["cards"]:
        assert f'href="http://testserver{card.url}" target="_blank" rel="noopener"' in html
    assert "<form" not in html  # a minimal layout: results and pages only


def test_only_the_widget_may_be_framed_by_other_sites(client):
    widget = client.get("/en/embed/", {"theme": "energy"})
    assert "X-Frame-Options" not in widget
    assert "frame-ancestors *" in widget["Content-Security-Policy"]
    for other in ("/en/", "/en/search/?theme=energy", "/en/structures/enercoop/"):
        response = client.get(other)
        assert response["X-Frame-Options"] == "DENY", other
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], other


def test_a_cached_widget_may_still_be_framed(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 600
    client.get("/en/embed/", {"lever": "3"})
    again = client.get("/en/embed/", {"lever": "3"})
    assert "X-Frame-Options" not in again
    assert "frame-ancestors *" in again["Content-Security-Policy"]


def test_the_search_page_offers_the_code_to_copy(client):
    page = client.get("/fr/recherche/", {"lever": "3"}).content.decode()
    code = re.search(r'<textarea id="embed-code"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    assert code.startswith("&lt;iframe src=&quot;") or code.startswith('&lt;iframe src="')
    assert "/fr/integrer/?lever=3" in code


def test_bad_parameters_in_the_widget_are_not_an_error(client):
    response = client.get("/fr/integrer/", {"page": "zz", "region": "atlantide", "q": "<x>"})
    assert response.status_code == 200
    assert "<x>" not in response.content.decode()
