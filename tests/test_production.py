"""Running in production: the health endpoint, time limits, long addresses."""

import json
import logging
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from .processes import free_port, process_env

pytestmark = pytest.mark.django_db
BASE = Path(settings.BASE_DIR)


def test_healthz_says_the_database_cache_and_migrations_are_fine(client):
    response = client.get("/healthz", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert set(response.json().values()) == {"OK"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_fails_while_migrations_are_pending(client, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: ["pending"])
    response = client.get("/healthz", HTTP_ACCEPT="application/json")
    assert response.status_code == 500
    assert "migrations are not all applied" in response.content.decode()


@pytest.mark.parametrize(("language", "says"), [("fr", "Adresse trop longue"),
                                                 ("en", "Address too long")])  # fmt: skip
def test_a_long_unprefixed_address_gets_a_400_page_not_a_traceback(client, caplog, language, says):
    caplog.set_level(logging.ERROR)
    response = client.get("/recherche/", {"q": "x" * 17_000}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    # A normal one is still redirected to its language.
    assert client.get("/recherche/", {"q": "coop"}).status_code == 302


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL statement timeout")
@pytest.mark.parametrize(("path", "says"), [("/fr/", "Le catalogue est très sollicité"),
                                            ("/en/", "The catalogue is busy")])  # fmt: skip
def test_a_public_page_over_the_time_limit_gets_a_503_page(
    client, settings, monkeypatch, path, says
):
    settings.PUBLIC_STATEMENT_TIMEOUT_MS = 50
    from catalogue import views

    def slow(lang):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(1)")

    monkeypatch.setattr(views, "home_context", slow)
    response = client.get(path)
    assert response.status_code == 503
    assert says in response.content.decode()


def test_the_production_setup_really_starts(tmp_path):
    """What `make serve` runs: collectstatic, migrate and gunicorn, DEBUG off."""
    port = free_port()
    env = process_env(**{
        "DEBUG": "false",
        "SECRET_KEY": "production-like-key-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "2",
    })  # fmt: skip
    python = Path(sys.executable)
    for command in (["collectstatic", "--no-input", "-v0"], ["migrate", "--no-input", "-v0"]):
        subprocess.run([python, "manage.py", *command], cwd=BASE, env=env, check=True,
                       timeout=300)  # fmt: skip
    server = subprocess.Popen(
        [python.parent / "gunicorn", "config.wsgi", "-c", "deploy/gunicorn.conf.py"],
        cwd=BASE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urlopen(f"{base}/healthz?format=json", timeout=5) as response:
                    assert json.load(response) and response.status == 200
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        with urlopen(f"{base}/fr/", timeout=10) as response:
            page = response.read().decode()
            assert "ESSor" in page
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        stylesheet = re.search(r'href="(/static/css/essor\.[0-9a-f]+\.css)"', page).group(1)
        with urlopen(base + stylesheet, timeout=10) as response:  # hashed, compressed
            assert response.status == 200
            assert "immutable" in response.headers["Cache-Control"]
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_load_test_runs_and_reports_its_figures(tmp_path):
    """`make loadtest` at toy size: it builds its database, starts gunicorn, loads it
    and prints the figures (the real run is 50 clients, 60 s, 100,000 records)."""
    env = process_env()
    result = subprocess.run(
        [sys.executable, "manage.py", "loadtest", "--records", "0", "--clients", "3",
         "--seconds", "3", "--database-url", f"sqlite:///{tmp_path / 'load.sqlite3'}"],
        cwd=BASE, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    figures = re.search(r"^searches\s+(\d+)\s+[\d.]+\s+(\d+)\s+(\d+)\s+(\d+)", result.stdout, re.M)
    assert figures and int(figures.group(1)) > 0, result.stdout
    assert "errors: 0" in result.stdout
