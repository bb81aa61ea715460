"""`make loadtest`: many visitors at once against the production setup, with figures.

Builds (once) a database of the seeds plus N generated records, starts gunicorn with
production settings on a loopback port, and has C clients browse it for S seconds:
home pages, searches (rare and common words, filters, later pages), record pages and
the figures page. Prints requests per second, p50/p95/p99 (all requests, and searches
only) and the errors. Everything stays on 127.0.0.1.
"""

import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

WORDS = ["cooperative", "solidaire", "energie", "insertion", "scic", "alimentation",
         "economie", "territoire", "emploi", "quartiers", "tiers lieu", "monnaie"]  # fmt: skip
FILTERS = [{"region": "occitanie"}, {"theme": "energy"}, {"type": "practice"},
           {"status": "form-scic"}, {"lever": "3"},
           {"region": "grand-est", "type": "structure"}]  # fmt: skip
PAGES = ["/fr/", "/en/", "/fr/chiffres-cles/", "/en/glossary/", "/en/structures/enercoop/",
         "/fr/pratiques/fonds-d-amorcage-ess-nantes-factory/", "/en/films/",
         "/fr/territoires/occitanie/", "/en/levers/3/"]  # fmt: skip


def a_request(rng):
    """(kind, path) of one visit: half are searches, as on the live site."""
    if rng.random() < 0.5:
        lang, path = rng.choice([("fr", "/fr/recherche/"), ("en", "/en/search/")])
        params = {}
        if rng.random() < 0.7:
            params["q"] = rng.choice(WORDS)
        if rng.random() < 0.5:
            params.update(rng.choice(FILTERS))
        if rng.random() < 0.2:
            params["page"] = rng.randint(2, 5)
        return "search", f"{path}?{urlencode(params)}"
    return "page", rng.choice(PAGES)


def percentile(values, share):
    if not values:
        return 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


class Command(BaseCommand):
    help = "Load the production setup with concurrent clients and print the figures."

    def add_arguments(self, parser):
        parser.add_argument("--records", type=int, default=100_000)
        parser.add_argument("--clients", type=int, default=50)
        parser.add_argument("--seconds", type=int, default=60)
        parser.add_argument(
            "--database-url",
            default=os.environ.get("LOADTEST_DATABASE_URL", ""),
            help="the database to build and load (default: essor_loadtest on the PostgreSQL "
            "server of DATABASE_URL, else loadtest.sqlite3)",
        )

    def handle(self, *args, **options):
        url = options["database_url"] or self.default_database()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "false",
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "loadtest-" + "l" * 50,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "false",
            "STATIC_ROOT": str(Path(tempfile.gettempdir()) / "essor-loadtest-static"),
        }
        self.prepare(env, options["records"])
        port = self.free_port()
        server = subprocess.Popen(
            [Path(sys.executable).parent / "gunicorn", "config.wsgi",
             "-c", "deploy/gunicorn.conf.py", "--access-logfile", "/dev/null"],
            cwd=settings.BASE_DIR, env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
        )  # fmt: skip
        try:
            self.wait_until_up(port, server)
            results = self.load(port, options["clients"], options["seconds"])
        finally:
            server.terminate()
            server.wait(timeout=30)
        self.report(results, options)

    def default_database(self):
        current = settings.DATABASES["default"]
        if current["ENGINE"].endswith("postgresql"):
            base = dj_database_url.parse(os.environ.get("DATABASE_URL", ""))
            port = base.get("PORT") or 5432
            return f"postgres://{base['USER']}@{base['HOST']}:{port}/essor_loadtest"
        return f"sqlite:///{Path(settings.BASE_DIR) / 'loadtest.sqlite3'}"

    def manage(self, env, *command):
        subprocess.run([sys.executable, "manage.py", *command], cwd=settings.BASE_DIR, env=env,
                       check=True)  # fmt: skip

    def prepare(self, env, records):
        if env["DATABASE_URL"].startswith("postgres"):
            config = dj_database_url.parse(env["DATABASE_URL"])
            subprocess.run(
                [
                    "createdb",
                    "-h",
                    config["HOST"],
                    "-p",
                    str(config["PORT"] or 5432),
                    "-U",
                    config["USER"],
                    config["NAME"],
                ],
                capture_output=True,
            )  # fmt: skip  (already there: fine)
        self.manage(env, "migrate", "--no-input", "-v0")
        self.manage(env, "load_seeds", "-v0")
        count = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c",
             "from catalogue.models import SearchEntry; "
             "print(SearchEntry.objects.filter(kind__in=['practice','structure','film']).count())"],
            cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=True,
        ).stdout.split()[-1]  # fmt: skip
        missing = records - int(count)
        if missing > 0:
            self.stdout.write(f"Generating {missing:,} records (once)...")
            self.manage(env, "generate_catalogue", "--records", str(missing), "--seed", "1")
        self.manage(env, "collectstatic", "--no-input", "-v0")

    def free_port(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]

    def wait_until_up(self, port, server):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError("gunicorn stopped: see its messages above.")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                connection.request("GET", "/healthz", headers={"Host": "127.0.0.1"})
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.3)
        raise CommandError("gunicorn did not answer /healthz within a minute.")

    def load(self, port, clients, seconds):
        results = []  # (kind, seconds, status or error)
        lock = threading.Lock()
        stop = time.monotonic() + seconds

        def client(number):
            rng = random.Random(number)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine = []
            while time.monotonic() < stop:
                kind, path = a_request(rng)
                start = time.perf_counter()
                try:
                    connection.request("GET", path, headers={"Host": "127.0.0.1"})
                    response = connection.getresponse()
                    response.read()
                    outcome = response.status
                except (OSError, http.client.HTTPException) as error:
                    outcome = type(error).__name__
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                mine.append((kind, time.perf_counter() - start, outcome))
            with lock:
                results.extend(mine)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return results

    def report(self, results, options):
        seconds = options["seconds"]
        errors = [r for r in results if not (isinstance(r[2], int) and r[2] < 400)]
        self.stdout.write(
            f"\n{options['clients']} clients for {seconds} s, "
            f"{options['records']:,} generated records, {os.cpu_count()} cores\n"
        )
        self.stdout.write(f"{'requests':<18}{'count':>8}{'req/s':>8}{'p50 ms':>9}"
                          f"{'p95 ms':>9}{'p99 ms':>9}")  # fmt: skip
        for label, kinds in (("all", {"search", "page"}), ("searches", {"search"}),
                             ("other pages", {"page"})):  # fmt: skip
            times = [r[1] * 1000 for r in results if r[0] in kinds]
            self.stdout.write(
                f"{label:<18}{len(times):>8}{len(times) / seconds:>8.1f}"
                f"{percentile(times, 0.50):>9.0f}{percentile(times, 0.95):>9.0f}"
                f"{percentile(times, 0.99):>9.0f}"
            )
        outcomes = sorted({str(r[2]) for r in errors})
        self.stdout.write(
            f"errors: {len(errors)}" + (f" ({', '.join(outcomes)})" if errors else "")
        )
