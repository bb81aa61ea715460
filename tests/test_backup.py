"""The backup and restore drill: back up a catalogue, restore it into an empty database
and media folder, and find every record, file and page again."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import pytest
from django.conf import settings
from django.db import connection

from .processes import process_env

BASE = Path(settings.BASE_DIR)

COUNTS = """
import json
from django.apps import apps
print(json.dumps({m._meta.label: m._default_manager.count() for m in apps.get_models()
                  if not m._meta.proxy}))
"""
SERVES = """
from django.test import Client
client = Client(HTTP_HOST="127.0.0.1")
for path in ("/fr/", "/en/structures/enercoop/", "/fr/recherche/?q=SCIC", "/en/figures/"):
    assert client.get(path).status_code == 200, path
print("served")
"""


class Databases:
    """Two empty scratch databases of the engine the suite runs on."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.postgres = connection.vendor == "postgresql"
        self.names = [f"essor_drill_{uuid.uuid4().hex[:8]}_{n}" for n in ("from", "into")]
        if self.postgres:
            self.server = dj_database_url.parse(os.environ["DATABASE_URL"])
            self.admin([f"CREATE DATABASE {n}" for n in self.names])

    def admin(self, statements):
        import psycopg

        with psycopg.connect(
            dbname="postgres",
            host=self.server["HOST"],
            port=self.server["PORT"] or 5432,
            user=self.server["USER"],
            autocommit=True,
        ) as admin:
            for statement in statements:
                admin.execute(statement)

    def url(self, index):
        name = self.names[index]
        if not self.postgres:
            return f"sqlite:///{self.tmp_path / name}.sqlite3"
        host, port, user = self.server["HOST"], self.server["PORT"] or 5432, self.server["USER"]
        return f"postgres://{user}@{host}:{port}/{name}"

    def drop(self):
        if self.postgres:
            self.admin([f"DROP DATABASE IF EXISTS {n} WITH (FORCE)" for n in self.names])


@pytest.fixture
def databases(tmp_path):
    found = Databases(tmp_path)
    yield found
    found.drop()


def manage(env, *args, code=None):
    command = [sys.executable, "manage.py", *args]
    if code is not None:
        command = [sys.executable, "manage.py", "shell", "-c", code]
    result = subprocess.run(command, cwd=BASE, env=env, capture_output=True, text=True,
                            timeout=600)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


def test_a_backup_restores_every_record_file_and_page(databases, tmp_path):
    base_env = process_env(BACKUP_DIR=str(tmp_path / "backups"))
    source = {**base_env, "DATABASE_URL": databases.url(0), "MEDIA_ROOT": str(tmp_path / "m1")}
    target = {**base_env, "DATABASE_URL": databases.url(1), "MEDIA_ROOT": str(tmp_path / "m2")}
    logo = Path(source["MEDIA_ROOT"]) / "logos" / "enercoop.png"
    logo.parent.mkdir(parents=True)
    logo.write_bytes(b"\x89PNG\r\n\x1a\n" + b"pixels" * 100)

    manage(source, "migrate", "--no-input", "-v0")
    manage(source, "load_seeds", "-v0")
    before = json.loads(manage(source, code=COUNTS))
    manage(source, "dbbackup", "--compress", "-q")
    manage(source, "mediabackup", "--compress", "-q")
    names = [path.name for path in (tmp_path / "backups").iterdir()]
    assert any(n.startswith("default-") for n in names) and any(".tar" in n for n in names)

    manage(target, "dbrestore", "--noinput", "--uncompress", "-q")
    manage(target, "mediarestore", "--noinput", "--uncompress", "-q")
    after = json.loads(manage(target, code=COUNTS))
    assert after == before
    assert before["catalogue.Structure"] > 200 and before["catalogue.SearchEntry"] > 500
    restored = Path(target["MEDIA_ROOT"]) / "logos" / "enercoop.png"
    assert restored.read_bytes() == logo.read_bytes()
    assert "served" in manage(target, code=SERVES)
