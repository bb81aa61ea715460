"""What each kind of public record puts in its search entry.

A record is found by its own text, and by its tags: the values every filter and facet
can choose. Tags reached through another record (a film's territory is its practice's)
only come from published records.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from modeltranslation.utils import build_localized_fieldname

from levers.models import Action, ActionArea, Lever

from ..models import Accreditation, EntryKind, Film, Practice, Role, Status, Structure, Theme
from .text import normalize

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


def status_tags(structure):
    tags = {tag("accreditation", a.pk) for a in structure.accreditations.all()}
    if structure.legal_form:
        tags.add(tag("form", structure.legal_form))
    if structure.role == Role.PTCE:
        tags.add(tag("role", Role.PTCE))
    return tags


def ids(prefix, related):
    return {tag(prefix, obj.pk) for obj in related.all()}


def published(model, *related):
    return model.objects.published().prefetch_related(*related)


def only_ids(model):
    return model.objects.only("pk")


# --- one class per kind: which records, prefetched how, and what their entry holds ----


class PracticeDocuments:
    kind = EntryKind.PRACTICE
    model = Practice

    def queryset(self):
        return (
            Practice.objects.published()
            .select_related("territory")
            .prefetch_related(
                Prefetch("themes", only_ids(Theme)),
                Prefetch("levers", only_ids(Lever)),
                Prefetch("action_areas", only_ids(ActionArea)),
                Prefetch(
                    "structures",
                    published(Structure, Prefetch("accreditations", only_ids(Accreditation))),
                ),
            )
        )

    def tags(self, practice):
        tags = territory_tags(practice.territory)
        tags |= ids("theme", practice.themes) | ids("lever", practice.levers)
        tags |= ids("area", practice.action_areas)
        for structure in practice.structures.all():
            tags |= status_tags(structure)
        return tags

    def build(self, practice):
        return Document(
            self.kind,
            practice.pk,
            sort=names(practice, "title"),
            text=texts(practice, ["summary", "description", "period"]),
            year=practice.year_start,
            tags=self.tags(practice),
        )


class StructureDocuments:
    kind = EntryKind.STRUCTURE
    model = Structure

    def queryset(self):
        return (
            Structure.objects.published()
            .select_related("territory")
            .prefetch_related(
                Prefetch("themes", only_ids(Theme)),
                Prefetch("accreditations", only_ids(Accreditation)),
                Prefetch("practices", published(Practice, Prefetch("levers", only_ids(Lever)))),
            )
        )

    def tags(self, structure):
        tags = territory_tags(structure.territory) | ids("theme", structure.themes)
        tags |= status_tags(structure)
        for practice in structure.practices.all():
            tags |= ids("lever", practice.levers)
        return tags

    def build(self, structure):
        return Document(
            self.kind,
            structure.pk,
            sort=names(structure, "name"),
            text=texts(structure, ["description", "key_figures"], plain=["acronym"]),
            year=structure.year_founded,
            tags=self.tags(structure),
        )


class FilmDocuments:
    kind = EntryKind.FILM
    model = Film

    def queryset(self):
        structures = published(Structure, Prefetch("accreditations", only_ids(Accreditation)))
        return (
            Film.objects.published()
            .select_related("practice__territory", "structure__territory")
            .prefetch_related(
                Prefetch("practice__themes", only_ids(Theme)),
                Prefetch("practice__levers", only_ids(Lever)),
                Prefetch("practice__structures", structures),
                Prefetch("structure__themes", only_ids(Theme)),
                Prefetch("structure__accreditations", only_ids(Accreditation)),
            )
        )

    def tags(self, film):
        tags = set()
        practice, structure = film.practice, film.structure
        if practice is not None and practice.status == Status.PUBLISHED:
            tags |= PracticeDocuments().tags(practice)
        if structure is not None and structure.status == Status.PUBLISHED:
            tags |= territory_tags(structure.territory) | ids("theme", structure.themes)
            tags |= status_tags(structure)
        return tags

    def build(self, film):
        return Document(
            self.kind,
            film.pk,
            sort=names(film, "title"),
            text=texts(film, ["producing_project", "description"], plain=["director"]),
            year=film.year,
            tags=self.tags(film),
        )


class LeverDocuments:
    kind = EntryKind.LEVER
    model = Lever

    def queryset(self):
        return Lever.objects.all()

    def build(self, lever):
        return Document(
            self.kind,
            lever.pk,
            sort=names(lever, "short_title"),
            text=texts(lever, ["text"]),
            tags={tag("lever", lever.pk)},
        )


class ActionAreaDocuments:
    kind = EntryKind.ACTION_AREA
    model = ActionArea

    def queryset(self):
        return ActionArea.objects.prefetch_related(Prefetch("actions", Action.objects.all()))

    def build(self, area):
        text = texts(area, ["description"])
        for action in area.actions.all():
            for lang in LANGUAGES:
                text[lang] += " " + normalize(localized(action, "text", lang))
        return Document(
            self.kind, area.pk, sort=names(area, "title"), text=text, tags={tag("area", area.pk)}
        )


KINDS = {
    spec.kind: spec
    for spec in (
        PracticeDocuments(),
        StructureDocuments(),
        FilmDocuments(),
        LeverDocuments(),
        ActionAreaDocuments(),
    )
}
BY_MODEL = {spec.model: spec for spec in KINDS.values()}


def build(kind, object_ids):
    """The documents of the public records among `object_ids` (others have none)."""
    spec = KINDS[kind]
    documents = [spec.build(obj) for obj in spec.queryset().filter(pk__in=object_ids)]
    for document in documents:
        document.tags.add(tag("type", kind))
    return documents
