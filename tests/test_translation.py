"""French and English: an untranslated field falls back, and the page says so."""

import pytest
from django.utils import translation
from django.utils.html import escape

from catalogue.models import Structure

from . import factories

pytestmark = pytest.mark.django_db


def test_untranslated_field_falls_back_to_the_other_language():
    record = factories.structure("Coopérative test", description_fr="Une coopérative.")
    with translation.override("en"):
        assert record.description == "Une coopérative."
        assert record.shown_language("description") == "fr"
    with translation.override("fr"):
        assert record.shown_language("description") == "fr"


def test_empty_field_in_both_languages_stays_empty():
    record = factories.structure("Coopérative test")
    with translation.override("en"):
        assert record.acronym == ""
        assert record.editor_note == ""


def test_english_page_marks_french_fallback_text(client):
    record = factories.structure("Coopérative test", description_fr="Une coopérative.")
    factories.cite(record)
    page = client.get(f"/en/structures/{record.slug}/").content.decode()
    assert "Not yet translated: shown in French." in page
    assert '<div class="text" lang="fr">' in page
    assert "Une coopérative." in page


def test_translated_text_is_shown_without_a_note(client):
    record = Structure.objects.get(slug="enercoop")
    page = client.get("/en/structures/enercoop/").content.decode()
    assert escape(record.description_en[:40]) in page
    assert "Not yet translated" not in page
    page_fr = client.get("/fr/structures/enercoop/").content.decode()
    assert escape(record.description_fr[:40]) in page_fr
    assert "Pas encore traduit" not in page_fr
