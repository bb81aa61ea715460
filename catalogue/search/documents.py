"""What each kind of public record puts in its search entry.

A record is found by its own text, and by its tags: the values every filter and facet
can choose. Tags reached through another record (a film's territory is its practice's)
only come from published records.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch
from modeltranslation.utils import build_localized_fieldname

from core.text import normalize
from levers.models import Action, ActionArea, Lever

from ..models import (
    EntryKind,
    Figure,
    Film,
    FilmCredit,
    Person,
    PersonRole,
    Practice,
    Role,
    Status,
    Structure,
    Term,
)
from ..models.figures import plain_number

LANGUAGES = ("fr", "en")


def tag(facet, value):
    return f"{facet}:{value}"


@dataclass
class Document:
    kind: str
    object_id: int
    sort: dict  # language -> accent-free name
    text: dict  # language -> accent-free text
    year: int | None = None
    tags: set = field(default_factory=set)
    published: datetime | None = None


def localized(obj, name, lang):
    """A field's value in `lang`, or in the other language when it is not translated."""
    value = getattr(obj, build_localized_fieldname(name, lang), None)
    if value:
        return value
    for other in LANGUAGES:
        value = getattr(obj, build_localized_fieldname(name, other), None)
        if value:
            return value
    return ""


def texts(obj, translated=(), plain=()):
    """The accent-free text of each language: translated fields, then plain ones."""
    shared = [str(getattr(obj, name) or "") for name in plain]
    return {
        lang: normalize(" ".join([*(localized(obj, n, lang) for n in translated), *shared]))
        for lang in LANGUAGES
    }


def names(obj, name):
    return {lang: normalize(localized(obj, name, lang))[:300] for lang in LANGUAGES}


def territory_tags(territory):
    """The territory and every territory it lies in (its path holds their ids)."""
    if territory is None:
        return set()
    return {tag("territory", pk) for pk in territory.path.strip("/").split("/") if pk}


def linked(field, owner_ids):
    """{owner id: [linked ids]} through a many-to-many field's table, in one query and
    without model instances (a prefetch builds a queryset per record: too slow for a
    rebuild)."""
    found = defaultdict(list)
    through = field.remote_field.through
    owner, other = field.m2m_field_name(), field.m2m_reverse_field_name()
    rows = through.objects.filter(**{f"{owner}_id__in": owner_ids}).values_list(
        f"{owner}_id", f"{other}_id"
    )
    for owner_id, other_id in rows:
        found[owner_id].append(other_id)
    return found


def through_tags(field, owner_ids, prefix):
    """{owner id: tags} of the records linked through a many-to-many field."""
    return {
        owner_id: {tag(prefix, pk) for pk in linked_ids}
        for owner_id, linked_ids in linked(field, owner_ids).items()
    }


def status_tags(structure_ids):
    """{structure id: legal form, accreditation and PTCE tags}, published ones only."""
    found = defaultdict(set)
    rows = Structure.objects.filter(pk__in=structure_ids).values_list(
        "pk", "status", "legal_form", "role"
    )
    published = []
    for pk, status, legal_form, role in rows:
        if status != Status.PUBLISHED:  # checked here: SQLite plans the filter badly
            continue
        published.append(pk)
        if legal_form:
            found[pk].add(tag("form", legal_form))
        if role == Role.PTCE:
            found[pk].add(tag("role", Role.PTCE))
    field = Structure._meta.get_field("accreditations")
    for pk, tags in through_tags(field, published, "accreditation").items():
        found[pk] |= tags
    return found


def published_ids(model, ids):
    return {
        pk
        for pk, status in model.objects.filter(pk__in=ids).values_list("pk", "status")
        if status == Status.PUBLISHED
    }


def other_territory_tags(practice_ids):
    """{practice id: tags of its other territories, and of every place they lie in}."""
    field = Practice._meta.get_field("other_territories")
    rows = field.remote_field.through.objects.filter(practice_id__in=practice_ids)
    found = defaultdict(set)
    for practice_id, path in rows.values_list("practice_id", "territory__path"):
        found[practice_id] |= {tag("territory", pk) for pk in path.strip("/").split("/") if pk}
    return found


