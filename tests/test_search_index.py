"""Every path that changes what a visitor can find keeps search right, in the same
transaction, and a draft never has a findable entry.

Each test makes a change the way curators, editors or the deployment make it, then looks
through the public search page (a made-up word only its records contain) and checks
that the stored entries, their tags and the tag counts agree with the records.

Nothing in a test commits: pytest-django wraps each test in a transaction that is rolled
back. A record found right after a change therefore proves the entries were written in
the change's own transaction, not in an on-commit hook.
"""

import io
import json
from collections import defaultdict

import pytest
import reversion
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command, get_commands
from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from reversion.models import Version

from catalogue.models import (
    Accreditation,
    EntryTag,
    Film,
    Practice,
    Proposal,
    ProposalStatus,
    SearchEntry,
    Status,
    Structure,
    TagCount,
    Theme,
)
from catalogue.search import documents
from levers.models import Action, ActionArea, Lever
from territories.models import Territory

from . import factories
from .admin_forms import change_form_data
from .factories import staff

pytestmark = pytest.mark.django_db

WORD = "zqxwvlemot"
OTHER_WORD = "zqxautremot"


@pytest.fixture(autouse=True)
def fresh_cache():
    """The vocabulary is cached under the catalogue version; tests that bump it (by
    running on-commit hooks) must not leave their renamed themes to the next test."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """Staff users are made in most tests: hashing their password must not dominate."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- looking as a visitor --------------------------------------------------------------


def slug_of(card):
    return card.url.rstrip("/").rsplit("/", 1)[-1]


def search(client, lang="en", **params):
    path = "/en/search/" if lang == "en" else "/fr/recherche/"
    response = client.get(path, params)
    assert response.status_code == 200
    return response


def found(client, q=WORD, lang="en", **params):
    """(kind, slug) of every result (a made-up word: one page is all of them)."""
    response = search(client, lang, q=q, **params)
    assert not response.context["page"].has_next()
    return {(card.kind, slug_of(card)) for card in response.context["cards"]}


def facet_option(response, facet, value):
    field = next(f for f in response.context["facets"] if f.field.name == facet)
    return next((o for o in field.options if o.value == value), None)


# --- looking at the stored entries -----------------------------------------------------

KINDS = {
    "practice": Practice,
    "structure": Structure,
    "film": Film,
    "lever": Lever,
    "actionarea": ActionArea,
}


def public_ids(kind):
    model = KINDS[kind]
    queryset = model.objects.published() if hasattr(model.objects, "published") else model.objects
    return set(queryset.values_list("pk", flat=True))


def stored_index(records=None):
    """{(kind, object id): (sort keys, year, texts, tags)} as stored (for `records`, a
    list of (kind, id), or every entry)."""
    entries = SearchEntry.objects.all()
    if records is not None:
        condition = Q(pk__in=[])
        for kind, pk in records:
            condition |= Q(kind=kind, object_id=pk)
        entries = entries.filter(condition)
    entries = list(entries)
    tags = defaultdict(set)
    for entry_id, tag in EntryTag.objects.filter(entry__in=entries).values_list("entry", "tag"):
        tags[entry_id].add(tag)
    return {
        (e.kind, e.object_id): (
            e.sort_fr,
            e.sort_en,
            e.year,
            e.text_fr,
            e.text_en,
            frozenset(tags[e.pk]),
        )
        for e in entries
    }


def built_index(records=None):
    """The same, built from scratch from the records as they are now."""
    wanted = defaultdict(list)
    for kind, pk in records or []:
        wanted[kind].append(pk)
    built = {}
    for kind, spec in documents.KINDS.items():
        if records is None:
            ids = list(spec.queryset().values_list("pk", flat=True))
        else:
            ids = wanted.get(kind, [])
        for doc in documents.build(kind, ids):
            built[(kind, doc.object_id)] = (
                doc.sort["fr"],
                doc.sort["en"],
                doc.year,
                doc.text["fr"],
                doc.text["en"],
                frozenset(doc.tags),
            )
    return built


def counts_from_entries():
    rows = EntryTag.objects.order_by().values("tag").annotate(n=Count("entry_id"))
    return {row["tag"]: row["n"] for row in rows}


def stored_counts():
    return dict(TagCount.objects.values_list("tag", "count"))


def assert_index_right(*records):
    """Entries exist for exactly the public records, the tag counts are the GROUP BY of
    the entries' tags, and the entries of `records` (of every record when none are
    given: slower) hold what a rebuild would write."""
    for kind in KINDS:
        stored = set(SearchEntry.objects.filter(kind=kind).values_list("object_id", flat=True))
        assert stored == public_ids(kind), f"{kind}: entries differ from the public records"
    assert stored_counts() == counts_from_entries()
    keys = [(kind_of(r), r.pk) for r in records if type(r) in KINDS.values()] if records else None
    stored, built = stored_index(keys), built_index(keys)
    wrong = {k for k in stored.keys() | built.keys() if stored.get(k) != built.get(k)}
    assert not wrong, f"entries differ from their records: {sorted(wrong)[:5]}"


