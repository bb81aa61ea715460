from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "catalogue"
urlpatterns = [
    path(_("search/"), views.search, name="search"),
    path(_("structures/<slug:slug>/"), views.StructureDetail.as_view(), name="structure"),
    path(_("practices/<slug:slug>/"), views.PracticeDetail.as_view(), name="practice"),
    path(_("films/"), views.film_list, name="films"),
    path(_("films/<slug:slug>/"), views.FilmDetail.as_view(), name="film"),
    path(_("sources/<slug:slug>/"), views.SourceDetail.as_view(), name="source"),
]
