"""Production hardening: headers, login throttling, sessions, the admin's address,
two-factor authentication, `check --deploy`."""

import logging
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from .factories import staff
from .processes import process_env

pytestmark = pytest.mark.django_db

BASE = Path(settings.BASE_DIR)
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-key-" + "x" * 40,
    "ALLOWED_HOSTS": "essor.example.org",
    "DATABASE_URL": "sqlite:////nonexistent/never-opened.sqlite3",
}


def production_env(**env):
    """The environment of a production process (nothing the tests themselves set)."""
    return process_env(**PRODUCTION, **env)


def run_django(code, **env):
    """Run `code` in a fresh Django process with these environment variables."""
    environment = production_env(**env)
    # Static files are not collected here: their names need no manifest.
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "settings.STORAGES = {**settings.STORAGES, 'staticfiles': {'BACKEND': "
        "'django.contrib.staticfiles.storage.StaticFilesStorage'}}\n" + code
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE,
        env={**environment, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_check_deploy_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


PRODUCTION_HEADERS = """
from django.test import Client
response = Client(HTTP_HOST="essor.example.org").get("/fr/admin/login/", secure=True)
for name in ("Strict-Transport-Security", "Content-Security-Policy", "Permissions-Policy",
             "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
             "Cross-Origin-Opener-Policy"):
    print(f"{name}: {response.headers.get(name)}")
print("status", response.status_code)
print("redirect", Client(HTTP_HOST="essor.example.org").get(
    "/fr/admin/login/", HTTP_X_FORWARDED_PROTO="https").status_code)
"""


def test_production_headers_are_strict():
    printed = run_django(PRODUCTION_HEADERS)
    headers = dict(line.split(": ", 1) for line in printed.splitlines() if ": " in line)
    assert headers["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "status 200" in printed
    # Without BEHIND_PROXY, a client's own X-Forwarded-Proto does not skip the redirect.
    assert "redirect 301" in printed


def test_behind_a_proxy_its_https_header_is_believed():
    printed = run_django(PRODUCTION_HEADERS, BEHIND_PROXY="1")
    assert "redirect 200" in printed


@pytest.mark.parametrize("path", ["/fr/", "/en/glossary/", "/fr/chiffres-cles/"])
def test_public_pages_carry_the_policy_headers(client, path):
    response = client.get(path)
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_the_admin_address_is_a_setting_and_two_factor_can_be_required():
    code = """
from django.test import Client
client = Client(HTTP_HOST="essor.example.org")
print("moved", client.get("/fr/gestion/login/", secure=True).status_code)
print("old", client.get("/fr/admin/login/", secure=True).status_code)
print("otp", "otp_token" in client.get("/fr/gestion/login/", secure=True).content.decode())
"""
    printed = run_django(code, ADMIN_URL="gestion", STAFF_TWO_FACTOR="1")
    assert "moved 200" in printed and "old 404" in printed and "otp True" in printed
    assert "otp False" in run_django(code.replace("gestion", "admin"))


# --- login throttling ------------------------------------------------------------------


def log_in(client, username, password, address="203.0.113.7", **extra):
    with translation.override("fr"):
        path = reverse("admin:login")
    return client.post(
        path,
        {"username": username, "password": password, "next": "/fr/admin/"},
        REMOTE_ADDR=address,
        **extra,
    )


def test_repeated_wrong_passwords_lock_the_account_from_that_address(
    client, django_user_model, caplog
):
    curator = staff(django_user_model, "Curator")
    caplog.set_level(logging.WARNING, logger="axes")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, curator.username, "wrong").status_code == 200
    assert log_in(client, curator.username, "wrong").status_code == 429
    failures = [r.getMessage() for r in caplog.records if "login failure by" in r.getMessage()]
    assert len(failures) == settings.AXES_FAILURE_LIMIT
    assert "curator" in failures[0] and "203.0.113.7" in failures[0]
    # Then even the right password is refused, with a clear page in French.
    locked = log_in(client, curator.username, "pw")
    assert locked.status_code == 429
    assert "Trop de tentatives" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # From another address, the real curator still signs in.
    assert log_in(Client(), curator.username, "pw", address="198.51.100.2").status_code == 302


def test_a_client_cannot_dodge_the_lockout_with_its_own_address_header(client, django_user_model):
    curator = staff(django_user_model, "Curator")
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, curator.username, "wrong", HTTP_X_REAL_IP=f"192.0.2.{n}")
    assert log_in(client, curator.username, "pw", HTTP_X_REAL_IP="192.0.2.99").status_code == (429)


def test_a_staff_session_lasts_a_working_day_of_inactivity(client, django_user_model):
    curator = staff(django_user_model, "Curator")
    response = log_in(client, curator.username, "pw")
    assert response.status_code == 302
    assert response.cookies["sessionid"]["max-age"] == 8 * 3600
    # Each request renews it: the limit is on inactivity, not on the working day.
    again = client.get("/fr/admin/")
    assert again.cookies["sessionid"]["max-age"] == 8 * 3600


def test_a_body_above_the_limit_is_refused_unread_in_the_visitors_language(
    client, settings, django_user_model
):
    settings.MAX_REQUEST_BYTES = 1_000
    client.force_login(staff(django_user_model, "Editor"))
    big = b"x" * 5_000
    with translation.override("fr"):
        path = reverse("admin:catalogue_structure_import")
    response = client.post(
        path,
        {"format": "0", "resource": "0", "import_file": SimpleUploadedFile("big.csv", big)},
    )
    assert response.status_code == 413
    assert "Fichier trop volumineux" in response.content.decode()
    english = client.post("/en/search/", data=big, content_type="application/octet-stream")
    assert english.status_code == 413 and "File too large" in english.content.decode()
