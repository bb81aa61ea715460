from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from catalogue import urls as catalogue_urls
from catalogue import views as catalogue_views
from catalogue.sitemaps import SITEMAPS
from core.health import health

if settings.STAFF_TWO_FACTOR:
    # Staff then sign in with their password and a code from their authenticator app.
    from django_otp.admin import OTPAdminSite

    admin.site.__class__ = OTPAdminSite

handler404 = "catalogue.views.page_not_found"
handler500 = "catalogue.views.server_error"

urlpatterns = [
    # For load balancers: no language prefix, no redirect (core/health.py).
    path("healthz", health, name="healthz"),
    # For search engines: every page in both languages, and where not to crawl.
    path("sitemap.xml", sitemap_views.index, {"sitemaps": SITEMAPS}, name="sitemap_index"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path("robots.txt", catalogue_views.robots_txt, name="robots"),
    # For reusers: JSON in both languages at once, so no language prefix (api/).
    path("api/v1/", include("api.urls")),
]
urlpatterns += i18n_patterns(
    path("", catalogue_views.home, name="home"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("catalogue.urls")),
    path(
        _("levers/"),
        include((catalogue_urls.lever_patterns, "levers")),
    ),
    path(_("territories/"), include((catalogue_urls.territory_patterns, "territories"))),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
