"""GIN indexes on the stored search vectors, on PostgreSQL only.

They are created here rather than in Meta.indexes because SQLite, the embedded
default, has no GIN indexes; on SQLite this migration does nothing.
"""

from django.db import migrations

TABLES = ["catalogue_structure", "catalogue_practice", "catalogue_film"]
LANGUAGES = ["fr", "en"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        for lang in LANGUAGES:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_search_{lang}_gin "
                f"ON {table} USING gin (search_{lang})"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        for lang in LANGUAGES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_{lang}_gin")


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
