from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "levers"
urlpatterns = [
    path("", views.lever_list, name="list"),
    path("<int:number>/", views.LeverDetail.as_view(), name="lever"),
    path(_("areas/<slug:slug>/"), views.ActionAreaDetail.as_view(), name="area"),
]
