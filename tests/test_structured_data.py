"""schema.org JSON-LD, OpenGraph and canonical links on the record pages."""

import json
import re

import pytest

from catalogue.models import Figure, Film, Person, Practice, Status, Structure, Term
from levers.models import Lever

from .factories import url

pytestmark = pytest.mark.django_db


def json_ld(page):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    return json.loads(blocks[0])


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(
    ("model", "slug", "schema_type"),
    [
        (Structure, "enercoop", "Organization"),
        (Film, "enercoop-film-de-bonne-pratique-susy", "VideoObject"),
        (Practice, "spaser-des-villes-et-metropoles", "CreativeWork"),
        (Term, "scic", "DefinedTerm"),
        (Person, "emeline-baume", "Person"),
        (Figure, "scic-registered-count-2020", "Observation"),
    ],
)
def test_each_kind_of_page_carries_its_json_ld(client, lang, model, slug, schema_type):
    record = model.objects.get(slug=slug)
    page = client.get(url(record, lang)).content.decode()
    data = json_ld(page)
    assert data["@context"] == "https://schema.org" and data["@type"] == schema_type
    assert data["url"] == "http://testserver" + url(record, lang)
    assert data["inLanguage"] == lang or model is Film
    assert f'<link rel="canonical" href="http://testserver{url(record, lang)}">' in page
    assert f'<meta property="og:title" content="{record}' in page.replace("&#x27;", "'")


def test_a_structure_says_its_place_legal_form_and_accreditations(client):
    data = json_ld(client.get("/en/structures/enercoop/").content.decode())
    assert data["location"]["name"]
    assert {"name": "Legal form", "value": "SCIC (multi-stakeholder cooperative)",
            "@type": "PropertyValue"} in data["additionalProperty"]  # fmt: skip


def test_a_film_names_its_producer_only_while_they_are_public(client):
    film = Film.objects.get(slug="enercoop-film-de-bonne-pratique-susy")
    data = json_ld(client.get(url(film, "en")).content.decode())
    assert data["producer"][0]["name"] == "Emmanuelle Schies"
    Person.objects.filter(slug="emmanuelle-schies").update(status=Status.DRAFT)
    assert "producer" not in json_ld(client.get(url(film, "en")).content.decode())


def test_levers_are_defined_terms_of_one_set(client):
    data = json_ld(client.get(url(Lever.objects.get(number=3), "fr")).content.decode())
    assert data["@type"] == "DefinedTerm" and data["termCode"] == "3"
    assert data["inDefinedTermSet"]["@type"] == "DefinedTermSet"


def test_text_that_looks_like_markup_cannot_close_the_data_block(client):
    enercoop = Structure.objects.get(slug="enercoop")
    enercoop.description_en = "</script><script>alert(1)</script>"
    enercoop.save()
    page = client.get(url(enercoop, "en")).content.decode()
    assert "</script><script>alert(1)" not in page
    assert json_ld(page)["description"] == "</script><script>alert(1)</script>"
