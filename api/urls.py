"""/api/v1/: the public, read-only API (api/views.py) and its OpenAPI schema."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views
from .serializers import ENDPOINTS

app_name = "api"
urlpatterns = [
    path("", views.Root.as_view(), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("search/", views.SearchList.as_view(), name="search"),
]
SEARCHED = {model: kind for kind, model in views.ENTRY_MODELS.items()}
for model, (endpoint, _name, lookup) in ENDPOINTS.items():
    if endpoint is None:
        continue
    records = views.record_views(model)
    converter = "int" if lookup == "number" else "slug"
    if model in SEARCHED:  # its list is a search of its kind
        listed = views.search_list(SEARCHED[model]).as_view()
    else:
        listed = records.as_view({"get": "list"})
    urlpatterns += [
        path(f"{endpoint}/", listed, name=f"{endpoint}-list"),
        path(
            f"{endpoint}/<{converter}:{lookup}>/",
            records.as_view({"get": "retrieve"}),
            name=f"{endpoint}-detail",
        ),
    ]
