"""The cards of one page of results: every kind in one UNION query.

A card holds what a result shows (title, a short text, place, legal form or abbreviation,
themes) in the visitor's language, or the other one with its `lang` when the text is
not translated yet.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Coalesce, Concat, Substr
from django.urls import reverse
from modeltranslation.utils import build_localized_fieldname

from levers.models import ActionArea, Lever

from ..models import EntryKind, Figure, Film, LegalForm, Person, Practice, Structure, Term

SNIPPET = 400  # characters fetched for a card's text; the template cuts at a word

# What a figure's headline needs, in one column: "value|to|out of|kind|qualifier".
FIGURE_PARTS = ("value", "value_to", "out_of", "kind", "qualifier")
_figure_columns = [Coalesce(Cast(F(name), CharField()), Value("")) for name in FIGURE_PARTS]
FIGURE_DETAIL = Concat(
    *[part for column in _figure_columns for part in (Value("|"), column)][1:],
    output_field=CharField(),
)


def figure_headline(detail):
    values = dict(zip(FIGURE_PARTS, detail.split("|"), strict=True))
    numbers = {k: Decimal(values[k]) if values[k] else None for k in FIGURE_PARTS[:3]}
    return Figure(**numbers, kind=values["kind"], qualifier=values["qualifier"]).shown()


@dataclass
class Card:
    kind: str
    url: str
    title: str
    title_lang: str  # "" when in the visitor's language
    text: str
    text_lang: str
    place: str
    detail: str  # a structure's legal form, a term's abbreviation
    themes: list = field(default_factory=list)


def columns(title, text, place="", detail="", slug="slug", plain_title=False):
    """The same columns, in the same order, for every kind (a UNION needs it).
    `plain_title`: the title field is the same in both languages (a person's name)."""

    def localized(prefix, path, cut=None, plain=False):
        result = {}
        for lang in ("fr", "en"):
            if path:
                expression = F(path if plain else build_localized_fieldname(path, lang))
                if cut:
                    expression = Substr(expression, 1, cut)
            else:
                expression = Value("")
            result[f"{prefix}_{lang}"] = Cast(expression, CharField())
        return result

    slug_expression = Cast(F(slug), CharField()) if slug != "slug" else F("slug")
    return {
        "c_id": F("pk"),
        "c_slug": slug_expression,
        **localized("c_title", title, plain=plain_title),
        **localized("c_text", text, SNIPPET),
        **localized("c_place", place),
        "c_detail": (
            detail
            if not isinstance(detail, str)
            else Cast(F(detail), CharField())
            if detail
            else Value("")
        ),
    }


COLUMNS = {
    EntryKind.PRACTICE: (Practice, columns("title", "summary", "territory__name")),
    EntryKind.STRUCTURE: (
        Structure,
        columns("name", "description", "territory__name", detail="legal_form"),
    ),
    EntryKind.FILM: (
        Film,
        columns("title", "description", "practice__territory__name"),
    ),
    EntryKind.LEVER: (Lever, columns("short_title", "text", slug="number")),
    EntryKind.ACTION_AREA: (ActionArea, columns("title", "description")),
    EntryKind.TERM: (Term, columns("name", "definition", detail="abbreviation")),
    EntryKind.PERSON: (Person, columns("name", "summary", plain_title=True)),
    EntryKind.FIGURE: (
        Figure,
        columns("label", "sentence", "territory__name", detail=FIGURE_DETAIL),
    ),
}
URL_NAMES = {
    EntryKind.PRACTICE: "catalogue:practice",
    EntryKind.STRUCTURE: "catalogue:structure",
    EntryKind.FILM: "catalogue:film",
    EntryKind.LEVER: "levers:lever",
    EntryKind.ACTION_AREA: "levers:area",
    EntryKind.TERM: "catalogue:term",
    EntryKind.PERSON: "catalogue:person",
    EntryKind.FIGURE: "catalogue:figure",
}


def pick(row, name, lang):
    """(value, its language if not the visitor's) with the other language as fallback."""
    other = "en" if lang == "fr" else "fr"
    value = row[f"{name}_{lang}"]
    if value:
        return value, ""
    value = row[f"{name}_{other}"]
    return (value, other) if value else ("", "")


def fetch(rows):
    """{(kind, object id): the columns of its card, in both languages} for `rows` of
    (entry id, kind, object id, tags), every kind in one UNION query."""
    wanted = {}
    for _entry, kind, object_id, _tags in rows:
        wanted.setdefault(kind, []).append(object_id)
    parts = []
    for kind, ids in wanted.items():
        model, cols = COLUMNS[kind]
        parts.append(
            model.objects.filter(pk__in=ids)
            .order_by()
            .annotate(c_kind=Value(kind), **cols)
            .values("c_kind", *cols)
        )
    if not parts:
        return {}
    union = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return {(row["c_kind"], row["c_id"]): row for row in union}


def build(rows, lang, theme_labels):
    """Cards for `rows` of (entry id, kind, object id, tags), in their order; the
    entry's own tags give the card's themes."""
    rows = list(rows)
    found = fetch(rows)
    cards = []
    for _entry, kind, object_id, tags in rows:
        row = found.get((kind, object_id))
        if row is None:  # deleted since the entry was read
            continue
        title, title_lang = pick(row, "c_title", lang)
        text, text_lang = pick(row, "c_text", lang)
        place, _place_lang = pick(row, "c_place", lang)
        detail = row["c_detail"]
        if kind == EntryKind.STRUCTURE and detail:
            detail = LegalForm(detail).label
        elif kind == EntryKind.FIGURE:
            detail = figure_headline(detail)
        cards.append(
            Card(
                kind=kind,
                url=reverse(URL_NAMES[kind], args=[row["c_slug"]]),
                title=title,
                title_lang=title_lang,
                text=text,
                text_lang=text_lang,
                place=place,
                detail=detail,
                themes=sorted(theme_labels[t] for t in tags.split() if t in theme_labels),
            )
        )
    return cards
