import pytest
from django.core.cache import cache
from django.core.management import call_command


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


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "pw")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client
