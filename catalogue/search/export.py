"""Every result of a search, as a CSV or JSON download, streamed: the results are read in
chunks along the name index (keyset pagination), so memory stays the same for 100 or
100,000 rows. Cells a spreadsheet would run as formulas are escaped."""

import csv
import io
import json

from core.spreadsheets import escaped

from ..models import EntryKind
from . import cards, engine

CHUNK = 2_000
COLUMNS = ["type", "title", "address", "place", "themes", "text"]


def results(search, language, absolute):
    """Each result as a dict of COLUMNS, in name order, chunk by chunk."""
    key = f"sort_{language}"
    labels = engine.theme_labels(search.facets, language)
    kinds = dict(EntryKind.choices)
    entries = search.entries(search.all).order_by(key, "pk")
    last = None
    while True:
        chunk = entries
        if last is not None:
            chunk = chunk.filter(engine.after_name(key, *last))
        rows = list(chunk.values_list("pk", "kind", "object_id", "tags", key)[:CHUNK])
        if not rows:
            return
        last = (rows[-1][4], rows[-1][0])
        for card in cards.build([row[:4] for row in rows], language, labels):
            yield {
                "type": str(kinds[card.kind]),
                "title": card.title,
                "address": absolute(card.url),
                "place": card.place,
                "themes": " | ".join(card.themes),
                "text": card.text,
            }


def as_csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    yield "\ufeff" + buffer.getvalue()  # a BOM: spreadsheets then read UTF-8
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([escaped(row[c]) for c in COLUMNS])
        yield buffer.getvalue()


def as_json(rows):
    yield "["
    for number, row in enumerate(rows):
        yield ("," if number else "") + "\n" + json.dumps(row, ensure_ascii=False)
    yield "\n]\n"
