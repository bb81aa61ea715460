"""Full-text search: one place for how text is normalised, stored and queried.

PostgreSQL: a stored tsvector per language (French and English stemming) with a GIN
index on each, so a query reads the index, not the rows. SQLite: every word of the
query must appear in an accent-free, lower-case copy of the record's text in both
languages. Accents are removed in Python on both sides, so "ecossolies" finds
"Écossolies" everywhere without a database extension.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, Value

MAX_QUERY_LENGTH = 200
CONFIGS = {"fr": "french", "en": "english"}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_WORD = re.compile(r"\w+")


def normalize(text):
    """Lower-case, accent-free, control-free text with single spaces."""
    text = unicodedata.normalize("NFKD", _CONTROL.sub(" ", text or ""))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.lower().replace("œ", "oe").replace("æ", "ae").split())


def clean_query(raw):
    """What we search for: normalised, at most MAX_QUERY_LENGTH characters."""
    return normalize(raw)[:MAX_QUERY_LENGTH].strip()


def uses_postgres():
    return connection.vendor == "postgresql"


def language_text(instance, lang):
    """The record's searchable text in one language, falling back like the pages do."""
    parts = []
    for name in instance.search_fields():
        value = getattr(instance, f"{name}_{lang}", None)
        if value is None:  # not a translated field
            value = getattr(instance, name, "")
        if not value:
            other = "en" if lang == "fr" else "fr"
            value = getattr(instance, f"{name}_{other}", "") or ""
        parts.append(value)
    return normalize(" ".join(parts))


def update_search_columns(instance):
    """Refresh the stored search columns of one record (called after each save)."""
    texts = {lang: language_text(instance, lang) for lang in CONFIGS}
    values = {"search_text": f"{texts['fr']} {texts['en']}"}
    if uses_postgres():
        for lang, config in CONFIGS.items():
            values[f"search_{lang}"] = SearchVector(Value(texts[lang]), config=config)
    type(instance).objects.filter(pk=instance.pk).update(**values)


def search(queryset, raw_query):
    """Filter `queryset` by a visitor's query and annotate a `rank` (higher is better)."""
    query = clean_query(raw_query)
    words = _WORD.findall(query)
    if not words:
        return queryset
    if uses_postgres():
        terms = " ".join(words)
        fr = SearchQuery(terms, config=CONFIGS["fr"], search_type="plain")
        en = SearchQuery(terms, config=CONFIGS["en"], search_type="plain")
        return queryset.filter(Q(search_fr=fr) | Q(search_en=en)).annotate(
            rank=SearchRank(F("search_fr"), fr) + SearchRank(F("search_en"), en)
        )
    condition = Q()
    for word in words[:20]:
        condition &= Q(search_text__contains=word)
    return queryset.filter(condition).annotate(rank=Value(1.0))
