"""Rewrite every search entry from the records: `manage.py rebuild_search_index`.

The entries are kept right on every change; this is for after a bulk change made
outside the ORM's signals, or to check. It is idempotent and runs in one transaction,
so visitors keep searching the old entries until it commits. `--if-stale` only
rebuilds when the number of entries of some kind differs from its public records
(what `make run` uses after migrating an existing database).
"""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from catalogue.models import EntryTag, SearchEntry, TagCount
from catalogue.search import index


class Command(BaseCommand):
    help = "Rewrite every search entry from the published records."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-stale",
            action="store_true",
            help="Only rebuild when some kind's entries do not match its public records.",
        )

    def handle(self, *args, **options):
        if options["if_stale"]:
            stale = index.stale_kinds()
            if not stale:
                self.stdout.write("Search index up to date.")
                return
            self.stdout.write(f"Search index out of date for: {', '.join(stale)}.")
        start = time.perf_counter()

        def progress(kind, total):
            if options["verbosity"] > 1:
                self.stdout.write(f"  {total} entries ({kind})")

        total = index.rebuild(progress=progress)
        seconds = time.perf_counter() - start
        self.stdout.write(f"Search index rebuilt: {total} entries in {seconds:.1f} s.")
        # Fresh statistics (and visibility maps on PostgreSQL): the search's plans rely
        # on them; SQLite without them reads a large tag's entries instead of its indexes.
        tables = [m._meta.db_table for m in (SearchEntry, EntryTag, TagCount)]
        # VACUUM cannot run inside a transaction (a caller's, or a test's): ANALYZE can.
        verb = "ANALYZE"
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            verb = "VACUUM ANALYZE"
        with connection.cursor() as cursor:
            for table in tables if connection.vendor == "sqlite" else [", ".join(tables)]:
                cursor.execute(f"{verb} {table}")
        self.stdout.write(f"Planner statistics updated ({verb}).")
