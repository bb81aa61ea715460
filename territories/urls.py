from django.urls import path

from . import views

app_name = "territories"
urlpatterns = [
    path("<slug:slug>/", views.TerritoryDetail.as_view(), name="detail"),
]
