"""Feeds, sitemaps and robots.txt: every public record, in both languages, never a draft."""

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema
from django.utils import translation

from catalogue.models import Practice, Status, Structure
from levers.models import Lever
from territories.models import Territory

from .factories import structure, url

pytestmark = pytest.mark.django_db

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
    "a": "http://www.w3.org/2005/Atom",
}


def sitemap_urls(client):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    found = {}
    for location in index.findall("s:sitemap/s:loc", NS):
        path = re.sub(r"^https?://[^/]+", "", location.text)
        document = ET.fromstring(client.get(path).content)
        for entry in document.findall("s:url", NS):
            loc = re.sub(r"^https?://[^/]+", "", entry.find("s:loc", NS).text)
            alternates = {
                link.get("hreflang"): re.sub(r"^https?://[^/]+", "", link.get("href"))
                for link in entry.findall("x:link", NS)
            }
            found[loc] = (alternates, entry.find("s:lastmod", NS))
    return found


def test_the_sitemap_lists_every_public_record_in_both_languages(client):
    urls = sitemap_urls(client)
    enercoop = Structure.objects.get(slug="enercoop")
    alternates, lastmod = urls[url(enercoop, "fr")]
    assert alternates["fr"] == url(enercoop, "fr") and alternates["en"] == url(enercoop, "en")
    assert "x-default" in alternates
    assert lastmod is not None and lastmod.text.startswith(str(enercoop.updated_at.year))
    assert url(enercoop, "en") in urls
    assert url(Lever.objects.get(number=3), "en") in urls
    published = Practice.objects.published().count()
    assert sum("/pratiques/" in u for u in urls) == published


def test_the_sitemaps_validate_against_the_sitemap_protocols_schema(client):
    schemas = Path(__file__).parent / "schemas"
    index_schema = xmlschema.XMLSchema(schemas / "siteindex.xsd")
    sitemap_schema = xmlschema.XMLSchema(schemas / "sitemap.xsd")
    index = client.get("/sitemap.xml").content
    index_schema.validate(index)
    sections = ET.fromstring(index).findall("s:sitemap/s:loc", NS)
    assert len(sections) >= 5
    documents = [
        client.get(re.sub(r"^https?://[^/]+", "", location.text)).content for location in sections
    ]
    for document in documents:
        sitemap_schema.validate(document)
        for entry in ET.fromstring(document).findall("s:url", NS):
            languages = {link.get("hreflang") for link in entry.findall("x:link", NS)}
            assert {"fr", "en"} <= languages, entry.find("s:loc", NS).text
    # A broken one is caught: a lastmod that is no date, an alternate without hreflang.
    document = next(d for d in documents if b"<lastmod>" in d)
    broken = document.replace(b"<lastmod>", b"<lastmod>yesterday ", 1)
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        sitemap_schema.validate(broken)
    broken = re.sub(rb'hreflang="[^"]*" ', b"", document, count=1)
    with pytest.raises(xmlschema.XMLSchemaValidationError):
        sitemap_schema.validate(broken)


def test_a_draft_is_in_no_sitemap_and_no_feed(client):
    enercoop = Structure.objects.get(slug="enercoop")
    enercoop.status = Status.DRAFT
    enercoop.save()
    urls = sitemap_urls(client)
    assert url(enercoop, "fr") not in urls and url(enercoop, "en") not in urls
    feed = client.get("/fr/recherche/flux/", {"q": "enercoop"}).content.decode()
    assert url(enercoop, "fr") not in feed


@pytest.mark.parametrize(("lang", "path"), [("fr", "/fr/recherche/flux/"),
                                            ("en", "/en/search/feed/")])  # fmt: skip
def test_a_search_feed_gives_the_newest_results_of_that_search(client, lang, path):
    response = client.get(path, {"region": "occitanie", "type": "structure"})
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    links = [e.find("a:link", NS).get("href") for e in feed.findall("a:entry", NS)]
    assert links and all(f"/{lang}/" in link for link in links)
    enercoop = Structure.objects.get(slug="enercoop")  # a structure in Occitanie
    with translation.override(lang):
        assert any(link.endswith(enercoop.get_absolute_url()) for link in links)
    # The newest first: a structure just published in Occitanie leads the feed.
    newest = structure("Coopérative toute neuve", territory=Territory.objects.get(slug="toulouse"))
    feed = ET.fromstring(client.get(path, {"region": "occitanie"}).content)
    first = feed.find("a:entry/a:link", NS).get("href")
    assert first.endswith(url(newest, lang))


def test_the_feed_orders_by_first_publication_not_by_last_edit(client):
    toulouse = Territory.objects.get(slug="toulouse")
    newest = structure("Coopérative toute neuve", territory=toulouse)
    enercoop = Structure.objects.get(slug="enercoop")
    enercoop.description_fr += " Une modification."
    enercoop.save()

    def first():
        feed = ET.fromstring(client.get("/fr/recherche/flux/", {"region": "occitanie"}).content)
        return feed.find("a:entry/a:link", NS).get("href")

    assert first().endswith(url(newest, "fr"))
    draft = structure("Coopérative en attente", territory=toulouse, status=Status.DRAFT)
    assert draft.published_at is None and first().endswith(url(newest, "fr"))
    draft.status = Status.PUBLISHED
    draft.save(update_fields=["status", "updated_at"])  # as the publish action does
    draft.refresh_from_db()
    assert draft.published_at is not None and first().endswith(url(draft, "fr"))


def test_bad_parameters_still_give_a_feed(client):
    response = client.get("/en/search/feed/", {"region": "atlantis", "page": "x", "q": "é" * 300})
    assert response.status_code == 200


def test_the_search_page_offers_to_follow_itself(client):
    page = client.get("/fr/recherche/", {"lever": "3", "region": "occitanie"}).content.decode()
    assert 'href="/fr/recherche/flux/?lever=3&amp;region=occitanie"' in page


def test_robots_keeps_crawlers_out_of_the_admin_and_search_and_points_to_the_sitemap(client):
    text = client.get("/robots.txt").content.decode()
    for line in ("Disallow: /fr/admin/", "Disallow: /en/admin/", "Disallow: /fr/recherche/",
                 "Disallow: /en/search/", "Disallow: /api/"):  # fmt: skip
        assert line in text
    assert re.search(r"^Sitemap: http://testserver/sitemap.xml$", text, re.M)
