"""The CSV and XLSX files curators import and export, made safe to open and to read.

Exports: a cell a spreadsheet would run as a formula ("=HYPERLINK(...)", "+", "-", "@")
is written with a leading apostrophe, so it shows as text; importing the file back
removes that apostrophe. Imports: a file is refused, with the reason, when it is too
large, has too many rows or too long a cell; an XLSX file is measured unpacked before it
is read, and read to its last row whatever size it declares.
"""

import csv
import io
import zipfile

import tablib
from django.conf import settings
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ImportRefused(ValueError):
    """A file the import will not read; the message says why, in the user's language."""


def limits():
    return (
        settings.IMPORT_MAX_ROWS,
        settings.IMPORT_MAX_CELL_CHARACTERS,
        settings.IMPORT_MAX_UNPACKED_BYTES,
    )


def escaped(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescaped(value):
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def checked_rows(rows):
    """The rows, each cell within the limits; the first row is the header."""
    max_rows, max_cell, _unpacked = limits()
    dataset = tablib.Dataset()
    for number, row in enumerate(rows):
        if number > max_rows:
            raise ImportRefused(
                _("The file has more than %(max)s rows: split it into several files.")
                % {"max": max_rows}
            )
        values = [unescaped(value) for value in row]
        for value in values:
            if isinstance(value, str) and len(value) > max_cell:
                raise ImportRefused(
                    _("Row %(row)s has a cell longer than %(max)s characters.")
                    % {"row": number + 1, "max": max_cell}
                )
        if number == 0:
            dataset.headers = [str(v) if v is not None else "" for v in values]
            continue
        width = len(dataset.headers)
        if any(v not in (None, "") for v in values[width:]):
            raise ImportRefused(
                _("Row %(row)s has more cells than the first row has column names.")
                % {"row": number + 1}
            )
        values = values[:width]
        if any(v not in (None, "") for v in values):
            dataset.append(values + [None] * (width - len(values)))
    return dataset


class SafeCSV(CSV):
    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        return checked_rows(csv.reader(io.StringIO(in_stream.lstrip("\ufeff"))))

    def export_data(self, dataset, **kwargs):
        return super().export_data(escape_dataset(dataset), **kwargs)


class SafeXLSX(XLSX):
    def create_dataset(self, in_stream):
        import openpyxl

        _rows, _cell, max_unpacked = limits()
        try:
            archive = zipfile.ZipFile(io.BytesIO(in_stream))
        except zipfile.BadZipFile:
            raise ImportRefused(_("This is not an XLSX file.")) from None
        if sum(member.file_size for member in archive.infolist()) > max_unpacked:
            raise ImportRefused(
                _("Unpacked, this file would take more than %(max)s MB: it is refused.")
                % {"max": max_unpacked // 1_000_000}
            )
        book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        sheet = book.active
        # The size a sheet declares may be wrong: read every row it holds.
        sheet.reset_dimensions()
        return checked_rows(tuple(cell.value for cell in row) for row in sheet.rows)

    def export_data(self, dataset, **kwargs):
        return super().export_data(escape_dataset(dataset), **kwargs)


def escape_dataset(dataset):
    safe = tablib.Dataset(headers=dataset.headers)
    for row in dataset:
        safe.append([escaped(value) for value in row])
    return safe
