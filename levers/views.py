from django.db.models import Prefetch
from django.shortcuts import render
from django.views.generic import DetailView

from catalogue.models import Practice

from .models import ActionArea, Lever, Part


def published_practices():
    return Prefetch(
        "practices",
        queryset=Practice.objects.published().select_related("territory"),
    )


def lever_list(request):
    areas = ActionArea.objects.prefetch_related("actions")
    parts = [(label, [a for a in areas if a.part == value]) for value, label in Part.choices]
    return render(
        request, "levers/lever_list.html", {"levers": Lever.objects.all(), "parts": parts}
    )


class LeverDetail(DetailView):
    model = Lever
    slug_field = slug_url_kwarg = "number"

    def get_queryset(self):
        return Lever.objects.prefetch_related(published_practices(), "citations__source")


class ActionAreaDetail(DetailView):
    model = ActionArea

    def get_queryset(self):
        return ActionArea.objects.prefetch_related(
            "actions", published_practices(), "citations__source"
        )
