"""Where each fact comes from: a heading in the document's language, line ranges said in
the visitor's."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from catalogue.models import Citation, Practice, Structure
from catalogue.models.base import split_locator

pytestmark = pytest.mark.django_db


def page(client, record, lang):
    with translation.override(lang):
        return client.get(record.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("locator", "heading", "lines"),
    [
        ("Enercoop - Languedoc-Roussillon (line 15)", "Enercoop - Languedoc-Roussillon", "15"),
        (
            "Foreword; DLA box (lines 1-40, 156-253, 600)",
            "Foreword; DLA box",
            "1-40, 156-253, 600",
        ),
        (
            "“APES” (lines 2366-2367); “APES (stakeholders)” (lines 3674–3676)",
            "“APES”; “APES (stakeholders)”",
            "2366-2367, 3674-3676",
        ),  # fmt: skip
        ("A heading without lines", "A heading without lines", ""),
    ],
)
def test_a_locator_splits_into_its_heading_and_its_lines(locator, heading, lines):
    assert split_locator(locator) == (heading, lines)


def test_every_seed_citation_has_its_lines():
    assert Citation.objects.count() > 600
    assert not Citation.objects.filter(lines="").exists()
    assert not Citation.objects.filter(heading__contains="(line").exists()


@pytest.mark.parametrize(("lang", "word"), [("fr", "lignes"), ("en", "lines")])
def test_line_ranges_are_said_in_the_visitors_language(client, lang, word):
    practice = Practice.objects.get(slug="fonds-d-amorcage-ess-nantes-factory")
    citation = practice.citations.get()
    html = page(client, practice, lang)
    assert f"{word} {citation.lines}" in html
    # The heading stays in the document's language, and says which it is.
    assert f'<span lang="{citation.source.language}">' in html
    other = "lines" if lang == "fr" else "lignes"
    assert f"{other} {citation.lines}" not in html


def test_a_single_line_is_a_line(client):
    citation = Citation.objects.filter(lines__regex=r"^[0-9]+$").select_related("source").first()
    record = citation.record
    assert "ligne " + citation.lines in page(client, record, "fr")
    assert "line " + citation.lines in page(client, record, "en")


def test_lines_that_are_not_line_numbers_are_refused():
    citation = Structure.objects.get(slug="enercoop").citations.first()
    citation.lines = "about the middle"
    with pytest.raises(ValidationError) as raised:
        citation.full_clean()
    assert "lines" in raised.value.message_dict
