"""What every page's footer says about reusing the data."""

from django.conf import settings
from django.core.files.storage import default_storage

from .management.commands.export_open_data import CACHE_KEY

PACKAGE = "open-data/datapackage.json"


def open_data(request):
    from django.core.cache import cache

    exists = cache.get(CACHE_KEY)
    if exists is None:
        exists = default_storage.exists(PACKAGE)
        cache.set(CACHE_KEY, exists, 600)
    return {
        "data_licence": settings.DATA_LICENCE,
        "open_data_url": default_storage.url(PACKAGE) if exists else "",
    }
