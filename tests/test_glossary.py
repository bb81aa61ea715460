"""The glossary: its pages in both languages, search, structure links and curation."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from catalogue.models import Accreditation, LegalForm, Status, Structure, Term

from .admin_forms import change_form_data
from .factories import staff, url

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "fixtures" / "17_glossary.json"


def glossary_url(lang):
    with translation.override(lang):
        return reverse("catalogue:glossary")


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def found(client, q, lang="en"):
    path = "/en/search/" if lang == "en" else "/fr/recherche/"
    response = client.get(path, {"q": q})
    return [card.url for card in response.context["cards"]]


def draft_term(**fields):
    fields = {
        "slug": "terme-brouillon",
        "name_fr": "Terme en préparation",
        "name_en": "Term in preparation",
        "definition_fr": "Une définition pas encore relue.",
        "definition_en": "A definition not reviewed yet.",
        "status": Status.DRAFT,
        **fields,
    }
    return Term.objects.create(**fields)


def test_every_seed_term_is_loaded_in_both_languages_with_its_source():
    seeds = json.loads(SEED.read_text(encoding="utf-8"))
    assert len(seeds) >= 28
    for seed in seeds:
        term = Term.objects.get(slug=seed["slug"])
        assert term.status == Status.PUBLISHED
        assert term.name_fr and term.name_en, term.slug
        assert term.definition_fr and term.definition_en, term.slug
        assert term.citations.exists(), term.slug
        assert {t.slug for t in term.related.all()} >= set(seed["fields"].get("related", []))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_glossary_page_lists_every_published_term_with_its_other_name(client, lang):
    hidden = draft_term()
    response = client.get(glossary_url(lang))
    assert response.status_code == 200
    page = text(response)
    other = "en" if lang == "fr" else "fr"
    for term in Term.objects.published():
        assert url(term, lang) in page, term.slug
        assert getattr(term, f"name_{lang}").replace("'", "&#x27;") in page, term.slug
        other_name = getattr(term, f"name_{other}")
        assert other_name.replace("'", "&#x27;") in page, term.slug
    assert url(hidden, lang) not in page


def test_glossary_is_in_alphabetical_order_ignoring_accents(client):
    page = text(client.get(glossary_url("fr")))
    names = [
        Term.objects.get(slug=slug).name_fr
        for slug in re.findall(r'<dt><a href="/fr/glossaire/([^/]+)/"', page)
    ]
    assert len(names) == Term.objects.published().count()
    from core.text import normalize

    assert names == sorted(names, key=normalize)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_term_page_shows_definition_related_terms_and_source(client, lang):
    scic = Term.objects.get(slug="scic")
    response = client.get(url(scic, lang))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"<h1>{getattr(scic, f'name_{lang}')}".replace("'", "&#x27;") in page
    assert "(SCIC)" in page
    for related in scic.related.all():
        assert url(related, lang) in page
    source = scic.citations.first().source
    assert source.get_absolute_url() in page or source.slug in page
    # What the term defines: the structures with that legal form, in a search.
    assert "?status=form-scic" in page


def test_a_draft_term_is_hidden_from_the_public_and_previewed_for_staff(client, superuser):
    draft = draft_term()
    assert client.get(url(draft, "fr")).status_code == 404
    assert client.get(url(draft, "en")).status_code == 404
    client.force_login(superuser)
    preview = client.get(url(draft, "en"))
    assert preview.status_code == 200
    assert "Preview" in preview.content.decode()


def test_untranslated_definition_is_shown_in_the_other_language_and_says_so(client):
    term = draft_term(
        slug="seulement-francais",
        name_en="",
        definition_en="",
        status=Status.PUBLISHED,
    )
    page = client.get(url(term, "en")).content.decode()
    assert 'lang="fr"' in page
    assert "Not yet translated: shown in French." in page
    assert "Une définition pas encore relue." in page
    glossary = client.get(glossary_url("en")).content.decode()
    assert '<dd lang="fr">Une définition pas encore relue.</dd>' in glossary


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_search_finds_a_term_by_its_abbreviation_and_its_name(client, lang):
    esus = Term.objects.get(slug="esus")
    assert url(esus, lang) in found(client, "ESUS", lang)
    assert url(esus, lang) in found(client, f'"{getattr(esus, f"name_{lang}")}"', lang)
    response = client.get(
        "/en/search/" if lang == "en" else "/fr/recherche/", {"type": "term", "q": "ESUS"}
    )
    assert [c.url for c in response.context["cards"]][0] == url(esus, lang)


def test_a_draft_term_is_not_found_until_it_is_published(client):
    draft = draft_term(name_en="Zygomorphic term")
    assert url(draft, "en") not in found(client, "zygomorphic")
    draft.status = Status.PUBLISHED
    draft.save()
    assert url(draft, "en") in found(client, "zygomorphic")
    draft.status = Status.ARCHIVED
    draft.save()
    assert url(draft, "en") not in found(client, "zygomorphic")


def test_structure_page_links_its_legal_form_and_accreditation_to_their_definition(client):
    scic = Term.objects.get(slug="scic")
    esus = Term.objects.get(slug="esus")
    structure = Structure.objects.published().filter(
        legal_form=LegalForm.SCIC, accreditations=Accreditation.objects.get(slug="esus")
    )
    structure = structure.first() or Structure.objects.published().get(slug="enercoop")
    page = client.get(url(structure, "en")).content.decode()
    assert url(scic, "en") in page
    if structure.accreditations.filter(slug="esus").exists():
        assert url(esus, "en") in page
    scic.status = Status.DRAFT
    scic.save()
    assert url(scic, "en") not in client.get(url(structure, "en")).content.decode()


# --- curation -------------------------------------------------------------------------


def test_a_curator_writes_terms_but_cannot_publish_them(client, django_user_model):
    draft = draft_term()
    client.force_login(staff(django_user_model, "Curator"))
    changelist = reverse("admin:catalogue_term_changelist")
    client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    form = client.get(reverse("admin:catalogue_term_change", args=[draft.pk]))
    assert form.status_code == 200
    client.post(
        reverse("admin:catalogue_term_change", args=[draft.pk]),
        change_form_data(form, status=Status.PUBLISHED),
    )
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    client.logout()
    assert client.get(url(draft, "en")).status_code == 404
    assert url(draft, "en") not in found(client, "preparation")


def test_an_editor_publishes_a_term(client, django_user_model):
    draft = draft_term()
    client.force_login(staff(django_user_model, "Editor"))
    client.post(
        reverse("admin:catalogue_term_changelist"),
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    client.logout()
    assert client.get(url(draft, "fr")).status_code == 200
    assert url(draft, "en") in found(client, "preparation")
