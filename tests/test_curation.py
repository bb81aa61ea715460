"""Curation in the admin, as a curator, an editor and a superuser would do it."""

import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation
from PIL import Image
from reversion.models import Version

from catalogue.models import Film, Practice, Proposal, ProposalStatus, Source, Status, Structure

from . import factories
from .admin_forms import admin_export, admin_import, change_form_data, confirm_import
from .factories import staff

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:catalogue_structure_changelist"


@pytest.fixture
def curator(client, django_user_model):
    client.force_login(staff(django_user_model, "Curator"))
    return client


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(staff(django_user_model, "Editor"))
    return client


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def public_url(obj):
    with translation.override("fr"):
        return obj.get_absolute_url()


def act(client, action, *objs, model=Structure):
    url = reverse(f"admin:catalogue_{model._meta.model_name}_changelist")
    return client.post(
        url, {"action": action, "_selected_action": [o.pk for o in objs]}, follow=True
    )


# --- roles ------------------------------------------------------------------------


def test_roles_exist_and_neither_can_manage_users():
    for name in ("Curator", "Editor"):
        perms = Permission.objects.filter(group__name=name)
        assert perms.filter(codename="change_structure").exists()
        assert not perms.filter(content_type__app_label="auth").exists()
    assert not Permission.objects.filter(group__name="Curator", codename__startswith="publish")
    assert Permission.objects.filter(group__name="Editor", codename="publish_practice").exists()


def test_curator_cannot_open_user_admin(curator):
    assert curator.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_curator_cannot_publish_even_by_forging_the_action(curator):
    draft = factories.structure("Coopérative brouillon", status=Status.DRAFT)
    act(curator, "publish", draft)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_curator_cannot_create_a_published_record(curator):
    response = curator.get(reverse("admin:catalogue_practice_add"))
    choices = [
        value for value, _label in response.context["adminform"].form.fields["status"].choices
    ]
    assert choices == [Status.DRAFT, Status.REVIEW]


def test_curator_submits_and_editor_publishes(client, django_user_model):
    draft = factories.structure("Coopérative en attente", status=Status.DRAFT)
    client.force_login(staff(django_user_model, "Curator"))
    act(client, "submit_for_review", draft)
    draft.refresh_from_db()
    assert draft.status == Status.REVIEW
    assert client.get(public_url(draft)).status_code == 200  # staff preview
    client.logout()
    assert client.get(public_url(draft)).status_code == 404  # nobody else
    client.force_login(staff(django_user_model, "Editor"))
    act(client, "publish", draft)
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    client.logout()
    assert client.get(public_url(draft)).status_code == 200