def kind_of(record):
    return {v: k for k, v in KINDS.items()}[type(record)]


def tags_of(record):
    entry = SearchEntry.objects.filter(kind=kind_of(record), object_id=record.pk).first()
    return None if entry is None else set(entry.entry_tags.values_list("tag", flat=True))


def key(record):
    kind = kind_of(record)
    return (kind, str(record.number) if kind == "lever" else record.slug)


# --- people -------------------------------------------------------------------------


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def add_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def act(client, action, *objs):
    model = type(objs[0])
    url = reverse(f"admin:catalogue_{model._meta.model_name}_changelist")
    return client.post(url, {"action": action, "_selected_action": [o.pk for o in objs]})


def edit(client, obj, **changes):
    form = client.get(change_url(obj))
    assert form.status_code == 200
    response = client.post(change_url(obj), change_form_data(form, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def place(slug):
    return Territory.objects.get(slug=slug)


def theme(slug):
    return Theme.objects.get(slug=slug)


def lever(number):
    return Lever.objects.get(number=number)


# --- the same transaction -------------------------------------------------------------


class Abort(Exception):
    pass


def test_search_changes_roll_back_with_the_change_that_caused_them(client):
    draft = factories.practice(f"Jardin {WORD}", status=Status.DRAFT, territory=place("nantes"))
    draft.themes.add(theme("energy"))
    counts = stored_counts()
    with pytest.raises(Abort), transaction.atomic():
        draft.status = Status.PUBLISHED
        draft.save()
        assert found(client) == {key(draft)}  # visible inside the transaction at once
        raise Abort
    assert found(client) == set()
    assert stored_counts() == counts
    assert_index_right(draft)


# --- drafts -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW, Status.ARCHIVED])
def test_unpublished_records_have_no_entry_whatever_their_relations(client, status):
    structure = factories.structure(f"Structure {WORD}", status=status, legal_form="scop")
    practice = factories.practice(f"Pratique {WORD}", status=status)
    practice.structures.add(structure)
    practice.themes.add(theme("energy"))
    practice.levers.add(lever(3))
    Film.objects.create(
        slug="film-zqx",
        title_fr=f"Film {WORD}",
        status=status,
        practice=practice,
        structure=structure,
    )
    assert found(client) == set()
    assert tags_of(practice) is tags_of(structure) is None
    assert_index_right(practice, structure)


def test_unpublished_related_records_lend_no_tags_until_published(client, superuser):
    scop = factories.structure("Structure brouillon", status=Status.DRAFT, legal_form="scop")
    hidden = factories.practice(
        f"Brouillon {WORD}", status=Status.DRAFT, territory=place("bretagne")
    )
    hidden.levers.add(lever(9))
    hidden.themes.add(theme("mobility"))
    shown = factories.practice(f"Pratique {WORD}")
    shown.structures.add(scop)
    partner = factories.structure(f"Partenaire {WORD}")
    hidden.structures.add(partner)
    film = Film.objects.create(
        slug="film-zqx", title_fr=f"Film {WORD}", status=Status.PUBLISHED, practice=hidden
    )
    assert found(client, status="form-scop") == set()
    assert found(client, lever="9") == set()
    assert found(client, region="bretagne") == set()
    assert found(client, theme="mobility") == set()

    client.force_login(superuser)
    act(client, "publish", scop)
    act(client, "publish", hidden)
    client.logout()
    assert found(client, status="form-scop") == {key(shown)}
    assert found(client, lever="9") == {key(partner), key(hidden), key(film)}
    assert found(client, region="bretagne") == {key(hidden), key(film)}
    assert_index_right(scop, hidden, shown, partner, film)


# --- the admin change form ------------------------------------------------------------


def test_practice_created_in_the_admin_as_published_is_findable_at_once(client, superuser):
    client.force_login(superuser)
    form = client.get(add_url(Practice))
    data = change_form_data(
        form,
        title_fr=f"Pratique {WORD}",
        slug="pratique-zqx",
        status=Status.PUBLISHED,
        territory=str(place("toulouse").pk),
        themes=[str(theme("energy").pk)],
        levers=[str(lever(3).pk)],
        structures=[],
        action_areas=[],
        original_language="fr",
    )
    response = client.post(add_url(Practice), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    client.logout()
    practice = Practice.objects.get(slug="pratique-zqx")
    assert found(client, region="occitanie", theme="energy", lever="3") == {key(practice)}
    assert found(client, region="bretagne") == set()
    assert_index_right(practice)


@pytest.mark.parametrize("role", ["superuser", "Curator", "Editor"])
def test_draft_created_in_the_admin_is_not_findable(client, django_user_model, role):
    if role == "superuser":
        user = django_user_model.objects.create_superuser("root", "r@example.org", "pw")
    else:
        user = staff(django_user_model, role)
    client.force_login(user)
    form = client.get(add_url(Structure))
    data = change_form_data(
        form,
        name_fr=f"Structure {WORD}",
        slug="structure-zqx",
        status=Status.DRAFT,
        original_language="fr",
        themes=[],
        accreditations=[],
        ptces=[],
    )
    assert client.post(add_url(Structure), data).status_code == 302
    structure = Structure.objects.get(slug="structure-zqx")
    act(client, "submit_for_review", structure)
    structure.refresh_from_db()
    assert structure.status == Status.REVIEW
    client.logout()
    assert found(client) == set()
    assert tags_of(structure) is None
    assert_index_right(structure)


@pytest.mark.parametrize("role", ["superuser", "Editor"])
def test_admin_edit_of_a_published_record_replaces_its_text_and_status_in_search(
    client, django_user_model, role
):
    if role == "superuser":
        user = django_user_model.objects.create_superuser("root", "r@example.org", "pw")
    else:
        user = staff(django_user_model, role)
    structure = factories.structure(
        "Atelier", description_fr=f"Ancien texte {WORD}", legal_form="association"
    )
    practice = factories.practice("Pratique liée", description_fr=f"{WORD}")
    practice.structures.add(structure)
    assert found(client, status="form-association") == {key(structure), key(practice)}
    client.force_login(user)
    edit(client, structure, description_fr=f"Nouveau texte {OTHER_WORD}", legal_form="scop")
    client.logout()
    assert found(client, q=OTHER_WORD) == {key(structure)}
    assert found(client) == {key(practice)}
    assert found(client, status="form-association") == set()
    assert found(client, status="form-scop") == {key(practice)}
    assert_index_right(structure, practice)


def test_editor_unpublishing_in_the_change_form_takes_the_record_out_of_search(client, editor):
    structure = factories.structure(f"Atelier {WORD}", legal_form="scop")
    practice = factories.practice("Pratique liée")
    practice.structures.add(structure)
    edit(editor, structure, status=Status.DRAFT)
    assert found(client) == set()
    assert "form:scop" not in tags_of(practice)
    edit(editor, structure, status=Status.PUBLISHED)
    assert found(client) == {key(structure)}
    assert "form:scop" in tags_of(practice)
    assert_index_right(structure, practice)


def test_curator_edit_of_a_published_record_changes_search_only_once_applied(
    client, django_user_model
):
    practice = factories.practice("Pratique publiée", summary_fr=f"Texte publié {WORD}")
    client.force_login(staff(django_user_model, "Curator"))
    edit(
        client,
        practice,
        summary_fr=f"Texte proposé {OTHER_WORD}",
        themes=[str(theme("housing").pk)],
    )
    client.logout()
    proposal = Proposal.objects.get(object_id=practice.pk)
    assert found(client) == {key(practice)}
    assert found(client, q=OTHER_WORD) == set()
    assert found(client, theme="housing") == set()
    assert_index_right(practice)

    client.force_login(staff(django_user_model, "Editor"))
    client.post(
        reverse("admin:catalogue_proposal_changelist"),
        {"action": "apply_proposals", "_selected_action": [proposal.pk]},
    )
    client.logout()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.APPLIED
    assert found(client) == set()
    assert found(client, q=OTHER_WORD, theme="housing") == {key(practice)}
    assert_index_right(practice)


# --- status actions -------------------------------------------------------------------


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(staff(django_user_model, "Editor"))
    return client


def linked_drafts():
    structure = factories.structure(
        f"Structure {WORD}", status=Status.DRAFT, territory=place("nantes"), legal_form="scop"
    )
    practice = factories.practice(
        f"Pratique {WORD}", status=Status.DRAFT, territory=place("toulouse")
    )
    practice.structures.add(structure)
    practice.themes.add(theme("energy"))
    practice.levers.add(lever(3))
    return structure, practice


def test_publish_action_makes_records_findable_and_counts_them(client, editor):
    structure, practice = linked_drafts()
    before = stored_counts()
    act(editor, "publish", structure)
    act(editor, "publish", practice)
    assert found(client) == {key(structure), key(practice)}
    assert found(client, lever="3") == {key(structure), key(practice)}
    assert found(client, status="form-scop") == {key(structure), key(practice)}
    after = stored_counts()
    assert after["type:practice"] == before["type:practice"] + 1
    assert after["type:structure"] == before["type:structure"] + 1
    assert after[f"territory:{place('occitanie').pk}"] == (
        before[f"territory:{place('occitanie').pk}"] + 1
    )
    assert after[f"territory:{place('pays-de-la-loire').pk}"] == (
        before[f"territory:{place('pays-de-la-loire').pk}"] + 1
    )
    assert after["form:scop"] == before["form:scop"] + 2
    assert_index_right(structure, practice)


@pytest.mark.parametrize("action", ["unpublish", "archive"])
def test_unpublish_and_archive_actions_remove_records_from_search(client, editor, action):
    structure, practice = linked_drafts()
    act(editor, "publish", structure)
    act(editor, "publish", practice)
    published = stored_counts()
    act(editor, action, practice)
    assert found(client) == {key(structure)}
    assert found(client, lever="3") == set()  # the structure's lever came from the practice
    after = stored_counts()
    assert after["type:practice"] == published["type:practice"] - 1
    assert after[f"lever:{lever(3).pk}"] == published[f"lever:{lever(3).pk}"] - 2
    act(editor, action, structure)
    assert found(client) == set()
    assert_index_right(structure, practice)


def test_unpublishing_a_practice_takes_back_the_levers_it_gave_its_structures(client, editor):
    structure = factories.structure(f"Structure {WORD}")
    first = factories.practice("Première")
    second = factories.practice("Seconde")
    first.levers.add(lever(9))
    second.levers.add(lever(10))
    structure.practices.add(first, second)
    assert found(client, lever="9") == found(client, lever="10") == {key(structure)}
    act(editor, "unpublish", first)
    assert found(client, lever="9") == set()
    assert found(client, lever="10") == {key(structure)}
    assert f"lever:{lever(9).pk}" not in tags_of(structure)
    assert_index_right(structure, first, second)


# --- imports and seeds -------------------------------------------------------------------


def import_csv(client, text, model):
    url = reverse(f"admin:catalogue_{model}_import")
    return client.post(
        url,
        {
            "format": "0",
            "resource": "0",
            "import_file": SimpleUploadedFile("rows.csv", text.encode(), "text/csv"),
        },
    )


def confirm_import(client, preview, model):
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(reverse(f"admin:catalogue_{model}_process_import"), data, follow=True)


def csv(*rows):
    return "".join(",".join(row) + "\n" for row in rows)


def test_imported_records_are_drafts_and_not_findable(client, django_user_model):
    client.force_login(staff(django_user_model, "Curator"))
    structures = csv(
        ["slug", "name_fr", "name_en", "legal_form", "territory", "themes"],
        ["import-zqx", f"Import {WORD}", f"Import {WORD}", "scop", "nantes", "energy"],
    )
    preview = import_csv(client, structures, "structure")
    assert found(client) == set()  # the dry run left nothing behind
    confirm_import(client, preview, "structure")
    practices = csv(
        ["slug", "title_fr", "title_en", "territory", "themes", "structures", "levers"],
        ["import-zqx-p", f"Pratique {WORD}", f"Practice {WORD}", "nantes", "energy",
         "import-zqx", "3"],
    )  # fmt: skip
    confirm_import(client, import_csv(client, practices, "practice"), "practice")
    client.logout()
    structure = Structure.objects.get(slug="import-zqx", status=Status.DRAFT)
    practice = Practice.objects.get(slug="import-zqx-p", status=Status.DRAFT)
    assert found(client) == set()
    assert_index_right(structure, practice)

    client.force_login(staff(django_user_model, "Editor"))  # what an editor then does
    act(client, "publish", structure)
    act(client, "publish", practice)
    client.logout()
    assert found(client, status="form-scop", lever="3") == {key(structure), key(practice)}
    assert_index_right(structure, practice)


def test_editor_import_of_a_change_to_a_published_record_updates_search(client, editor):
    structure = factories.structure(
        "Atelier importé", slug="atelier-zqx", description_fr="Ancien texte"
    )
    rows = csv(
        ["slug", "name_fr", "name_en", "description_fr", "legal_form", "themes"],
        ["atelier-zqx", "Atelier importé", "Imported workshop", f"Texte {WORD}", "scic",
         "housing"],
    )  # fmt: skip
    confirm_import(editor, import_csv(editor, rows, "structure"), "structure")
    structure.refresh_from_db()
    assert structure.status == Status.PUBLISHED
    assert found(client, status="form-scic", theme="housing") == {key(structure)}
    assert_index_right(structure)


def test_load_seeds_makes_the_records_it_adds_findable(client, tmp_path):
    records = [
        {
            "model": "catalogue.structure",
            "slug": "seed-zqx-structure",
            "fields": {
                "name_fr": f"Structure {WORD}",
                "legal_form": "scop",
                "territory": "nantes",
                "themes": ["energy"],
            },
            "citations": [{"source": "susy-films", "locator": "test"}],
        },
        {
            "model": "catalogue.practice",
            "slug": "seed-zqx-practice",
            "fields": {
                "title_fr": f"Pratique {WORD}",
                "territory": "toulouse",
                "structures": ["seed-zqx-structure"],
                "levers": [9],
            },
            "citations": [{"source": "susy-films", "locator": "test"}],
        },
        {
            "model": "catalogue.film",
            "slug": "seed-zqx-film",
            "fields": {"title_fr": f"Film {WORD}", "practice": "seed-zqx-practice", "year": 2020},
            "citations": [{"source": "susy-films", "locator": "test"}],
        },
    ]
    (tmp_path / "zqx.json").write_text(json.dumps(records), encoding="utf-8")
    call_command("load_seeds", dir=str(tmp_path), verbosity=0)
    everything = {
        ("structure", "seed-zqx-structure"),
        ("practice", "seed-zqx-practice"),
        ("film", "seed-zqx-film"),
    }
    assert found(client) == everything
    assert found(client, lever="9") == everything
    assert found(client, status="form-scop") == everything
    assert found(client, region="occitanie") == everything - {("structure", "seed-zqx-structure")}
    assert_index_right(*Structure.objects.filter(slug__startswith="seed-zqx"),
                       *Practice.objects.filter(slug__startswith="seed-zqx"),
                       *Film.objects.filter(slug__startswith="seed-zqx"))  # fmt: skip
    snapshot, counts = stored_index(), stored_counts()
    call_command("load_seeds", dir=str(tmp_path), verbosity=0)  # adds nothing the second time
    assert stored_index() == snapshot
    assert stored_counts() == counts


# --- deletions --------------------------------------------------------------------------


def test_deleting_a_record_removes_its_entry_and_its_counts(client, editor):
    structure = factories.structure(
        f"Structure {WORD}", legal_form="scop", territory=place("nantes")
    )
    structure.themes.add(theme("energy"))
    practice = factories.practice("Pratique liée", summary_fr=OTHER_WORD)
    practice.structures.add(structure)
    practice.levers.add(lever(9))
    film = Film.objects.create(
        slug="film-zqx", title_fr=OTHER_WORD, status=Status.PUBLISHED, practice=practice
    )
    own_tags = tags_of(structure)
    before = stored_counts()
    url = reverse("admin:catalogue_structure_delete", args=[structure.pk])
    assert editor.post(url, {"post": "yes"}).status_code == 302
    assert not Structure.objects.filter(pk=structure.pk).exists()
    assert found(client) == set()
    assert found(client, q=OTHER_WORD, status="form-scop") == set()  # its practice lost it
    assert found(client, q=OTHER_WORD) == {key(practice), key(film)}
    after = stored_counts()
    for tag in own_tags - {"form:scop"}:
        assert after.get(tag, 0) == before[tag] - 1, tag
    # itself, the practice it took part in and the practice's film
    assert after.get("form:scop", 0) == before["form:scop"] - 3
    assert_index_right(practice, film)


def test_deleting_a_practice_takes_its_levers_back_from_its_structures(client, editor):
    structure = factories.structure(f"Structure {WORD}")
    practice = factories.practice("Pratique éphémère")
    practice.levers.add(lever(9))
    practice.structures.add(structure)
    assert found(client, lever="9") == {key(structure)}
    url = reverse("admin:catalogue_practice_delete", args=[practice.pk])
    assert editor.post(url, {"post": "yes"}).status_code == 302
    assert not Practice.objects.filter(pk=practice.pk).exists()
    assert found(client, lever="9") == set()
    assert_index_right(structure)


# --- relations ---------------------------------------------------------------------------

# (relation on the practice, reverse accessor, a related record, the filter it adds)
RELATIONS = {
    "theme": ("themes", "practices", lambda: theme("mobility"), {"theme": "mobility"}),
    "lever": ("levers", "practices", lambda: lever(9), {"lever": "9"}),
    "structure": (
        "structures",
        "practices",
        lambda: factories.structure("Partenaire", legal_form="cae"),
        {"status": "form-cae"},
    ),
}


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("side", ["practice", "related"])
def test_adding_removing_and_clearing_a_relation_updates_search(client, relation, side):
    field, reverse_name, make, params = RELATIONS[relation]
    practice = factories.practice(f"Pratique {WORD}")
    other = make()

    def manager():
        return getattr(practice, field) if side == "practice" else getattr(other, reverse_name)

    def add():
        manager().add(other if side == "practice" else practice)

    add()
    assert key(practice) in found(client, **params)
    assert_index_right(practice, other)
    manager().remove(other if side == "practice" else practice)
    assert key(practice) not in found(client, **params)
    add()
    assert key(practice) in found(client, **params)
    manager().clear()
    assert key(practice) not in found(client, **params)
    manager().set([other if side == "practice" else practice])
    assert key(practice) in found(client, **params)
    assert_index_right(practice, other)


def test_a_structure_linked_to_a_practice_gets_its_levers_from_either_side(client):
    structure = factories.structure(f"Structure {WORD}")
    practice = factories.practice("Pratique à levier")
    practice.levers.add(lever(9))
    structure.practices.add(practice)
    assert found(client, lever="9") == {key(structure)}
    structure.practices.clear()
    assert found(client, lever="9") == set()
    practice.structures.add(structure)
    assert found(client, lever="9") == {key(structure)}
    lever(9).practices.remove(practice)
    assert found(client, lever="9") == set()
    assert_index_right(structure, practice)


def test_action_areas_of_a_practice_are_tagged_and_untagged(client):
    practice = factories.practice(f"Pratique {WORD}")
    area = ActionArea.objects.first()
    area.practices.add(practice)
    assert f"area:{area.pk}" in tags_of(practice)
    practice.action_areas.clear()
    assert f"area:{area.pk}" not in tags_of(practice)
    assert_index_right(practice)


# --- a structure's status reaches its practices and films ------------------------------


@pytest.fixture
def showcase():
    """A published structure, a practice it takes part in, a film of each."""
    structure = factories.structure("Structure montrée", legal_form="association")
    practice = factories.practice(f"Pratique {WORD}")
    practice.structures.add(structure)
    by_practice = Film.objects.create(
        slug="film-zqx-p", title_fr=f"Film {WORD}", status=Status.PUBLISHED, practice=practice
    )
    by_structure = Film.objects.create(
        slug="film-zqx-s",
        title_fr=f"Autre film {WORD}",
        status=Status.PUBLISHED,
        structure=structure,
    )
    records = [structure, practice, by_practice, by_structure]
    return structure, {key(practice), key(by_practice), key(by_structure)}, records


def test_legal_form_change_updates_the_status_of_its_practices_and_films(client, showcase):
    structure, shown, related = showcase
    assert found(client, status="form-association") == shown
    structure.legal_form = "scop"
    structure.save()
    assert found(client, status="form-association") == set()
    assert found(client, status="form-scop") == shown
    structure.legal_form = ""
    structure.save()
    assert found(client, status="form-scop") == set()
    assert_index_right(*related)


def test_accreditations_and_ptce_role_reach_its_practices_and_films(client, showcase):
    structure, shown, related = showcase
    esus = Accreditation.objects.get(slug="esus")
    structure.accreditations.add(esus)
    assert found(client, status="acc-esus") == shown
    esus.structures.remove(structure)
    assert found(client, status="acc-esus") == set()
    esus.structures.add(structure)
    assert found(client, status="acc-esus") == shown
    structure.accreditations.clear()
    assert found(client, status="acc-esus") == set()
    structure.role = "ptce"
    structure.save()
    assert found(client, status="ptce") == shown
    assert_index_right(*related)


def test_unpublishing_a_structure_removes_its_status_from_its_practices_and_films(
    client, showcase, editor
):
    structure, shown, related = showcase
    act(editor, "unpublish", structure)
    assert found(client, status="form-association") == set()
    assert found(client) == shown  # still public themselves
    assert_index_right(*related)


# --- territories --------------------------------------------------------------------


def test_moving_a_territory_moves_its_records_to_the_new_region(client):
    bretagne, normandie = place("bretagne"), place("normandie")
    city = factories.territory("Zqxville", parent=bretagne)
    district = factories.territory("Quartier", kind="district", parent=city)
    practice = factories.practice(f"Pratique {WORD}", territory=district)
    structure = factories.structure(f"Structure {WORD}", territory=city)
    film = Film.objects.create(
        slug="film-zqx", title_fr=f"Film {WORD}", status=Status.PUBLISHED, practice=practice
    )
    everything = {key(practice), key(structure), key(film)}
    assert found(client, region="bretagne") == everything
    before = stored_counts()

    city.parent = normandie
    city.save()
    assert found(client, region="normandie") == everything
    assert found(client, region="bretagne") == set()
    after = stored_counts()
    assert after[f"territory:{bretagne.pk}"] == before[f"territory:{bretagne.pk}"] - 3
    assert after[f"territory:{normandie.pk}"] == before.get(f"territory:{normandie.pk}", 0) + 3

    city.parent = place("be")  # abroad: another country too
    city.save()
    assert found(client, country="be") == everything
    assert found(client, country="fr") == set()
    assert_index_right(practice, structure, film)


# --- vocabulary ---------------------------------------------------------------------


def test_renaming_a_theme_changes_the_label_shown_in_the_facet_and_on_cards(
    client, superuser, django_capture_on_commit_callbacks
):
    practice = factories.practice(f"Pratique {WORD}")
    energy = theme("energy")
    practice.themes.add(energy)
    response = search(client, q=WORD)
    assert facet_option(response, "theme", "energy").label == energy.name_en
    client.force_login(superuser)
    with django_capture_on_commit_callbacks(execute=True):  # the commit, as in production
        edit(client, energy, name_en="Zqx power", name_fr="Zqx énergie")
    client.logout()
    response = search(client, q=WORD)
    assert facet_option(response, "theme", "energy").label == "Zqx power"
    assert response.context["cards"][0].themes == ["Zqx power"]
    response = search(client, "fr", q=WORD)
    assert facet_option(response, "theme", "energy").label == "Zqx énergie"
    assert_index_right(practice)


@pytest.mark.parametrize("vocabulary", ["theme", "accreditation"])
def test_deleting_a_vocabulary_value_removes_its_tag_from_entries_and_counts(
    client, superuser, django_capture_on_commit_callbacks, vocabulary
):
    if vocabulary == "theme":
        value = Theme.objects.create(slug="zqx-theme", name_fr="Zqx", name_en="Zqx")
        structure = factories.structure(f"Structure {WORD}")
        structure.themes.add(value)
        params, tag = {"theme": "zqx-theme"}, f"theme:{value.pk}"
    else:
        value = Accreditation.objects.create(slug="zqx-acc", name_fr="Zqx", name_en="Zqx")
        structure = factories.structure(f"Structure {WORD}")
        structure.accreditations.add(value)
        params, tag = {"status": "acc-zqx-acc"}, f"accreditation:{value.pk}"
    practice = factories.practice(f"Pratique {WORD}")
    (practice.themes if vocabulary == "theme" else practice.structures).add(
        value if vocabulary == "theme" else structure
    )
    cache.clear()  # the new value is a choice now
    assert found(client, **params) == {key(structure), key(practice)}
    assert TagCount.objects.get(tag=tag).count == 2
    client.force_login(superuser)
    opts = value._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[value.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"post": "yes"}).status_code == 302
    client.logout()
    assert not EntryTag.objects.filter(tag=tag).exists()
    assert not TagCount.objects.filter(tag=tag).exists()
    response = search(client, q=WORD)
    assert response.context["total"].value == 2
    facet = "theme" if vocabulary == "theme" else "status"
    assert facet_option(response, facet, next(iter(params.values()))) is None
    assert_index_right(structure, practice)


@pytest.mark.parametrize("model", ["lever", "actionarea"])
def test_deleting_a_lever_or_an_action_area_removes_it_from_search(client, model):
    practice = factories.practice(f"Pratique {WORD}")
    structure = factories.structure(f"Structure {WORD}")
    practice.structures.add(structure)
    if model == "lever":
        value = Lever.objects.create(number=99, short_title_fr="Zqx", text_fr="Zqx")
        practice.levers.add(value)
        tag = f"lever:{value.pk}"
        assert tags_of(structure) >= {tag}
    else:
        value = ActionArea.objects.create(slug="zqx-area", part="levers", title_fr="Zqx")
        Action.objects.create(slug="zqx-action", area=value, text_fr=OTHER_WORD)
        practice.action_areas.add(value)
        tag = f"area:{value.pk}"
        assert found(client, q=OTHER_WORD) == {("actionarea", "zqx-area")}
    assert tags_of(practice) >= {tag}
    value.delete()
    assert found(client, q=OTHER_WORD) == set()
    assert not EntryTag.objects.filter(tag=tag).exists()
    assert not TagCount.objects.filter(tag=tag).exists()
    assert found(client) == {key(practice), key(structure)}
    assert_index_right(practice, structure)


# --- levers and action areas -------------------------------------------------------


def test_lever_text_is_findable_in_french(client):
    response = search(client, "fr", q="commande publique", type="lever")
    assert [(c.kind, slug_of(c)) for c in response.context["cards"]] == [("lever", "3")]
    everything = search(client, "fr", q="commande publique")  # ranked among the first
    assert ("lever", "3") in {(c.kind, slug_of(c)) for c in everything.context["cards"]}
    three = lever(3)
    three.text_fr += f" {WORD}"
    three.save()
    assert found(client) == {("lever", "3")}
    assert_index_right(lever(3))


def test_an_action_makes_its_action_area_findable_and_edits_follow(client):
    area = ActionArea.objects.first()
    action = Action.objects.create(slug="action-zqx", area=area, text_fr=f"Agir {WORD}")
    assert found(client) == {("actionarea", area.slug)}
    action.text_fr = f"Agir {OTHER_WORD}"
    action.save()
    assert found(client) == set()
    assert found(client, q=OTHER_WORD) == {("actionarea", area.slug)}
    action.delete()
    assert found(client, q=OTHER_WORD) == set()
    assert_index_right(area)


def test_an_action_moved_to_another_area_is_found_under_the_new_area_only(client):
    first, second = ActionArea.objects.all()[:2]
    action = Action.objects.create(slug="action-zqx", area=first, text_fr=f"Agir {WORD}")
    action.area = second
    action.save()
    assert found(client) == {("actionarea", second.slug)}


# --- history ------------------------------------------------------------------------


def versioned(obj, **changes):
    with reversion.create_revision():
        for name, value in changes.items():
            setattr(obj, name, value)
        obj.save()
    return obj


def test_reverting_to_an_earlier_version_restores_its_text_in_search(client):
    structure = factories.structure("Atelier")
    structure.themes.add(theme("housing"))
    versioned(structure, description_fr=f"Texte {WORD}")
    versioned(structure, description_fr=f"Texte {OTHER_WORD}")
    structure.themes.clear()
    assert found(client) == set()
    old = Version.objects.get_for_object(structure)[1]  # newest first
    old.revision.revert()
    assert found(client, theme="housing") == {key(structure)}
    assert found(client, q=OTHER_WORD) == set()
    assert_index_right(structure)


def test_reverting_to_a_draft_version_takes_the_record_out_of_search(client):
    structure = versioned(factories.structure(f"Atelier {WORD}", status=Status.DRAFT))
    versioned(structure, status=Status.PUBLISHED)
    assert found(client) == {key(structure)}
    Version.objects.get_for_object(structure)[1].revision.revert()
    structure.refresh_from_db()
    assert structure.status == Status.DRAFT
    assert found(client) == set()
    assert_index_right(structure)


def test_admin_history_revert_updates_search_and_its_preview_does_not(client, superuser):
    structure = versioned(factories.structure("Atelier", description_fr=f"Texte {WORD}"))
    client.force_login(superuser)
    edit(client, structure, description_fr=f"Texte {OTHER_WORD}")
    first = Version.objects.get_for_object(structure).last()
    url = reverse("admin:catalogue_structure_revision", args=[structure.pk, first.pk])
    form = client.get(url)  # the preview reverts inside a transaction it rolls back
    assert form.status_code == 200
    assert found(client, q=OTHER_WORD) == {key(structure)}
    assert found(client) == set()
    assert client.post(url, change_form_data(form)).status_code == 302
    client.logout()
    assert found(client) == {key(structure)}
    assert found(client, q=OTHER_WORD) == set()
    assert_index_right(structure)


@pytest.mark.parametrize("how", ["api", "admin"])
def test_recovering_a_deleted_record_makes_it_findable_again(client, superuser, how):
    structure = factories.structure(f"Atelier {WORD}", legal_form="scop")
    with reversion.create_revision():
        structure.save()
        structure.themes.add(theme("housing"))
    pk = structure.pk
    structure.delete()
    assert found(client) == set()
    deleted = Version.objects.get_deleted(Structure).get(object_id=str(pk))
    if how == "api":
        deleted.revision.revert()
    else:
        client.force_login(superuser)
        url = reverse("admin:catalogue_structure_recover", args=[deleted.pk])
        form = client.get(url)
        assert client.post(url, change_form_data(form)).status_code == 302
        client.logout()
    assert found(client, theme="housing", status="form-scop") == {key(structure)}
    assert_index_right(Structure.objects.get(pk=pk))


def test_recovering_a_deleted_draft_keeps_it_out_of_search(client):
    structure = factories.structure(f"Atelier {WORD}", status=Status.DRAFT)
    versioned(structure)
    pk = structure.pk
    structure.delete()
    Version.objects.get_deleted(Structure).get(object_id=str(pk)).revision.revert()
    assert found(client) == set()
    assert_index_right(Structure.objects.get(pk=pk, status=Status.DRAFT))


# --- rebuilding ---------------------------------------------------------------------


@pytest.mark.skipif(
    "rebuild_search_index" not in get_commands(), reason="no rebuild_search_index command"
)
def test_rebuild_gives_the_same_entries_tags_and_counts_as_the_incremental_path(
    client, showcase, editor
):
    structure, shown, related = showcase
    structure.accreditations.add(Accreditation.objects.get(slug="esus"))
    act(editor, "unpublish", Practice.objects.published().exclude(title_fr__contains=WORD)[0])
    city = Territory.objects.get(slug="toulouse")
    city.parent = place("bretagne")
    city.save()
    incremental, counts = stored_index(), stored_counts()
    assert counts == counts_from_entries()

    call_command("rebuild_search_index", verbosity=0)
    assert stored_index() == incremental
    assert stored_counts() == counts
    call_command("rebuild_search_index", verbosity=0)  # idempotent
    assert stored_index() == incremental
    assert stored_counts() == counts
    assert found(client, status="acc-esus") == shown
    out = io.StringIO()
    call_command("rebuild_search_index", if_stale=True, stdout=out)
    assert "up to date" in out.getvalue()
