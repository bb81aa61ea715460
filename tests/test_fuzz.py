"""Every public address, with random query strings and paths: never a server error, never
a visitor's input sent back unescaped. A few hundred cases in `make test`; `make fuzz`
runs 10,000 (HYPOTHESIS_PROFILE=fuzz)."""

import os
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

settings.register_profile(
    "default",
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=10_000,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

MARKER = "<essor-x>"  # any reflection of it unescaped is an injection
PAGES = [
    "/fr/", "/en/", "/fr/recherche/", "/en/search/", "/en/films/", "/fr/chiffres-cles/",
    "/en/glossary/", "/fr/territoires/occitanie/", "/en/territories/grand-est/",
    "/en/levers/3/", "/fr/leviers/domaines/evaluation/", "/en/structures/enercoop/",
    "/fr/pratiques/fonds-d-amorcage-ess-nantes-factory/", "/en/people/emeline-baume/",
    "/fr/glossaire/scic/", "/en/figures/scic-registered-count-2020/",
    "/fr/methodes/pluss-les-10-balises/", "/en/sources/susy-films/", "/healthz",
    "/recherche/", "/en/levers/",
]  # fmt: skip
KEYS = ["q", "type", "region", "country", "theme", "status", "lever", "sort", "page"]
VALUES = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", "0", "-1", "999999999999", "1e9", "practice", "occitanie",
                     "form-scic", "relevance", "name", "year", "ptce", "10", "\x00",
                     MARKER, f'"{MARKER}', f"'><script>{MARKER}", "%", "é" * 300]),
    st.text(max_size=10).map(lambda t: t + MARKER),
)  # fmt: skip
QUERIES = st.lists(st.tuples(st.one_of(st.sampled_from(KEYS), st.text(max_size=12)), VALUES),
                   max_size=6)  # fmt: skip


def test_the_fuzzed_pages_exist(client):
    """So that the fuzzing reaches real pages, not only the page not found."""
    for page in PAGES:
        assert client.get(page).status_code in {200, 302}, page


def check(response):
    assert response.status_code < 500, response.status_code
    if "html" in response.get("Content-Type", ""):
        assert MARKER.encode() not in response.content


@given(page=st.sampled_from(PAGES), query=QUERIES)
def test_any_query_string_on_any_public_page(client, page, query):
    check(client.get(page + "?" + urlencode(query)))


@given(
    page=st.sampled_from(PAGES),
    tail=st.lists(st.one_of(st.text(min_size=1, max_size=30), st.just(MARKER)), max_size=3),
)
def test_any_path_below_any_public_page(client, page, tail):
    path = page + "/".join(quote(part, safe="") for part in tail)
    check(client.get(path))


@given(query=QUERIES)
def test_any_form_posted_to_a_public_page(client, query):
    check(client.post("/fr/recherche/", dict(query)))