def test_editor_archives_and_unpublishes_in_bulk(editor):
    a, b = Structure.objects.published()[:2]
    act(editor, "archive", a, b)
    assert set(Structure.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {
        Status.ARCHIVED
    }
    act(editor, "unpublish", a)
    a.refresh_from_db()
    assert a.status == Status.DRAFT


def test_preview_page_says_it_is_a_preview(curator):
    draft = factories.practice("Pratique en préparation", status=Status.DRAFT)
    html = curator.get(public_url(draft)).content.decode()
    assert "Aperçu : cette fiche n’est pas publiée" in html


# --- edits of published records -------------------------------------------------------


def test_curator_edit_of_published_record_waits_for_an_editor(client, django_user_model):
    enercoop = Structure.objects.get(slug="enercoop")
    published_text = enercoop.description_fr
    client.force_login(staff(django_user_model, "Curator"))
    form = client.get(change_url(enercoop))
    response = client.post(
        change_url(enercoop),
        change_form_data(form, description_fr="Texte non relu."),
        follow=True,
    )
    assert "Vos modifications attendent un éditeur." in response.content.decode()
    enercoop.refresh_from_db()
    assert enercoop.description_fr == published_text
    client.logout()
    assert "Texte non relu." not in client.get(public_url(enercoop)).content.decode()

    proposal = Proposal.objects.get(object_id=enercoop.pk)
    assert proposal.changes == {"description_fr": "Texte non relu."}
    client.force_login(staff(django_user_model, "Editor"))
    page = client.get(reverse("admin:catalogue_proposal_change", args=[proposal.pk]))
    assert "Texte non relu." in page.content.decode()
    client.post(
        reverse("admin:catalogue_proposal_changelist"),
        {"action": "apply_proposals", "_selected_action": [proposal.pk]},
    )
    enercoop.refresh_from_db()
    proposal.refresh_from_db()
    assert enercoop.description_fr == "Texte non relu."
    assert proposal.status == ProposalStatus.APPLIED
    client.logout()
    assert "Texte non relu." in client.get(public_url(enercoop)).content.decode()


def test_curator_cannot_apply_a_proposal(curator, django_user_model):
    enercoop = Structure.objects.get(slug="enercoop")
    proposal = Proposal.objects.create(record=enercoop, changes={"description_fr": "X"})
    curator.post(
        reverse("admin:catalogue_proposal_changelist"),
        {"action": "apply_proposals", "_selected_action": [proposal.pk]},
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


def test_editor_rejects_a_proposal(editor):
    enercoop = Structure.objects.get(slug="enercoop")
    proposal = Proposal.objects.create(record=enercoop, changes={"description_fr": "X"})
    editor.post(
        reverse("admin:catalogue_proposal_changelist"),
        {"action": "reject_proposals", "_selected_action": [proposal.pk]},
    )
    proposal.refresh_from_db()
    enercoop.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert enercoop.description_fr != "X"


def test_editor_edit_of_published_record_goes_live(editor):
    enercoop = Structure.objects.get(slug="enercoop")
    form = editor.get(change_url(enercoop))
    editor.post(change_url(enercoop), change_form_data(form, description_fr="Relu et publié."))
    enercoop.refresh_from_db()
    assert enercoop.description_fr == "Relu et publié."
    assert not Proposal.objects.exists()


# --- translation status and provenance ----------------------------------------------


def test_filter_lists_records_missing_english(admin_client):
    only_french = factories.structure("Seulement en français", description_fr="Texte.")
    response = admin_client.get(reverse(CHANGELIST), {"missing": "en"})
    listed = {obj.pk for obj in response.context["cl"].result_list}
    assert only_french.pk in listed
    assert Structure.objects.get(slug="enercoop").pk not in listed
    html = response.content.decode()
    assert "EN manquant" in html


def test_changelist_shows_translation_state_and_hand_added_records(admin_client):
    hand = factories.structure(
        "Ajoutée à la main", name_en="Added by hand", description_fr="a", description_en="b"
    )
    html = admin_client.get(reverse(CHANGELIST), {"q": "Ajoutée à la main"}).content.decode()
    assert "Ajouté à la main" in html
    html = admin_client.get(reverse(CHANGELIST), {"q": "Enercoop"}).content.decode()
    assert "Les films de bonnes pratiques" in html
    assert "FR traduit à la main" in html  # Enercoop's source is English
    assert hand.missing_languages() == []


def test_changelist_filters_by_source(admin_client):
    source = Source.objects.get(slug="susy-films")
    response = admin_client.get(reverse(CHANGELIST), {"citations__source__id__exact": source.pk})
    slugs = {obj.slug for obj in response.context["cl"].result_list}
    assert "enercoop" in slugs and "les-ecossolies" not in slugs


# --- history -----------------------------------------------------------------------


def test_every_change_is_recorded_and_can_be_reverted(admin_client, superuser):
    enercoop = Structure.objects.get(slug="enercoop")
    original = enercoop.description_fr
    form = admin_client.get(change_url(enercoop))
    admin_client.post(change_url(enercoop), change_form_data(form, description_fr="Erreur."))
    versions = Version.objects.get_for_object(enercoop)
    assert versions.count() >= 2
    assert versions.first().revision.user == superuser
    history = admin_client.get(change_url(enercoop).replace("/change/", "/history/"))
    assert history.status_code == 200

    seed_version = versions.last()
    revert_url = reverse("admin:catalogue_structure_revision", args=[enercoop.pk, seed_version.pk])
    form = admin_client.get(revert_url)
    assert form.status_code == 200
    admin_client.post(revert_url, change_form_data(form))
    enercoop.refresh_from_db()
    assert enercoop.description_fr == original


# --- media -------------------------------------------------------------------------


def image_bytes(fmt="PNG", size=(40, 30), exif=None):
    buffer = io.BytesIO()
    image = Image.new("RGB", size, "navy")
    kwargs = {"exif": exif} if exif else {}
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def upload_logo(client, structure, name, content, **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    form = client.get(change_url(structure))
    data = change_form_data(
        form, logo=SimpleUploadedFile(name, content), logo_alt_fr="Logo", logo_alt_en="Logo"
    )
    data.update(fields)
    return client.post(change_url(structure), data)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "pas une image acceptée"),
        ("logo.png", b"%PDF-1.4 not an image", "pas une image acceptée"),
        ("logo.gif", image_bytes("GIF"), "Les images GIF ne sont pas acceptées"),
        ("bomb.png", image_bytes("PNG", size=(6000, 5000)), "trop de pixels"),
        ("huge.png", b"\x89PNG" + b"0" * (6 * 1024 * 1024), "la limite est de 5 Mo"),
    ],
)
def test_bad_uploads_get_a_clear_form_error(editor, media, name, content, message):
    structure = Structure.objects.get(slug="enercoop")
    response = upload_logo(editor, structure, name, content)
    assert response.status_code == 200  # the form again, with its error
    assert message in response.content.decode()
    structure.refresh_from_db()
    assert not structure.logo


