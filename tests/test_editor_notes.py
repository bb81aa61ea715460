"""Editors' notes: what a source leaves open or gets inconsistent, said to the public."""

import pytest
from django.utils import translation

from catalogue.models import Practice, Structure

pytestmark = pytest.mark.django_db

# The seed defects the catalogue must not copy without a word (issue: seeds as data).
NOTED = {
    Practice: [
        "fonds-d-amorcage-ess-nantes-factory",
        "recycleries-dans-les-decheteries-d-orleans-metropole-avec-des-acteurs-de-l-ess",
        "rapport-sur-les-scic-et-les-cae-et-suites-possibles",
        "spaser-de-la-metropole-europeenne-de-lille",
    ],
    Structure: ["fonds-nantes-factory-ess"],
}
HEADINGS = {"fr": "Note de la rédaction", "en": "Editor’s note"}


def page(client, record, lang):
    with translation.override(lang):
        response = client.get(record.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode().replace("&#x27;", "'")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_known_seed_defect_is_noted_on_its_page(client, lang):
    for model, slugs in NOTED.items():
        for slug in slugs:
            record = model.objects.get(slug=slug)
            note = getattr(record, f"editor_note_{lang}")
            assert note, slug
            html = page(client, record, lang)
            assert HEADINGS[lang] in html, slug
            assert note in html, slug


def test_the_orleans_note_says_the_shares_add_up_to_102_percent(client):
    practice = Practice.objects.get(slug=NOTED[Practice][1])
    assert "102 %" in practice.editor_note_fr and "102%" in practice.editor_note_en


def test_a_record_without_a_note_shows_no_note(client):
    record = Practice.objects.published().exclude(slug__in=NOTED[Practice]).first()
    assert not record.editor_note
    assert HEADINGS["fr"] not in page(client, record, "fr")
    assert HEADINGS["en"] not in page(client, record, "en")


def test_a_note_written_in_one_language_is_shown_in_it_and_says_so(client):
    record = Practice.objects.published().exclude(slug__in=NOTED[Practice]).first()
    record.editor_note_fr = "La source ne donne pas l'année."
    record.editor_note_en = ""
    record.save()
    html = page(client, record, "en")
    assert HEADINGS["en"] in html
    assert "La source ne donne pas l'année." in html
    assert "Not yet translated: shown in French." in html
