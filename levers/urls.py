from django.urls import path

from . import views

# Mounted by config/urls.py in the "levers" namespace, with the lever and action area
# pages that catalogue serves.
urlpatterns = [
    path("", views.lever_list, name="list"),
]
