"""Downloading the results of any search: the same records as the page, every one of
them, streamed, in the visitor's language; drafts never; formulas escaped."""

import csv
import io
import json

import pytest

from catalogue.models import Status, Structure

from .factories import structure, url

pytestmark = pytest.mark.django_db


def download(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200 and response.streaming
    return b"".join(response.streaming_content).decode("utf-8-sig")


def search_total(client, path, **params):
    return client.get(path, params).context["total"]


@pytest.mark.parametrize(
    "params", [{"region": "occitanie"}, {"theme": "energy", "type": "practice"}, {"q": "coop"}]
)
def test_the_csv_holds_every_result_of_the_search_page_in_its_order(client, params):
    total = search_total(client, "/fr/recherche/", **params)
    assert total.exact
    rows = list(csv.DictReader(io.StringIO(download(client, "/fr/recherche/export.csv",
                                                    **params))))  # fmt: skip
    assert len(rows) == total.value
    page = client.get("/fr/recherche/", {**params, "sort": "name"}).context["cards"]
    assert [r["address"].removeprefix("http://testserver") for r in rows[: len(page)]] == [
        card.url for card in page
    ]
    assert set(rows[0]) == {"type", "title", "address", "place", "themes", "text"}


def test_more_rows_than_one_chunk_come_in_order_without_a_gap(client, monkeypatch):
    from catalogue.search import export

    monkeypatch.setattr(export, "CHUNK", 7)  # many chunks, over equal names too
    for n in range(5):
        structure("Même nom", slug=f"meme-nom-{n}", territory_id=None)
    rows = list(csv.DictReader(io.StringIO(download(client, "/en/search/export.csv",
                                                    type="structure"))))  # fmt: skip
    addresses = [r["address"] for r in rows]
    assert len(addresses) == len(set(addresses)) == Structure.objects.published().count()


def test_the_json_export_is_in_english_on_the_english_site(client):
    rows = json.loads(download(client, "/en/search/export.json", type="lever"))
    assert len(rows) == 10
    assert all(r["type"] == "Levers" and "/en/levers/" in r["address"] for r in rows)


def test_drafts_are_never_exported(client):
    enercoop = Structure.objects.get(slug="enercoop")
    enercoop.status = Status.DRAFT
    enercoop.save()
    text = download(client, "/fr/recherche/export.csv", q="enercoop")
    assert url(enercoop, "fr") not in text


def test_a_title_that_looks_like_a_formula_is_exported_as_text(client):
    structure('=HYPERLINK("http://evil.example","x")', slug="formule")
    rows = list(csv.DictReader(io.StringIO(download(client, "/fr/recherche/export.csv",
                                                    q="hyperlink"))))  # fmt: skip
    assert rows and rows[0]["title"].startswith("'=HYPERLINK")


def test_bad_parameters_give_the_valid_part_of_the_search(client):
    text = download(client, "/en/search/export.csv", region="atlantis", type="lever", page="x")
    assert len(list(csv.DictReader(io.StringIO(text)))) == 10


def test_the_search_page_offers_its_downloads(client):
    page = client.get("/en/search/", {"theme": "energy"}).content.decode()
    assert 'href="/en/search/export.csv?theme=energy"' in page
    assert 'href="/en/search/export.json?theme=energy"' in page