def practice_tags(practice_ids):
    """{practice id: tags it lends a film: other territories, themes, levers, areas,
    statuses}."""
    fields = {
        name: Practice._meta.get_field(name)
        for name in ("themes", "levers", "action_areas", "structures")
    }
    found = other_territory_tags(practice_ids)
    for prefix, name in (("theme", "themes"), ("lever", "levers"), ("area", "action_areas")):
        for pk, tags in through_tags(fields[name], practice_ids, prefix).items():
            found[pk] |= tags
    structures = linked(fields["structures"], practice_ids)
    statuses = status_tags({s for ids in structures.values() for s in ids})
    for pk, structure_ids in structures.items():
        for structure_id in structure_ids:
            found[pk] |= statuses.get(structure_id, set())
    return found


# --- one class per kind: which records, and what their entry holds --------------------


class PracticeDocuments:
    kind = EntryKind.PRACTICE
    model = Practice

    def queryset(self):
        return Practice.objects.published().select_related("territory")

    def build_all(self, practices):
        tags = practice_tags([p.pk for p in practices])
        return [
            Document(
                self.kind,
                p.pk,
                sort=names(p, "title"),
                text=texts(p, ["summary", "description", "period"]),
                year=p.year_start,
                tags=territory_tags(p.territory) | tags.get(p.pk, set()),
            )
            for p in practices
        ]


class StructureDocuments:
    kind = EntryKind.STRUCTURE
    model = Structure

    def queryset(self):
        return Structure.objects.published().select_related("territory")

    def build_all(self, structures):
        ids = [s.pk for s in structures]
        themes = through_tags(Structure._meta.get_field("themes"), ids, "theme")
        statuses = status_tags(ids)
        # Levers of the structure's published practices.
        through = Practice._meta.get_field("structures").remote_field.through
        rows = through.objects.filter(structure_id__in=ids).values_list(
            "structure_id", "practice_id"
        )
        by_structure = defaultdict(list)
        for structure_id, practice_id in rows:
            by_structure[structure_id].append(practice_id)
        practice_ids = {p for ps in by_structure.values() for p in ps}
        public = published_ids(Practice, practice_ids)
        levers = through_tags(Practice._meta.get_field("levers"), list(public), "lever")
        documents = []
        for s in structures:
            tags = (
                territory_tags(s.territory) | themes.get(s.pk, set()) | statuses.get(s.pk, set())
            )
            for practice_id in by_structure.get(s.pk, []):
                tags |= levers.get(practice_id, set()) if practice_id in public else set()
            documents.append(
                Document(
                    self.kind,
                    s.pk,
                    sort=names(s, "name"),
                    text=texts(s, ["description"], plain=["acronym"]),
                    year=s.year_founded,
                    tags=tags,
                )
            )
        return documents


class FilmDocuments:
    kind = EntryKind.FILM
    model = Film

    def queryset(self):
        return Film.objects.published().select_related(
            "territory", "practice__territory", "structure__territory"
        )

    def build_all(self, films):
        practices = {f.practice_id for f in films if f.practice and f.practice.is_public}
        structures = {f.structure_id for f in films if f.structure and f.structure.is_public}
        from_practices = practice_tags(list(practices))
        themes = through_tags(Structure._meta.get_field("themes"), list(structures), "theme")
        statuses = status_tags(structures)
        credited = defaultdict(list)  # the people who made it: found by their name
        for film_id, name in FilmCredit.objects.filter(
            film_id__in=[f.pk for f in films], person__status=Status.PUBLISHED
        ).values_list("film_id", "person__name"):
            credited[film_id].append(normalize(name))
        documents = []
        for f in films:
            tags = territory_tags(f.territory)
            if f.practice_id in practices:
                tags |= territory_tags(f.practice.territory) | from_practices.get(
                    f.practice_id, set()
                )
            if f.structure_id in structures:
                tags |= territory_tags(f.structure.territory) | themes.get(f.structure_id, set())
                tags |= statuses.get(f.structure_id, set())
            documents.append(
                Document(
                    self.kind,
                    f.pk,
                    sort=names(f, "title"),
                    text={
                        lang: " ".join([text, *credited[f.pk]])
                        for lang, text in texts(f, ["producing_project", "description"]).items()
                    },
                    year=f.year,
                    tags=tags,
                )
            )
        return documents


