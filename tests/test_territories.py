"""'Everything located in X' is one cheap query and follows the 2016 regional merger."""

import pytest
from django.utils import translation

from catalogue.models import Practice, Structure
from territories.models import Kind, Territory

from . import factories

pytestmark = pytest.mark.django_db


def test_region_includes_legacy_regions_departments_and_cities():
    occitanie = Territory.objects.get(slug="occitanie")
    within = Territory.objects.within(occitanie)
    slugs = set(within.values_list("slug", flat=True))
    assert {
        "occitanie",
        "midi-pyrenees",
        "languedoc-roussillon",
        "haute-garonne",
        "toulouse",
    } <= slugs
    assert "aquitaine" not in slugs
    assert "gironde" not in slugs


def test_records_within_a_region_include_those_filed_under_a_former_region(
    django_assert_num_queries,
):
    occitanie = Territory.objects.get(slug="occitanie")
    with django_assert_num_queries(1):
        names = set(
            Structure.objects.filter(territory__path__startswith=occitanie.path).values_list(
                "slug", flat=True
            )
        )
    # Enercoop is filed under Languedoc-Roussillon, IES under Toulouse (Midi-Pyrénées).
    assert {"enercoop", "initiatives-pour-une-economie-solidaire"} <= names
    assert "la-boite-a-champignons" not in names


def test_moving_a_territory_moves_everything_in_it():
    region = Territory.objects.get(slug="bretagne")
    city = factories.territory("Testville", parent=region)
    district = factories.territory("Quartier Nord", kind=Kind.DISTRICT, parent=city)
    practice = factories.practice("Jardin partagé", territory=district)
    city.parent = Territory.objects.get(slug="normandie")
    city.save()
    district.refresh_from_db()
    assert district.path.startswith(city.path)
    normandie = Territory.objects.get(slug="normandie")
    assert (
        Practice.objects.filter(territory__path__startswith=normandie.path)
        .filter(pk=practice.pk)
        .exists()
    )
    assert (
        not Practice.objects.filter(territory__path__startswith=region.path)
        .filter(pk=practice.pk)
        .exists()
    )


def test_a_territory_cannot_be_located_in_itself():
    from django.core.exceptions import ValidationError

    region = Territory.objects.get(slug="bretagne")
    city = factories.territory("Testville", parent=region)
    region.parent = city
    with pytest.raises(ValidationError):
        region.full_clean()


def test_country_of_a_city_is_found_through_its_ancestors():
    assert Territory.objects.get(slug="toulouse").country.slug == "fr"


# --- places the seeds name ---------------------------------------------------------

NAMED_PLACES = {  # slug: (kind, parent)
    "roubaix": (Kind.CITY, "nord"),
    "bagnolet": (Kind.CITY, "est-ensemble"),
    "bobigny": (Kind.CITY, "est-ensemble"),
    "montreuil": (Kind.CITY, "est-ensemble"),
    "vaulx-en-velin": (Kind.CITY, "metropole-de-lyon"),
    "saint-denis": (Kind.CITY, "seine-saint-denis"),
    "copenhague": (Kind.CITY, "dk"),
    "quebec": (Kind.SUBDIVISION, "ca"),
    "rumah-gare": (Kind.OTHER, "my"),
    "union-europeenne": (Kind.OTHER, None),
}


def test_every_place_the_seeds_name_is_a_territory_in_its_place():
    for slug, (kind, parent) in NAMED_PLACES.items():
        place = Territory.objects.select_related("parent").get(slug=slug)
        assert place.kind == kind, slug
        assert (place.parent.slug if place.parent else None) == parent, slug
        assert place.name_fr and place.name_en, slug


def test_kinds_are_those_the_study_gives():
    assert Territory.objects.get(slug="grand-poitiers").kind == Kind.COMMUNAUTE_AGGLOMERATION
    assert Territory.objects.get(slug="grand-paris-sud").kind == Kind.EPT


def test_a_record_in_a_smaller_place_is_found_under_the_larger_one(client):
    weavers = Practice.objects.get(slug="les-tisserands-iban-de-rumah-gare")
    assert weavers.territory.slug == "rumah-gare"
    response = client.get("/en/search/", {"country": "my"})
    assert weavers.get_absolute_url() in [card.url for card in response.context["cards"]]
    malaysia = client.get(Territory.objects.get(slug="my").get_absolute_url())
    assert weavers.get_absolute_url() in [card.url for card in malaysia.context["cards"]]


def test_european_funds_are_placed_in_the_european_union():
    union = Territory.objects.get(slug="union-europeenne")
    assert set(Structure.objects.filter(territory=union).values_list("slug", flat=True)) >= {
        "fonds-social-europeen",
        "fonds-europeen-de-developpement-regional",
    }


# --- local authorities that are members of a PTCE or SCIC ------------------------------

MEMBERS = {
    "tetris": {"communaute-d-agglomeration-du-pays-de-grasse"},
    "kaleidoscoop": {"strasbourg", "eurometropole-de-strasbourg", "kehl"},
}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_ptce_page_lists_the_local_authorities_among_its_members(client, lang):
    for slug, members in MEMBERS.items():
        structure = Structure.objects.get(slug=slug)
        with translation.override(lang):
            html = client.get(structure.get_absolute_url()).content.decode()
            for member in Territory.objects.filter(slug__in=members):
                assert member.get_absolute_url() in html, (slug, member.slug)
        assert ("Membres" if lang == "fr" else "Members") in html


def test_a_member_authority_page_says_what_it_is_member_of_while_it_is_public(client):
    kehl = Territory.objects.get(slug="kehl")
    kaleidoscoop = Structure.objects.get(slug="kaleidoscoop")
    response = client.get(kehl.get_absolute_url())
    assert kaleidoscoop.get_absolute_url() in response.content.decode()
    kaleidoscoop.status = "draft"
    kaleidoscoop.save()
    response = client.get(kehl.get_absolute_url())
    assert kaleidoscoop.get_absolute_url() not in response.content.decode()
