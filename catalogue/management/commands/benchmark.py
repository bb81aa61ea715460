"""Print the SQL query count and response time of the main public pages.

Runs against the current database (load the seeds first): `make benchmark`.
"""

import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from catalogue.models import Film, Practice, Structure


class Command(BaseCommand):
    help = "Print query counts and timings of the main public pages."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)

    def pages(self):
        with translation.override("fr"):
            details = [
                Model.objects.published().order_by("pk").first()
                for Model in (Structure, Practice, Film)
            ]
            yield from (obj.get_absolute_url() for obj in details if obj)
        yield from [
            "/fr/",
            "/en/",
            "/fr/recherche/",
            "/en/search/?q=cooperative",
            "/fr/recherche/?q=ecossolies",
            "/fr/recherche/?region=occitanie&type=structure",
            "/en/search/?theme=circular-economy&status=form-scic&sort=year&page=1",
            "/fr/territoires/occitanie/",
            "/en/levers/3/",
            "/en/films/",
        ]

    def handle(self, *args, **options):
        client = Client(HTTP_HOST="127.0.0.1")
        self.stdout.write(f"database: {connection.vendor}, runs per page: {options['runs']}")
        self.stdout.write(f"{'page':<70} {'status':>6} {'queries':>7} {'median ms':>9}")
        for url in self.pages():
            timings = []
            reset_queries()  # the query log is capped; start each page from empty
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            for _ in range(options["runs"]):
                start = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            self.stdout.write(
                f"{url:<70} {response.status_code:>6} {len(queries):>7} "
                f"{statistics.median(timings):>9.1f}"
            )
