import pytest
from django.contrib.staticfiles.handlers import StaticFilesHandler
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.test.testcases import LiveServerThread


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the seed content, loaded once per session."""
    with django_db_blocker.unblock():
        call_command("load_seeds", verbosity=0)


@pytest.fixture(autouse=True)
def empty_cache(settings):
    """Each test's database changes are rolled back; its cached pages must go too. Tests
    read each page's context, so whole pages are not cached (tests/test_page_cache.py
    turns it on)."""
    cache.clear()
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    # Tests send many API requests from one address (tests/test_api.py tests the rate).
    settings.API_RATE = "100000/min"


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture(scope="module")
def server_url(django_db_setup, django_db_blocker):
    """A live server on the session's test database, which already holds the seeds.

    pytest-django's live_server would empty the database after each test; these tests
    only read, so they share one server and one load of the seeds.
    """
    with django_db_blocker.unblock():
        # An in-memory SQLite database must be shared with the server's thread.
        shared = {
            conn.alias: conn
            for conn in connections.all()
            if conn.vendor == "sqlite" and conn.is_in_memory_db()
        }
        for conn in shared.values():
            conn.inc_thread_sharing()
        thread = LiveServerThread("localhost", StaticFilesHandler, connections_override=shared)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        yield f"http://localhost:{thread.port}"
        thread.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()
