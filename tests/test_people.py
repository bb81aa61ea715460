"""People named by the seeds: their pages, roles, film credits, search and curation."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from catalogue.models import CreditRole, Film, Person, PersonRole, Practice, Status, Structure

from .admin_forms import admin_import, confirm_import
from .factories import staff, url

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "fixtures" / "18_people.json"
SUSY_FILMS = Film.objects.filter(citations__source__slug="susy-films")


def html(response):
    return response.content.decode().replace("&#x27;", "'")


def found(client, q, lang="en", **params):
    path = "/en/search/" if lang == "en" else "/fr/recherche/"
    response = client.get(path, {"q": q, **params})
    return [card.url for card in response.context["cards"]]


def test_every_seed_person_is_loaded_with_roles_credits_and_source():
    seeds = json.loads(SEED.read_text(encoding="utf-8"))
    assert len(seeds) >= 21
    for seed in seeds:
        person = Person.objects.get(slug=seed["slug"])
        assert person.status == Status.PUBLISHED
        assert person.name == seed["fields"]["name"]
        assert person.citations.exists(), person.slug
        assert person.roles.count() == len(seed.get("roles", []))
        for role in person.roles.all():
            assert role.title_fr and role.title_en, person.slug
        assert person.credits.count() == len(seed.get("credits", []))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_person_page_shows_roles_practices_and_films(client, lang):
    baume = Person.objects.get(slug="emeline-baume")
    response = client.get(url(baume, lang))
    assert response.status_code == 200
    page = html(response)
    assert "<h1>Émeline Baume</h1>" in page
    for role in baume.roles.all():
        assert getattr(role, f"title_{lang}") in page
        if role.territory:
            assert url(role.territory, lang) in page
    for practice in baume.practices.all():
        assert url(practice, lang) in page
    schies = Person.objects.get(slug="emmanuelle-schies")
    page = html(client.get(url(schies, lang)))
    assert {url(c.film, lang) for c in schies.credits.all()} <= set(
        re.findall(r'href="([^"]+)"', page)
    )


def test_a_draft_person_is_hidden_everywhere_and_previewed_for_staff(client, superuser):
    baume = Person.objects.get(slug="emeline-baume")
    practice = baume.practices.first()
    baume.status = Status.DRAFT
    baume.save()
    assert client.get(url(baume, "en")).status_code == 404
    assert url(baume, "en") not in html(client.get(url(practice, "en")))
    assert url(baume, "en") not in found(client, "Baume")
    client.force_login(superuser)
    assert client.get(url(baume, "en")).status_code == 200


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_search_finds_a_person_by_name_with_or_without_accents(client, lang):
    baume = Person.objects.get(slug="emeline-baume")
    assert found(client, "Émeline Baume", lang)[0] == url(baume, lang)
    assert url(baume, lang) in found(client, "emeline baume", lang)
    # A report's authors, whom the study names by their initials.
    assert url(Person.objects.get(slug="h-pelosse"), lang) in found(client, "Pelosse", lang)
    # ...and by the local authority of their role, as a person.
    assert url(baume, lang) in found(client, "Lyon", lang, type="person")


def test_the_susy_films_credit_their_producer_and_say_so_in_french(client):
    assert SUSY_FILMS.count() == 5
    for film in SUSY_FILMS:
        roles = set(film.credits.values_list("role", flat=True))
        assert roles == {CreditRole.PRODUCER}, film.slug
        page = html(client.get(url(film, "fr")))
        assert "<dt>Production</dt>" in page
        assert url(film.credits.get().person, "fr") in page
        assert film.producing_project_fr == film.producing_project_en == "SUSY"
        practice_text = film.practice.description_fr
        assert "produit par" in practice_text and "réalisé par" not in practice_text
    assert not Practice.objects.filter(description_fr__contains="SUSY, réalisé par").exists()


def test_a_film_is_found_by_the_name_of_who_made_it_while_they_are_public(client):
    schies = Person.objects.get(slug="emmanuelle-schies")
    film = schies.credits.first().film
    assert url(film, "en") in found(client, "Schies", type="film")
    schies.status = Status.DRAFT
    schies.save()
    assert url(film, "en") not in found(client, "Schies", type="film")
    assert "Schies" not in html(client.get(url(film, "en")))


def test_structure_and_practice_pages_list_their_people(client):
    france_urbaine = Structure.objects.get(slug="france-urbaine")
    page = html(client.get(url(france_urbaine, "fr")))
    for role in PersonRole.objects.filter(structure=france_urbaine):
        assert url(role.person, "fr") in page
    practice = Practice.objects.get(slug="spaser-de-la-metropole-europeenne-de-lille")
    assert url(Person.objects.get(slug="marc-godefroy"), "en") in html(
        client.get(url(practice, "en"))
    )


def test_a_changed_role_title_is_found_at_once(client):
    role = Person.objects.get(slug="marc-godefroy").roles.first()
    role.title_en = "Quetzalcoatl delegate"
    role.save()
    assert url(role.person, "en") in found(client, "quetzalcoatl")
    role.delete()
    assert url(role.person, "en") not in found(client, "quetzalcoatl")


def test_a_curator_cannot_publish_a_person(client, django_user_model):
    client.force_login(staff(django_user_model, "Curator"))
    draft = Person.objects.create(slug="personne-test", name="Personne Test")
    client.post(
        reverse("admin:catalogue_person_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert client.get(reverse("admin:catalogue_person_add")).status_code == 200


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="migrating back and forth inside the test's transaction needs PostgreSQL's DDL",
)
def test_migration_turns_a_director_into_a_credit():
    """A film's old `director` becomes a person and a credit: producer for the SUSY
    films (the page says "produced by"), director for any other. (The test's
    transaction, rolled back, undoes the migrations too.)"""

    def immediate():  # no deferred foreign key checks left pending before an ALTER TABLE
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    immediate()
    executor = MigrationExecutor(connection)
    executor.migrate([("catalogue", "0008_glossary_roles")])
    old = executor.loader.project_state([("catalogue", "0008_glossary_roles")]).apps
    OldFilm = old.get_model("catalogue", "Film")
    susy = OldFilm.objects.get(slug="atis-film-de-bonne-pratique-susy")
    susy.director = "Emmanuelle Schies"
    susy.save()
    other = OldFilm.objects.exclude(pk=susy.pk).first()
    other.director = "Agnès Varda"
    other.save()
    immediate()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    credits = {
        (c.film.slug, c.person.name, c.role)
        for c in Film.objects.get(pk=susy.pk).credits.select_related("film", "person")
    }
    assert ("atis-film-de-bonne-pratique-susy", "Emmanuelle Schies", "producer") in credits
    varda = Film.objects.get(pk=other.pk).credits.get(person__name="Agnès Varda")
    assert varda.role == CreditRole.DIRECTOR
    assert varda.person.status == Film.objects.get(pk=other.pk).status


# --- import and export ------------------------------------------------------------------


def curator_client(client, django_user_model):
    client.force_login(staff(django_user_model, "Curator"))
    return client


def import_people(client, text):
    return admin_import(client, "person", text)


def test_a_curator_imports_people_as_drafts_linked_to_their_practices(client, django_user_model):
    curator = curator_client(client, django_user_model)
    text = (
        "slug,name,summary_fr,summary_en,practices\n"
        "jeanne-exemple,Jeanne Exemple,Élue.,Elected.,spaser-de-la-metropole-europeenne-de-lille\n"
    )
    preview = import_people(curator, text)
    assert "Jeanne Exemple" in preview.content.decode()
    assert not Person.objects.filter(slug="jeanne-exemple").exists()
    confirm_import(curator, preview, "person")
    person = Person.objects.get(slug="jeanne-exemple")
    assert person.status == Status.DRAFT
    assert list(person.practices.values_list("slug", flat=True)) == [
        "spaser-de-la-metropole-europeenne-de-lille"
    ]
    client.logout()
    assert client.get(url(person, "en")).status_code == 404


def test_a_curator_cannot_change_a_published_person_by_import(client, django_user_model):
    curator = curator_client(client, django_user_model)
    preview = import_people(curator, "slug,name\nemeline-baume,Someone Else\n")
    assert "seul un éditeur peut la modifier par import" in preview.content.decode()
    assert Person.objects.get(slug="emeline-baume").name == "Émeline Baume"


def test_an_unknown_practice_is_a_row_error(client, django_user_model):
    curator = curator_client(client, django_user_model)
    preview = import_people(curator, "slug,name,practices\nx-y,X Y,atlantis\n")
    assert "atlantis" in preview.content.decode()
    assert not Person.objects.filter(slug="x-y").exists()