def test_uploaded_image_is_reencoded_without_metadata_in_two_sizes(editor, media):
    structure = Structure.objects.get(slug="enercoop")
    exif = Image.Exif()
    exif[0x010F] = "Secret camera"  # Make
    upload_logo(editor, structure, "logo.jpg", image_bytes("JPEG", (2400, 1600), exif.tobytes()))
    structure.refresh_from_db()
    stored = Image.open(structure.logo.path)
    assert stored.size == (1200, 800)
    assert not stored.getexif()
    small = Image.open(structure.logo.path.replace(".jpg", ".small.jpg"))
    assert small.size == (400, 267)


def test_image_needs_alternative_text_in_both_languages(editor, media):
    structure = Structure.objects.get(slug="enercoop")
    response = upload_logo(editor, structure, "logo.png", image_bytes(), logo_alt_en="")
    assert "Décrivez l’image" in response.content.decode()
    structure.refresh_from_db()
    assert not structure.logo


# --- import and export ----------------------------------------------------------------


def import_csv(client, text, model="structure"):
    return admin_import(client, model, text)


GOOD = (
    "slug,name_fr,name_en,territory,themes\nnouvelle-scic,Nouvelle SCIC,New SCIC,nantes,energy\n"
)


def test_import_previews_then_creates_drafts(curator):
    preview = import_csv(curator, GOOD)
    assert preview.status_code == 200
    assert not Structure.objects.filter(slug="nouvelle-scic").exists()  # nothing yet
    assert "Nouvelle SCIC" in preview.content.decode()
    confirm_import(curator, preview, "structure")
    created = Structure.objects.get(slug="nouvelle-scic")
    assert created.status == Status.DRAFT
    assert created.territory.slug == "nantes"
    assert list(created.themes.values_list("slug", flat=True)) == ["energy"]


def test_import_with_one_bad_row_writes_nothing(curator):
    text = GOOD + "autre-scic,Autre SCIC,Other SCIC,atlantis,energy\n"
    before = Structure.objects.count()
    preview = import_csv(curator, text)
    html = preview.content.decode()
    assert "Valeur inconnue pour « territoire » : atlantis." in html
    assert "confirm_form" not in preview.context or preview.context["confirm_form"] is None
    assert Structure.objects.count() == before


def test_unknown_theme_is_a_row_error_not_silently_dropped(curator):
    text = "slug,name_fr,name_en,themes\nnouvelle,Nouvelle,New,energy|astrology\n"
    html = import_csv(curator, text).content.decode()
    assert "Valeur inconnue pour « thématique » : astrology." in html
    assert not Structure.objects.filter(slug="nouvelle").exists()


def test_curator_cannot_change_a_published_record_by_import(curator):
    text = "slug,name_fr,name_en\nenercoop,Enercoop modifiée,Enercoop changed\n"
    preview = import_csv(curator, text)
    assert "seul un éditeur peut la modifier par import" in preview.content.decode()
    assert Structure.objects.get(slug="enercoop").name_fr == "Enercoop"


def test_changelist_exports_its_filtered_rows_as_csv(editor):
    response = admin_export(editor, "structure", legal_form__exact="scic")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode()
    assert "enercoop" in body
    assert "la-boite-a-champignons" not in body
    rows = body.strip().splitlines()[1:]
    assert len(rows) == Structure.objects.filter(legal_form="scic").count()


# --- integrity ---------------------------------------------------------------------------


def test_two_structures_cannot_share_a_name_in_a_territory(editor):
    enercoop = Structure.objects.get(slug="enercoop")
    response = editor.get(reverse("admin:catalogue_structure_add"))
    data = change_form_data(
        response,
        name_fr="enercoop",
        name_en="Enercoop bis",
        slug="enercoop-bis",
        territory=str(enercoop.territory.pk),
        status="draft",
        original_language="fr",
    )
    response = editor.post(reverse("admin:catalogue_structure_add"), data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Une autre structure porte déjà ce nom" in str(errors), errors
    assert not Structure.objects.filter(slug="enercoop-bis").exists()


def test_deleting_a_practice_shown_by_a_film_is_refused_and_explained(editor):
    film = Film.objects.exclude(practice=None).first()
    url = reverse("admin:catalogue_practice_delete", args=[film.practice.pk])
    response = editor.post(url, {"post": "yes"})
    assert Practice.objects.filter(pk=film.practice.pk).exists()
    assert film.title in response.content.decode()
