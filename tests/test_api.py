"""The public API: the search page's results and counts for the same filters, every
public field in both languages, published records only, and a clear 400 for bad input.
Also its HTTP manners: conditional GET, public caching, CORS and the rate limit."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalogue.models import Film, Person, Practice, Status, Structure
from catalogue.search.engine import FACETS
from territories.models import Territory

from .factories import practice, structure, url

pytestmark = pytest.mark.django_db

API = "/api/v1"
SEARCHES = [
    {"region": "occitanie"},  # with Midi-Pyrénées and Languedoc-Roussillon inside
    {"lever": "3", "type": "practice"},
    {"theme": "energy"},
    {"status": "form-scic"},
    {"q": "coopérative"},
    {"q": "circular economy", "sort": "name"},
    {"country": "my"},
]


def get(client, path, accept="fr", **params):
    """GET with the client's Accept-Language (`lang` in `params` is the API's parameter)."""
    return client.get(path, params, HTTP_ACCEPT_LANGUAGE=accept)


def walk(client, path, limit=7, **params):
    """Every result of an API list, following `next` to the end; and the first page."""
    first = response = get(client, path, limit=limit, **params)
    assert response.status_code == 200, response.content
    results = list(response.json()["results"])
    while response.json()["next"]:
        response = client.get(response.json()["next"])
        assert response.status_code == 200, response.content
        results += response.json()["results"]
    return first.json(), results


def page_urls(client, lang, params):
    """The page addresses of every result of the search page, in its order."""
    search = "/fr/recherche/" if lang == "fr" else "/en/search/"
    urls, page = [], 1
    while True:
        response = client.get(search, {**params, "page": page})
        urls += [card.url for card in response.context["cards"]]
        if not response.context["page"].has_next():
            return urls, response.context
        page += 1


def page_facets(context):
    return {
        facet.field.name: {o.value: o.count.shown for o in facet.options if o.value}
        for facet in context["facets"]
    }


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("params", SEARCHES)
def test_a_search_gives_the_search_pages_results_in_its_order_and_its_counts(client, params, lang):
    body, results = walk(client, f"{API}/search/", lang=lang, **params)
    urls, context = page_urls(client, lang, params)
    assert results and len(results) == body["count"] == context["total"].value
    assert body["count_exact"] is True
    assert [r["url"][lang].removeprefix("http://testserver") for r in results] == urls
    assert body["sort"] == context["sort"]
    api_facets = {
        name: {c["value"]: c["count"] for c in choices} for name, choices in body["facets"].items()
    }
    assert api_facets == page_facets(context)


def test_a_kinds_list_is_the_search_of_that_kind(client):
    body, results = walk(client, f"{API}/practices/", lever="3", region="occitanie")
    urls, context = page_urls(client, "fr", {"type": "practice", "lever": "3",
                                             "region": "occitanie"})  # fmt: skip
    assert [r["url"]["fr"].removeprefix("http://testserver") for r in results] == urls
    assert {r["type"] for r in results} == {"practice"}
    assert "type" not in body["facets"]
    assert get(client, f"{API}/practices/", type="film").status_code == 400


@pytest.mark.parametrize("sort", ["name", "year", "relevance"])
def test_a_cursor_walks_every_result_once_in_any_order(client, sort):
    params = {"q": "économie", "sort": sort}
    body, results = walk(client, f"{API}/search/", limit=9, **params)
    urls, context = page_urls(client, "fr", params)
    assert body["sort"] == sort == context["sort"]
    assert [r["url"]["fr"].removeprefix("http://testserver") for r in results] == urls
    assert len({(r["type"], r["key"]) for r in results}) == len(results) == body["count"]


def test_results_give_both_languages_and_their_records_addresses(client):
    body = get(client, f"{API}/search/", type="lever", lever="3").json()
    [lever] = body["results"]
    assert lever["key"] == "3"
    assert lever["name"] == {"fr": "Commande publique responsable",
                             "en": "Responsible public procurement"}  # fmt: skip
    assert lever["url"] == {"fr": "http://testserver/fr/leviers/3/",
                            "en": "http://testserver/en/levers/3/"}  # fmt: skip
    detail = client.get(lever["api_url"]).json()
    assert detail["number"] == 3 and detail["short_title"] == lever["name"]
    assert body["licence"]["name"] == "etalab-2.0"


def test_a_practice_in_detail_every_public_field_in_both_languages(client):
    record = Practice.objects.published().filter(levers__number=3).first()
    response = get(client, f"{API}/practices/{record.slug}/")
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == {"fr": record.title_fr or None, "en": record.title_en or None}
    assert data["description"]["fr"] == (record.description_fr or None)
    assert data["url"]["en"] == "http://testserver" + url(record, "en")
    assert data["languages"]["original"] == record.original_language
    other = "en" if record.original_language == "fr" else "fr"
    assert data["languages"]["translations"] == [other]
    assert {lever["key"] for lever in data["levers"]} == {
        str(n) for n in record.levers.values_list("number", flat=True)
    }
    assert data["territory"]["key"] == record.territory.slug
    assert data["citations"] and {"source", "heading", "lines"} <= set(data["citations"][0])
    assert "status" not in data and "translation_by_hand" not in data


def test_a_choice_comes_with_its_label_in_both_languages(client):
    scic = Structure.objects.published().filter(legal_form="scic").first()
    data = get(client, f"{API}/structures/{scic.slug}/").json()
    assert data["legal_form"]["value"] == "scic"
    assert data["legal_form"]["label"]["fr"] != data["legal_form"]["label"]["en"]


def test_drafts_appear_nowhere_in_the_api(client):
    draft = structure("Zyxwvu coopérative brouillon", status=Status.DRAFT)
    shown = practice("Zyxwvu pratique publiée", slug="zyxwvu-publiee")
    shown.structures.add(draft)
    film = Film.objects.published().exclude(practice=None).first()
    film.practice.status = Status.DRAFT
    film.practice.save()
    assert get(client, f"{API}/search/", q="zyxwvu").json()["count"] == 1
    assert get(client, f"{API}/structures/", q="zyxwvu").json()["count"] == 0
    assert get(client, f"{API}/structures/{draft.slug}/").status_code == 404
    assert get(client, f"{API}/practices/zyxwvu-publiee/").json()["structures"] == []
    assert get(client, f"{API}/films/{film.slug}/").json()["practice"] is None
    assert get(client, f"{API}/practices/{film.practice.slug}/").status_code == 404
    person = Person.objects.published().first()
    person.status = Status.REVIEW
    person.save()
    assert get(client, f"{API}/people/{person.slug}/").status_code == 404


def test_lists_that_are_not_searches_page_by_key(client):
    body, results = walk(client, f"{API}/territories/", limit=50)
    assert len(results) == Territory.objects.count()
    assert [t["slug"] for t in results] == sorted(t["slug"] for t in results)
    occitanie = next(t for t in results if t["slug"] == "occitanie")
    assert {c["key"] for c in occitanie["children"]} >= {"midi-pyrenees"}
    assert get(client, f"{API}/methods/").json()["results"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"region": "atlantis"}, "region"),
        ({"lever": "11"}, "lever"),
        ({"sort": "price"}, "sort"),
        ({"limit": "0"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"lang": "de"}, "lang"),
        ({"cursor": "bm90IGEgY3Vyc29y"}, "cursor"),
    ],
)
def test_bad_parameters_give_a_400_that_says_which_and_why(client, params, field):
    response = get(client, f"{API}/search/", accept="en", **params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
    assert field in response.json()["errors"]


def test_an_error_is_in_the_clients_language(client):
    french = get(client, f"{API}/search/", accept="fr", region="atlantis").json()
    english = get(client, f"{API}/search/", accept="en", region="atlantis").json()
    assert "filtre" in french["detail"] and "filter" in english["detail"]
    assert (
        get(client, f"{API}/search/", accept="fr", regoin="x")
        .json()["detail"]
        .startswith("Paramètre inconnu")
    )


def test_unknown_repeated_and_oversized_parameters_are_refused(client):
    assert get(client, f"{API}/search/", regoin="occitanie").status_code == 400
    assert client.get(f"{API}/search/?lever=3&lever=4").status_code == 400
    assert get(client, f"{API}/search/", q="x" * 201).status_code == 400
    # A cursor of another search (another order) cannot be followed.
    by_name = get(client, f"{API}/search/", limit=1).json()["next"]
    cursor = by_name.split("cursor=")[1]
    assert get(client, f"{API}/search/", sort="year", cursor=cursor).status_code == 400


def test_unknown_addresses_and_records_answer_json_404(client):
    for path in [f"{API}/nothing/", f"{API}/practices/no-such-practice/", f"{API}/levers/99/"]:
        response = get(client, path)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert response.json()["detail"]


def test_only_get_is_allowed(client):
    response = client.post(f"{API}/search/", {})
    assert response.status_code in {403, 405}
    assert response["Content-Type"] == "application/json"


def test_a_conditional_get_reads_nothing_until_the_catalogue_changes(client):
    first = get(client, f"{API}/practices/", lever="3")
    assert first["ETag"] and first["Last-Modified"]
    assert first["Cache-Control"] == "public, max-age=300"
    with CaptureQueriesContext(connection) as done:
        again = client.get(f"{API}/practices/", {"lever": "3"}, HTTP_ACCEPT_LANGUAGE="fr",
                           HTTP_IF_NONE_MATCH=first["ETag"])  # fmt: skip
    assert again.status_code == 304
    assert [q["sql"] for q in done.captured_queries if not is_timeout(q["sql"])] == []
    since = client.get(f"{API}/practices/", {"lever": "3"}, HTTP_ACCEPT_LANGUAGE="fr",
                       HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])  # fmt: skip
    assert since.status_code == 304
    practice("Une nouvelle pratique du levier 3").levers.add(3)
    changed = client.get(f"{API}/practices/", {"lever": "3"}, HTTP_ACCEPT_LANGUAGE="fr",
                         HTTP_IF_NONE_MATCH=first["ETag"])  # fmt: skip
    assert changed.status_code == 200
    assert changed.json()["count"] == first.json()["count"] + 1


def is_timeout(sql):
    """PostgreSQL: every public request sets and resets its statement timeout."""
    return sql.startswith(("SET statement_timeout", "RESET statement_timeout"))


def test_other_sites_may_read_the_api_but_not_the_pages(client):
    origin = {"HTTP_ORIGIN": "https://reseau.example.org"}
    assert client.get(f"{API}/search/", **origin)["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(f"{API}/search/", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                               **origin)  # fmt: skip
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]
    assert "Access-Control-Allow-Origin" not in client.get("/fr/recherche/", **origin)


def test_a_client_past_its_rate_waits_and_is_told_how_long(client, settings):
    settings.API_RATE = "3/min"
    cache.clear()
    for _request in range(3):
        assert get(client, f"{API}/levers/").status_code == 200
    refused = get(client, f"{API}/levers/", accept="en")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "throttled" in refused.json()["detail"]
    other = client.get(f"{API}/levers/", REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 200


@pytest.mark.parametrize(
    "path",
    [f"{API}/search/?region=occitanie", f"{API}/practices/?q=coop&theme=energy",
     f"{API}/structures/?status=form-scic&limit=100"],
)  # fmt: skip
def test_a_list_costs_a_bounded_number_of_queries(client, path, django_assert_max_num_queries):
    client.get(path)  # the vocabulary, cached as on any search page
    # 3 to 5 queries, and on PostgreSQL the statement timeout's SET and RESET.
    with django_assert_max_num_queries(7):
        assert client.get(path).status_code == 200


@pytest.mark.parametrize("endpoint", ["practices", "structures", "films", "people", "figures"])
def test_a_detail_costs_a_bounded_number_of_queries(
    client, endpoint, django_assert_max_num_queries
):
    first = client.get(f"{API}/{endpoint}/", {"limit": 1}).json()["results"][0]
    with django_assert_max_num_queries(20):
        assert client.get(first["api_url"]).status_code == 200


def test_the_root_says_where_everything_is_and_under_which_licence(client):
    root = client.get(f"{API}/")
    data = root.json()
    assert data["licence"]["path"] in root["Link"]
    for endpoint in data["endpoints"].values():
        assert client.get(endpoint).status_code == 200
    assert client.get(data["schema"]).status_code == 200


def test_the_schema_describes_every_endpoint_and_the_docs_need_no_other_site(client):
    schema = client.get(reverse("api:schema"), {"format": "json"}).json()
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {"/api/v1/search/", "/api/v1/practices/", "/api/v1/practices/{slug}/",
            "/api/v1/levers/{number}/", "/api/v1/territories/"} <= paths  # fmt: skip
    region = next(p for p in schema["paths"]["/api/v1/search/"]["get"]["parameters"]
                  if p["name"] == "region")  # fmt: skip
    assert "occitanie" in region["schema"]["enum"]
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "https://" not in html and "<style" not in html


def test_facet_counts_match_the_search_layer_for_every_facet(client):
    body = get(client, f"{API}/search/", region="occitanie").json()
    assert set(body["facets"]) == set(FACETS)
    chosen = next(c for c in body["facets"]["region"] if c["value"] == "occitanie")
    assert chosen["selected"] and chosen["count"] == body["count"]
