from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from catalogue import views as catalogue_views

handler404 = "catalogue.views.page_not_found"
handler500 = "catalogue.views.server_error"

urlpatterns = i18n_patterns(
    path("", catalogue_views.home, name="home"),
    path("admin/", admin.site.urls),
    path("", include("catalogue.urls")),
    path(_("levers/"), include("levers.urls")),
    path(_("territories/"), include("territories.urls")),
    prefix_default_language=True,
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
