"""Only the publish permission makes anything public, by any path: each path tried as a
Curator (the form, actions and imports are in test_curation; history here)."""

import pytest
import reversion
from reversion.models import Version

from catalogue.models import Figure, Practice, Proposal, Status, Structure

from .admin_forms import admin_url, change_form_data
from .factories import staff, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(client, django_user_model):
    client.force_login(staff(django_user_model, "Curator"))
    return client


def save_version(record, **changes):
    """Change `record` as an editor would, keeping a version of it in its history."""
    for name, value in changes.items():
        setattr(record, name, value)
    with reversion.create_revision():
        record.save()
    return Version.objects.get_for_object(record).first()


def revision_url(record, version):
    return admin_url(record._meta.model_name, "revision", record.pk, version.pk)


def public_page(client, record):
    client.logout()
    return client.get(url(record, "fr"))


def test_a_curator_reverting_a_published_record_makes_a_proposal(curator, client):
    enercoop = Structure.objects.get(slug="enercoop")
    old = save_version(enercoop, description_fr="Ancien texte non relu.")
    save_version(enercoop, description_fr="Texte relu par un éditeur.")
    form = curator.get(revision_url(enercoop, old))
    assert form.status_code == 200
    response = curator.post(revision_url(enercoop, old), change_form_data(form), follow=True)
    assert "Vos modifications attendent un éditeur." in response.content.decode()
    enercoop.refresh_from_db()
    assert enercoop.description_fr == "Texte relu par un éditeur."
    proposal = Proposal.objects.get(object_id=enercoop.pk)
    assert proposal.changes["description_fr"] == "Ancien texte non relu."
    page = public_page(client, enercoop).content.decode()
    assert "Texte relu par un éditeur." in page and "Ancien texte" not in page


def test_a_curator_reverting_a_draft_to_a_published_version_keeps_it_a_draft(curator, client):
    practice = Practice.objects.get(slug="fonds-d-amorcage-ess-nantes-factory")
    published = save_version(practice, summary_fr="Résumé publié.")
    save_version(practice, status=Status.DRAFT, summary_fr="Brouillon.")
    form = curator.get(revision_url(practice, published))
    curator.post(revision_url(practice, published), change_form_data(form))
    practice.refresh_from_db()
    assert practice.summary_fr == "Résumé publié."  # the text is reverted...
    assert practice.status == Status.DRAFT  # ...not the publication
    assert public_page(client, practice).status_code == 404
    comment = Version.objects.get_for_object(practice).first().revision.comment
    assert "statut conservé : Brouillon" in comment


def test_a_curator_cannot_publish_by_posting_a_status_in_a_revert(curator, client):
    practice = Practice.objects.get(slug="fonds-d-amorcage-ess-nantes-factory")
    version = save_version(practice, status=Status.DRAFT)
    form = curator.get(revision_url(practice, version))
    curator.post(revision_url(practice, version), change_form_data(form, status="published"))
    practice.refresh_from_db()
    assert practice.status == Status.DRAFT
    assert public_page(client, practice).status_code == 404


def test_a_curator_recovering_a_deleted_published_record_gets_a_draft(
    curator, client, django_user_model
):
    figure = Figure.objects.filter(status=Status.PUBLISHED).first()
    save_version(figure)
    pk, slug = figure.pk, figure.slug
    with reversion.create_revision():
        figure.delete()
    version = Version.objects.get_deleted(Figure).get(object_id=str(pk))
    recover = admin_url("figure", "recover", version.pk)
    form = curator.get(recover)
    assert form.status_code == 200
    curator.post(recover, change_form_data(form))
    recovered = Figure.objects.get(slug=slug)
    assert recovered.status == Status.DRAFT
    assert public_page(client, recovered).status_code == 404
    assert url(recovered, "fr") not in client.get("/fr/chiffres-cles/").content.decode()


def test_an_editor_still_reverts_and_recovers_as_before(client, django_user_model):
    client.force_login(staff(django_user_model, "Editor"))
    practice = Practice.objects.get(slug="fonds-d-amorcage-ess-nantes-factory")
    published = save_version(practice, summary_fr="Résumé publié.")
    save_version(practice, status=Status.DRAFT)
    form = client.get(revision_url(practice, published))
    client.post(revision_url(practice, published), change_form_data(form))
    practice.refresh_from_db()
    assert practice.status == Status.PUBLISHED
