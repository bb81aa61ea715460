"""schema.org JSON-LD for the record pages (docs/structured-data.md maps the fields):
search engines and reusers read what a page is about."""

from django.utils.translation import gettext as _

from levers.models import Lever

from .models import Figure, Film, Person, Practice, Status, Structure, Term


def place(territory):
    return {"@type": "Place", "name": str(territory)} if territory is not None else None


def properties(pairs):
    return [{"@type": "PropertyValue", "name": n, "value": v} for n, v in pairs if v]


def organization(structure, absolute):
    data = {
        "@type": "Organization",
        "name": structure.name,
        "alternateName": structure.acronym or None,
        "description": structure.description or None,
        "foundingDate": str(structure.year_founded) if structure.year_founded else None,
        "location": place(structure.territory),
        "sameAs": structure.website or None,
        "logo": absolute(structure.logo.url) if structure.logo else None,
        "additionalProperty": properties(
            [
                (
                    _("Legal form"),
                    structure.get_legal_form_display() if structure.legal_form else "",
                ),
                (
                    _("Role in the ecosystem"),
                    structure.get_role_display() if structure.role else "",
                ),
            ]
            + [(_("Accreditation"), str(a)) for a in structure.accreditations.all()]
        ),  # fmt: skip
    }
    return data


def video(film, absolute):
    people = {"director": [], "producer": []}
    for credit in film.credits.filter(person__status=Status.PUBLISHED).select_related("person"):
        link = absolute(credit.person.get_absolute_url())
        people[credit.role].append({"@type": "Person", "name": credit.person.name, "url": link})
    return {
        "@type": "VideoObject",
        "name": film.title,
        "description": film.description or None,
        "contentUrl": film.video_url or None,
        "dateCreated": str(film.year) if film.year else None,
        "inLanguage": film.language or None,
        "director": people["director"] or None,
        "producer": people["producer"] or None,
        "spatialCoverage": place(film.territory),
    }


def creative_work(practice, absolute):
    years = [str(y) for y in (practice.year_start, practice.year_end) if y]
    return {
        "@type": "CreativeWork",
        "name": practice.title,
        "abstract": practice.summary or None,
        "description": practice.description or None,
        "spatialCoverage": [
            place(t) for t in (practice.territory, *practice.other_territories.all()) if t
        ]
        or None,  # fmt: skip
        "temporalCoverage": "/".join(years) or None,
        "keywords": [str(t) for t in practice.themes.all()] or None,
    }


def defined_term(term, absolute):
    return {
        "@type": "DefinedTerm",
        "name": term.name,
        "termCode": term.abbreviation or None,
        "description": term.definition,
        "inDefinedTermSet": {"@type": "DefinedTermSet", "name": _("ESSor glossary")},
    }


def lever_term(lever, absolute):
    return {
        "@type": "DefinedTerm",
        "name": lever.short_title,
        "termCode": str(lever.number),
        "description": lever.text,
        "inDefinedTermSet": {"@type": "DefinedTermSet",
                             "name": _("10 levers for strengthening the SSE")},
    }  # fmt: skip


def person(record, absolute):
    return {
        "@type": "Person",
        "name": record.name,
        "description": record.summary or None,
        "jobTitle": [role.title for role in record.roles.all()] or None,
    }


def observation(figure, absolute):
    return {
        "@type": "Observation",
        "name": f"{figure.shown()} {figure.label}",
        "value": float(figure.value),
        "description": figure.sentence,
        "observationDate": str(figure.year) if figure.year else None,
        "observationAbout": place(figure.territory),
    }


BUILDERS = {
    Structure: organization,
    Film: video,
    Practice: creative_work,
    Term: defined_term,
    Lever: lever_term,
    Person: person,
    Figure: observation,
}


def json_ld(record, request, language):
    """The JSON-LD of a record's page, without empty values; None for other pages."""
    builder = BUILDERS.get(type(record))
    if builder is None:
        return None
    data = {"@context": "https://schema.org", **builder(record, request.build_absolute_uri)}
    data["url"] = request.build_absolute_uri(record.get_absolute_url())
    data["inLanguage"] = data.get("inLanguage") or language
    return {k: v for k, v in data.items() if v not in (None, "", [])}
