"""Public pages are valid HTML, as the Nu HTML checker (the W3C's validator) reads them.

Needs Java and vnu.jar from npm (`npm ci`); without them the test is skipped.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

VNU = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
JAVA = shutil.which("java")

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(JAVA is None, reason="Java is not installed"),
    pytest.mark.skipif(not VNU.exists(), reason="the Nu HTML checker is not installed (npm ci)"),
]

PAGES = [
    "/fr/",
    "/en/",
    "/fr/recherche/",
    "/en/search/?q=coop&region=occitanie&page=1",
    "/en/search/?type=bogus&page=abc",
    "/fr/territoires/occitanie/",
    "/en/levers/3/",
    "/fr/leviers/domaines/evaluation/",
    "/en/films/",
    "/en/structures/enercoop/",
    "/fr/glossaire/",
    "/en/glossary/scic/",
    "/fr/personnes/emeline-baume/",
    "/en/practices/fonds-d-amorcage-ess-nantes-factory/",
    "/fr/films/atis-film-de-bonne-pratique-susy/",
    "/fr/chiffres-cles/?region=pays-de-la-loire",
    "/en/figures/scic-registered-count-2020/",
    "/fr/methodes/apes-le-processus-en-sept-etapes/",
    "/en/methods/pluss-les-10-balises/",
    "/en/practices/spaser-des-villes-et-metropoles/",
    "/en/embed/?theme=energy&page=2",
    "/fr/recherche/?lever=3",
    "/en/search/?country=my",
]


def test_public_pages_pass_the_nu_html_checker(client, tmp_path):
    files = {}
    for number, url in enumerate(PAGES):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url
        path = tmp_path / f"page{number}.html"
        path.write_bytes(response.content)
        files[str(path)] = url
    run = subprocess.run(
        [JAVA, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stderr or run.stdout)["messages"]
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'), m.get('url'))}: "
        f"line {m.get('lastLine')}: {m['message']}"
        for m in messages
    ]
    assert not errors, "\n".join(errors)