class FigureDocuments:
    kind = EntryKind.FIGURE
    model = Figure

    def queryset(self):
        return Figure.objects.published().select_related(
            "territory", "structure__territory", "practice__territory"
        )

    def build_all(self, figures):
        themes = through_tags(Figure._meta.get_field("themes"), [f.pk for f in figures], "theme")
        documents = []
        for figure in figures:
            about = [r for r in (figure.structure, figure.practice) if r and r.is_public]
            # Where it is about: its own territory, else that of what it is about.
            places = [figure.territory, *(r.territory for r in about)]
            place = next((p for p in places if p is not None), None)
            text = texts(figure, ["label", "sentence"])
            numbers = " ".join(
                plain_number(v) for v in (figure.value, figure.value_to, figure.out_of) if v
            )
            for lang in LANGUAGES:
                named = [localized(r, "name" if r is figure.structure else "title", lang)
                         for r in about]  # fmt: skip
                if place is not None:
                    named.append(localized(place, "name", lang))
                text[lang] = " ".join([text[lang], numbers, normalize(" ".join(named))])
            tags = territory_tags(place) | themes.get(figure.pk, set())
            if figure.lever_id:
                tags.add(tag("lever", figure.lever_id))
            documents.append(
                Document(
                    self.kind,
                    figure.pk,
                    sort=names(figure, "label"),
                    text=text,
                    year=figure.year,
                    tags=tags,
                )
            )
        return documents


class LeverDocuments:
    kind = EntryKind.LEVER
    model = Lever

    def queryset(self):
        return Lever.objects.all()

    def build_all(self, levers):
        return [
            Document(
                self.kind,
                lever.pk,
                sort=names(lever, "short_title"),
                text=texts(lever, ["text"]),
                tags={tag("lever", lever.pk)},
            )
            for lever in levers
        ]


class ActionAreaDocuments:
    kind = EntryKind.ACTION_AREA
    model = ActionArea

    def queryset(self):
        return ActionArea.objects.prefetch_related(Prefetch("actions", Action.objects.all()))

    def build_all(self, areas):
        documents = []
        for area in areas:
            text = texts(area, ["description"])
            for action in area.actions.all():
                for lang in LANGUAGES:
                    text[lang] += " " + normalize(localized(action, "text", lang))
            documents.append(
                Document(
                    self.kind,
                    area.pk,
                    sort=names(area, "title"),
                    text=text,
                    tags={tag("area", area.pk)},
                )
            )
        return documents


class TermDocuments:
    kind = EntryKind.TERM
    model = Term

    def queryset(self):
        return Term.objects.published()

    def build_all(self, terms):
        return [
            Document(
                self.kind,
                term.pk,
                # The abbreviation is part of the name: "SCIC" ranks the term first.
                sort={
                    lang: normalize(f"{localized(term, 'name', lang)} {term.abbreviation}")[:300]
                    for lang in LANGUAGES
                },
                text=texts(term, ["definition", "text"]),
            )
            for term in terms
        ]


class PersonDocuments:
    kind = EntryKind.PERSON
    model = Person

    def queryset(self):
        roles = PersonRole.objects.select_related("structure__territory", "territory")
        return Person.objects.published().prefetch_related(Prefetch("roles", roles))

    def build_all(self, people):
        documents = []
        for person in people:
            text = texts(person, ["summary"])
            tags = set()
            for role in person.roles.all():
                places = [role.territory]
                if role.structure is not None and role.structure.is_public:
                    places.append(role.structure.territory)
                    for lang in LANGUAGES:
                        text[lang] += " " + normalize(localized(role.structure, "name", lang))
                for place in places:
                    tags |= territory_tags(place)
                    if place is not None:
                        for lang in LANGUAGES:
                            text[lang] += " " + normalize(localized(place, "name", lang))
                for lang in LANGUAGES:
                    text[lang] += " " + normalize(localized(role, "title", lang))
            name = normalize(person.name)[:300]
            documents.append(
                Document(self.kind, person.pk, sort={"fr": name, "en": name}, text=text, tags=tags)
            )
        return documents


KINDS = {
    spec.kind: spec
    for spec in (
        PracticeDocuments(),
        StructureDocuments(),
        FilmDocuments(),
        LeverDocuments(),
        ActionAreaDocuments(),
        TermDocuments(),
        PersonDocuments(),
        FigureDocuments(),
    )
}
BY_MODEL = {spec.model: spec for spec in KINDS.values()}


def build(kind, object_ids):
    """The documents of the public records among `object_ids` (others have none)."""
    spec = KINDS[kind]
    records = list(spec.queryset().order_by().filter(pk__in=object_ids))
    documents = spec.build_all(records)
    published = {r.pk: getattr(r, "published_at", None) for r in records}
    for document in documents:
        document.tags.add(tag("type", kind))
        document.published = published[document.object_id]
    return documents
