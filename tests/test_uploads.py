"""Uploaded images: a proposed one stays private until an editor applies it; replaced,
deleted and orphaned files leave the disk."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from catalogue.models import Proposal, Status, Structure

from .admin_forms import admin_url, change_form_data
from .factories import staff, url
from .test_curation import image_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "public"
    settings.STORAGES = {
        **settings.STORAGES,
        "proposals": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "private"), "base_url": None},
        },
    }
    return tmp_path


def files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in Path(folder).rglob("*") if p.is_file())


def change_url(record):
    return admin_url("structure", "change", record.pk)


def upload_logo(client, record, content):
    form = client.get(change_url(record))
    data = change_form_data(form, logo=SimpleUploadedFile("logo.png", content),
                            logo_alt_fr="Logo", logo_alt_en="Logo")  # fmt: skip
    return client.post(change_url(record), data)


def test_a_proposed_logo_stays_private_until_an_editor_applies_it(
    client, django_user_model, media, django_capture_on_commit_callbacks
):
    enercoop = Structure.objects.get(slug="enercoop")
    client.force_login(staff(django_user_model, "Curator"))
    upload_logo(client, enercoop, image_bytes("PNG", (800, 600)))
    proposal = Proposal.objects.get(object_id=enercoop.pk)
    assert files(media / "public") == []  # nothing under the public media
    assert len(files(media / "private")) == 2  # the image and its small copy
    enercoop.refresh_from_db()
    assert not enercoop.logo

    # Staff see it through the admin, with a policy that runs nothing; visitors cannot.
    seen = admin_url("proposal", "file", proposal.pk, "logo")
    response = client.get(seen)
    assert response.status_code == 200 and "sandbox" in response["Content-Security-Policy"]
    client.logout()
    assert client.get(seen).status_code == 302  # to the login page

    client.force_login(staff(django_user_model, "Editor"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:catalogue_proposal_changelist"),
            {"action": "apply_proposals", "_selected_action": [proposal.pk]},
        )
    enercoop.refresh_from_db()
    assert enercoop.logo.name.startswith("logos/")
    assert len(files(media / "public")) == 2 and files(media / "private") == []
    client.logout()
    assert enercoop.logo.url in client.get(url(enercoop, "fr")).content.decode()


def test_a_rejected_proposal_leaves_no_file(
    client, django_user_model, media, django_capture_on_commit_callbacks
):
    enercoop = Structure.objects.get(slug="enercoop")
    client.force_login(staff(django_user_model, "Curator"))
    upload_logo(client, enercoop, image_bytes("PNG", (300, 300)))
    proposal = Proposal.objects.get(object_id=enercoop.pk)
    client.force_login(staff(django_user_model, "Editor"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:catalogue_proposal_changelist"),
            {"action": "reject_proposals", "_selected_action": [proposal.pk]},
        )
    assert files(media / "private") == [] and files(media / "public") == []


def test_replaced_and_deleted_images_leave_the_disk(
    client, django_user_model, media, django_capture_on_commit_callbacks
):
    record = Structure.objects.create(slug="logo-test", name_fr="Logo test", status=Status.DRAFT)
    client.force_login(staff(django_user_model, "Editor"))
    with django_capture_on_commit_callbacks(execute=True):
        upload_logo(client, record, image_bytes("PNG", (300, 300)))
    first = files(media / "public")
    assert len(first) == 2
    with django_capture_on_commit_callbacks(execute=True):
        upload_logo(client, record, image_bytes("PNG", (320, 300)))
    second = files(media / "public")
    assert len(second) == 2 and not set(first) & set(second)
    with django_capture_on_commit_callbacks(execute=True):
        Structure.objects.get(pk=record.pk).delete()
    assert files(media / "public") == []


def test_clean_media_removes_only_what_nothing_refers_to(
    client, django_user_model, media, django_capture_on_commit_callbacks
):
    record = Structure.objects.create(slug="logo-test", name_fr="Logo test", status=Status.DRAFT)
    client.force_login(staff(django_user_model, "Editor"))
    with django_capture_on_commit_callbacks(execute=True):
        upload_logo(client, record, image_bytes("PNG", (300, 300)))
    kept = files(media / "public")
    orphan = media / "public" / "logos" / "forgotten.png"
    orphan.write_bytes(image_bytes("PNG"))
    call_command("clean_media", "--dry-run")
    assert orphan.exists()
    call_command("clean_media")
    assert not orphan.exists()
    assert files(media / "public") == kept
