"""End to end in headless Chromium: what a visitor does, and axe-core on the main pages.

Needs Debian's chromium (.ci/run installs it) and axe-core from npm (`npm ci`); without
them these tests are skipped, with the reason.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian's chromium is not installed"),
]

# Playwright's sync API runs an event loop in this thread; the test's own database
# calls are still synchronous, so Django may allow them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="module")
def browser(server_url):
    # Depends on the server so that it closes first: its keep-alive connections end
    # and the server's threads release their database connections.
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server_url):
    context = browser.new_context(base_url=server_url)
    page = context.new_page()
    yield page
    context.close()


def test_search_filter_paginate_and_open_a_practice(page):
    page.goto("/en/")
    page.get_by_label("Search the catalogue").fill("ecossolies")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/en/search/?q=ecossolies")
    assert page.locator(".card").count() > 0
    assert "Ecossolies" in page.locator(".results").inner_text()

    page.goto("/en/search/")
    page.get_by_label("Type of record").select_option("practice")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**type=practice**")
    page.get_by_role("link", name="Next page").click()
    page.wait_for_url("**page=2**")
    assert page.get_by_label("Type of record").input_value() == "practice"
    page.locator(".card h3 a").first.click()
    assert page.locator("h1").inner_text()
    assert page.get_by_role("heading", name="Where this comes from").is_visible()


def test_region_filter_keeps_former_regions(page):
    page.goto("/fr/recherche/")
    page.get_by_label("Région", exact=True).select_option("occitanie")
    page.get_by_label("Type de fiche").select_option("structure")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**region=occitanie**")
    text = page.locator(".results").inner_text()
    assert "Enercoop" in text


def test_language_switch_keeps_the_page(page):
    page.goto("/fr/structures/enercoop/")
    assert page.locator("html").get_attribute("lang") == "fr"
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/structures/enercoop/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Enercoop"
    assert page.get_by_role("heading", name="Where this comes from").is_visible()


@pytest.mark.parametrize(
    "path", ["/en/", "/fr/recherche/?q=coop", "/fr/territoires/occitanie/", "/fr/glossaire/"]
)
def test_pages_request_no_missing_file(page, path):
    """Every file a page asks for exists (the stylesheet, the icon...)."""
    failed = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else 0)
    page.goto(path)
    page.wait_for_load_state("networkidle")
    assert not failed, failed


def test_keyboard_user_can_skip_to_content(page):
    page.goto("/en/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url("**#content")


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci)")
@pytest.mark.parametrize(
    "path",
    [
        "/fr/",
        "/en/",
        "/fr/recherche/?region=occitanie",
        "/en/search/?q=energy&type=practice",
        "/en/structures/enercoop/",
        "/fr/territoires/occitanie/",
        "/en/levers/3/",
        "/en/films/",
        "/en/glossary/",
        "/fr/glossaire/esus/",
        "/en/people/emeline-baume/",
        "/fr/chiffres-cles/",
        "/en/figures/scic-registered-count-2020/",
        "/fr/methodes/apes-le-processus-en-sept-etapes/",
        "/fr/integrer/?region=occitanie",
    ],
)
def test_main_pages_have_no_serious_accessibility_violation(browser, server_url, path):
    serious = serious_violations(browser, server_url, path)
    assert not serious, "\n".join(serious)


@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed (npm ci)")
@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize(
    "path", ["/fr/", "/fr/recherche/?lever=3", "/en/search/?region=occitanie",
             "/en/search/?country=my", "/fr/territoires/occitanie/"],
)  # fmt: skip
def test_pages_with_maps_have_no_serious_violation_on_phones_and_desktops(
    browser, server_url, path, width
):
    serious = serious_violations(browser, server_url, path, width)
    assert not serious, "\n".join(serious)


def serious_violations(browser, server_url, path, width=1280):
    # axe-core is injected as an inline script, which the site's policy refuses.
    context = browser.new_context(
        base_url=server_url, bypass_csp=True, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.goto(path)
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})"
    )
    context.close()
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in {"serious", "critical"}
    ]


def test_no_page_breaks_the_content_security_policy(page, django_db_blocker):
    """Public pages and the admin's tabbed forms run under the strict policy: the
    browser refuses nothing (an inline script or style would be refused and logged)."""
    from django.contrib.auth import get_user_model

    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else 0)
    with django_db_blocker.unblock():
        user = get_user_model().objects.create_superuser("csp", "csp@example.org", "pw-csp-1")
    try:
        for path in ["/fr/", "/en/figures/", "/fr/methodes/apes-le-processus-en-sept-etapes/"]:
            page.goto(path)
        page.goto("/fr/admin/login/")
        page.fill("#id_username", "csp")
        page.fill("#id_password", "pw-csp-1")
        page.click("input[type=submit]")
        page.wait_for_url("**/fr/admin/")
        page.goto("/fr/admin/catalogue/structure/?q=enercoop")
        page.get_by_role("link", name="Enercoop", exact=True).first.click()
        page.wait_for_load_state("networkidle")
        # The French and English tabs of django-modeltranslation are built by script.
        assert page.locator(".ui-tabs-nav").count() > 0
    finally:
        with django_db_blocker.unblock():
            user.delete()
            if connections["default"].vendor != "sqlite":
                # Not left open: the test database is dropped at the end of the session.
                connections["default"].close()
    assert not refused, refused


def test_the_api_documentation_works_under_the_policy_and_asks_no_other_site(page, server_url):
    refused, elsewhere = [], []
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else 0)
    page.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith(
        (server_url, "data:")) else 0)  # fmt: skip
    page.goto("/api/v1/docs/")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 25
    # Try it out: the search answers in the page.
    page.locator("#operations-search-search .opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    status.wait_for()
    assert "200" in status.inner_text()
    assert not refused, refused
    assert not elsewhere, elsewhere


def test_a_printed_page_keeps_the_content_and_its_sources_not_the_navigation(page):
    page.emulate_media(media="print")
    page.goto("/fr/pratiques/fonds-d-amorcage-ess-nantes-factory/")
    assert not page.locator(".site-header nav").first.is_visible()
    assert page.locator(".provenance").is_visible()
    address = page.evaluate(
        "getComputedStyle(document.querySelector('main .facts a'), '::after').content"
    )
    assert "/fr/territoires/" in address  # each link is followed by its address
    assert "Imprimé depuis http" in page.locator(".print-only").inner_text()
    page.goto("/fr/recherche/?lever=3")
    assert not page.locator(".filters").is_visible()
    assert page.locator(".cards").is_visible() and page.locator(".map svg").first.is_visible()
