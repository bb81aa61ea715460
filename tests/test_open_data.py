"""The open-data package: every published record as CSV and JSON, described by a
Frictionless datapackage.json with the licence; drafts never; the footer links to it."""

import csv
import json

import pytest
from django.core.management import call_command

from catalogue.models import Person, Practice, Status, Structure

pytestmark = pytest.mark.django_db


def read_csv(path):
    with open(path, encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_the_package_describes_every_file_and_holds_every_published_record(tmp_path):
    call_command("export_open_data", str(tmp_path / "od"), verbosity=0)
    folder = tmp_path / "od"
    package = json.loads((folder / "datapackage.json").read_text())
    assert package["licenses"][0]["name"] == "etalab-2.0"
    for resource in package["resources"]:
        path = folder / resource["path"]
        assert path.exists(), resource["path"]
        names = [f["name"] for f in resource["schema"]["fields"]]
        if resource["format"] == "csv":
            with open(path, encoding="utf-8") as file:
                assert next(csv.reader(file)) == names
        else:
            rows = json.loads(path.read_text())
            assert not rows or list(rows[0]) == names
    structures = read_csv(folder / "structure.csv")
    assert len(structures) == Structure.objects.published().count()
    enercoop = next(r for r in structures if r["slug"] == "enercoop")
    assert enercoop["name_fr"] == "Enercoop" and enercoop["legal_form"] == "scic"
    assert "energy" in enercoop["themes"].split("|")
    practices = json.loads((folder / "practice.json").read_text())
    assert len(practices) == Practice.objects.published().count()
    # Every published record says where its facts come from.
    cited = read_csv(folder / "citation.csv")
    sources = {(c["record_type"], c["record"], c["source"]) for c in cited}
    assert ("structure", "enercoop", "susy-films") in sources
    assert {("practice", p["slug"]) for p in practices} <= {(c[0], c[1]) for c in sources}


def test_drafts_and_links_to_drafts_are_left_out(tmp_path):
    enercoop = Structure.objects.get(slug="enercoop")
    enercoop.status = Status.DRAFT
    enercoop.save()
    schies = Person.objects.get(slug="emmanuelle-schies")
    schies.status = Status.DRAFT
    schies.save()
    call_command("export_open_data", str(tmp_path / "od"), verbosity=0)
    folder = tmp_path / "od"
    text = "".join(p.read_text() for p in folder.iterdir())
    assert "emmanuelle-schies" not in text  # nor in the citations
    assert all(r["slug"] != "enercoop" for r in read_csv(folder / "structure.csv"))
    for practice in read_csv(folder / "practice.csv"):
        assert "enercoop" not in practice["structures"].split("|")
    films = read_csv(folder / "film.csv")
    assert all(f["structure"] != "enercoop" for f in films)


def test_a_new_export_replaces_the_old_one_whole(tmp_path):
    folder = tmp_path / "od"
    call_command("export_open_data", str(folder), verbosity=0)
    (folder / "leftover.csv").write_text("old")
    call_command("export_open_data", str(folder), verbosity=0)
    assert not (folder / "leftover.csv").exists()
    assert (folder / "datapackage.json").exists()


def test_the_footer_gives_the_licence_and_links_the_package(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = client.get("/fr/").content.decode()
    assert 'rel="license"' in page and "Licence Ouverte" in page
    assert "open-data/datapackage.json" not in page  # not exported yet
    call_command("export_open_data", verbosity=0)
    assert "/media/open-data/datapackage.json" in client.get("/en/").content.decode()
