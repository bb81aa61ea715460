"""Imports within limits, read in full; exports that no spreadsheet runs as formulas."""

import csv
import io
import re
import zipfile

import openpyxl
import pytest

from catalogue.models import Structure

from .admin_forms import admin_export, admin_import, confirm_import
from .factories import staff, structure

pytestmark = pytest.mark.django_db

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def editor(client, django_user_model):
    client.force_login(staff(django_user_model, "Editor"))
    return client


def preview(client, name, content, fmt):
    """The dry run of an import of structures: format 0 is CSV, 1 is XLSX."""
    return admin_import(client, "structure", content, name=name, fmt=fmt)


def error_of(response):
    page = response.content.decode().replace("&#x27;", "'")
    found = re.search(r'<ul class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', page, re.S)
    return found.group(1) if found else ""


def xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def export(client, fmt, **filters):
    return admin_export(client, "structure", fmt, **filters)


def test_a_formula_is_exported_as_text_in_csv_and_xlsx(editor):
    structure("=HYPERLINK(\"http://evil.example\",\"clic\")", slug="piege",
              description_fr="+cmd|' /C calc'!A0")  # fmt: skip
    body = export(editor, 0, slug="piege").content.decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(body)) if r["slug"] == "piege")
    assert row["name_fr"].startswith("'=HYPERLINK")
    assert row["description_fr"].startswith("'+cmd")

    content = export(editor, 1, slug="piege").content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    headers = [c.value for c in sheet[1]]
    cells = dict(zip(headers, sheet[2], strict=False))
    assert cells["name_fr"].data_type == "s"  # a string, not a formula
    assert cells["name_fr"].value.startswith("'=HYPERLINK")


def test_an_exported_formula_comes_back_unchanged_on_import(editor):
    text = "slug,name_fr\nretour,'=1+1\n"
    confirm_import(editor, preview(editor, "s.csv", text.encode(), 0), "structure")
    assert Structure.objects.get(slug="retour").name_fr == "=1+1"


def test_a_file_above_the_size_limit_is_refused_before_it_is_read(editor, settings):
    settings.IMPORT_MAX_BYTES = 1_000
    response = preview(editor, "big.csv", b"slug,name_fr\n" + b"a,b\n" * 500, 0)
    assert "Le fichier dépasse 0 Mo" in error_of(response)
    assert not Structure.objects.filter(slug="a").exists()


def test_too_many_rows_are_refused_with_the_reason(editor, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = "".join(f"ligne-{n},Nom {n}\n" for n in range(4))
    response = preview(editor, "rows.csv", ("slug,name_fr\n" + rows).encode(), 0)
    assert "plus de 3 lignes" in error_of(response)
    assert not Structure.objects.filter(slug__startswith="ligne-").exists()


def test_a_cell_too_long_is_refused_with_its_row(editor, settings):
    settings.IMPORT_MAX_CELL_CHARACTERS = 50
    response = preview(editor, "long.xlsx", xlsx([["slug", "name_fr"], ["x", "y" * 51]]), 1)
    assert "ligne 2" in error_of(response) and "50 caractères" in error_of(response)


def test_an_xlsx_that_unpacks_too_large_is_refused_unread(editor, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 100_000
    # Ten cells of 30,000 characters: 300 KB unpacked, a few KB packed.
    content = xlsx([["slug", "name_fr"], ["bombe", *["z" * 30_000] * 10]])
    assert len(content) < 20_000
    response = preview(editor, "bomb.xlsx", content, 1)
    assert "Décompressé, ce fichier dépasserait 0 Mo : il est refusé." in error_of(response)
    assert not Structure.objects.filter(slug="bombe").exists()


def test_rows_beyond_the_declared_size_of_a_sheet_are_read(editor):
    content = xlsx([["slug", "name_fr"], ["un", "Un"], ["deux", "Deux"], ["trois", "Trois"]])
    # Make the sheet claim it holds two rows only.
    source, patched = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:B2"', data)
            target.writestr(item, data)
    response = preview(editor, "dims.xlsx", patched.getvalue(), 1)
    page = response.content.decode()
    for name in ("Un", "Deux", "Trois"):
        assert name in page


def test_a_file_that_is_not_xlsx_gets_a_clear_message(editor):
    response = preview(editor, "fake.xlsx", b"<html>not a workbook</html>", 1)
    assert "pas un fichier XLSX" in error_of(response)


def test_a_row_wider_than_the_header_is_refused(editor):
    response = preview(editor, "wide.csv", b"slug,name_fr\nx,y,surplus\n", 0)
    assert "plus de cellules" in error_of(response)
