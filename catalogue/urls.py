from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views
from .feeds import SearchFeed

app_name = "catalogue"
urlpatterns = [
    path(_("search/"), views.search, name="search"),
    path(_("search/feed/"), SearchFeed(), name="search_feed"),
    path(_("embed/"), views.embed, name="embed"),
    path(_("search/export.csv"), views.search_export, {"fmt": "csv"}, name="search_csv"),
    path(_("search/export.json"), views.search_export, {"fmt": "json"}, name="search_json"),
    path(_("structures/<slug:slug>/"), views.StructureDetail.as_view(), name="structure"),
    path(_("practices/<slug:slug>/"), views.PracticeDetail.as_view(), name="practice"),
    path(_("films/"), views.film_list, name="films"),
    path(_("films/<slug:slug>/"), views.FilmDetail.as_view(), name="film"),
    path(_("sources/<slug:slug>/"), views.SourceDetail.as_view(), name="source"),
    path(_("people/<slug:slug>/"), views.PersonDetail.as_view(), name="person"),
    path(_("glossary/"), views.glossary, name="glossary"),
    path(_("figures/"), views.figure_list, name="figures"),
    path(_("figures/<slug:slug>/"), views.FigureDetail.as_view(), name="figure"),
    path(_("methods/<slug:slug>/"), views.MethodDetail.as_view(), name="method"),
    path(_("glossary/<slug:slug>/"), views.TermDetail.as_view(), name="term"),
]

# Pages of the territories and levers apps that list catalogue records: they search
# the catalogue (the levers' index counts their practices by region), so they live
# here (those apps never import catalogue). config/urls.py mounts them in their apps'
# namespaces.
territory_patterns = [
    path("<slug:slug>/", views.territory_detail, name="detail"),
]
lever_patterns = [
    path("", views.lever_list, name="list"),
    path("<int:number>/", views.lever_detail, name="lever"),
    path(_("areas/<slug:slug>/"), views.action_area_detail, name="area"),
]
