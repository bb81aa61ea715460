from django.shortcuts import render

from .models import ActionArea, Lever, Part


def lever_list(request):
    areas = ActionArea.objects.prefetch_related("actions")
    parts = [(label, [a for a in areas if a.part == value]) for value, label in Part.choices]
    return render(
        request, "levers/lever_list.html", {"levers": Lever.objects.all(), "parts": parts}
    )
