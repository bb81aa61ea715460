"""The database indexes the search entries' text itself, so no code path can forget to.

PostgreSQL: text search configurations `essor_fr` and `essor_en` (French and English
stemming after `unaccent`), a trigger that fills `document` from the sort keys
(weight A: the name) and the texts (weight B) on every insert and update, and a GIN
index on it, and a GIN index on the entry's tags as an array (several filters are then
intersected inside the index, and facet counts unnest the matching entries' own tags).
SQLite: an FTS5 table over the same four columns (diacritics removed,
Porter stemming, bm25 ranking) kept in step by triggers. Each branch does nothing on
the other database.

On SQLite, Django alters a table by copying it into a new one, which drops its
triggers: a later migration that alters catalogue_searchentry must create them again.
"""

from django.contrib.postgres.operations import UnaccentExtension
from django.db import migrations

TABLE = "catalogue_searchentry"
FTS = "catalogue_searchentry_fts"
COLUMNS = "sort_fr, sort_en, text_fr, text_en"

POSTGRES = f"""
CREATE TEXT SEARCH CONFIGURATION essor_fr (COPY = french);
ALTER TEXT SEARCH CONFIGURATION essor_fr
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
CREATE TEXT SEARCH CONFIGURATION essor_en (COPY = english);
ALTER TEXT SEARCH CONFIGURATION essor_en
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE FUNCTION {TABLE}_document() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.document :=
        setweight(to_tsvector('essor_fr', NEW.sort_fr), 'A') ||
        setweight(to_tsvector('essor_en', NEW.sort_en), 'A') ||
        setweight(to_tsvector('essor_fr', NEW.text_fr), 'B') ||
        setweight(to_tsvector('essor_en', NEW.text_en), 'B');
    RETURN NEW;
END $$;
CREATE TRIGGER {TABLE}_document BEFORE INSERT OR UPDATE OF {COLUMNS} ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_document();
CREATE INDEX {TABLE}_document_gin ON {TABLE} USING gin (document);
CREATE INDEX {TABLE}_tags_gin ON {TABLE} USING gin ((string_to_array(tags, ' ')));
"""
POSTGRES_UNDO = f"""
DROP INDEX IF EXISTS {TABLE}_tags_gin;
DROP INDEX IF EXISTS {TABLE}_document_gin;
DROP TRIGGER IF EXISTS {TABLE}_document ON {TABLE};
DROP FUNCTION IF EXISTS {TABLE}_document();
DROP TEXT SEARCH CONFIGURATION IF EXISTS essor_fr;
DROP TEXT SEARCH CONFIGURATION IF EXISTS essor_en;
"""

SQLITE = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5({COLUMNS}, content='{TABLE}', content_rowid='id',"
    " tokenize='porter unicode61 remove_diacritics 2')",
    f"CREATE TRIGGER {FTS}_insert AFTER INSERT ON {TABLE} BEGIN"
    f" INSERT INTO {FTS}(rowid, {COLUMNS})"
    " VALUES (new.id, new.sort_fr, new.sort_en, new.text_fr, new.text_en); END",
    f"CREATE TRIGGER {FTS}_delete AFTER DELETE ON {TABLE} BEGIN"
    f" INSERT INTO {FTS}({FTS}, rowid, {COLUMNS})"
    " VALUES ('delete', old.id, old.sort_fr, old.sort_en, old.text_fr, old.text_en); END",
    f"CREATE TRIGGER {FTS}_update AFTER UPDATE ON {TABLE} BEGIN"
    f" INSERT INTO {FTS}({FTS}, rowid, {COLUMNS})"
    " VALUES ('delete', old.id, old.sort_fr, old.sort_en, old.text_fr, old.text_en);"
    f" INSERT INTO {FTS}(rowid, {COLUMNS})"
    " VALUES (new.id, new.sort_fr, new.sort_en, new.text_fr, new.text_en); END",
]
SQLITE_UNDO = [
    f"DROP TRIGGER IF EXISTS {FTS}_{name}" for name in ("insert", "delete", "update")
] + [f"DROP TABLE IF EXISTS {FTS}"]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES)
    elif vendor == "sqlite":
        for statement in SQLITE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_UNDO)
    elif vendor == "sqlite":
        for statement in SQLITE_UNDO:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0004_search_entries")]

    operations = [
        UnaccentExtension(),  # does nothing on SQLite
        migrations.RunPython(create, drop),
    ]
