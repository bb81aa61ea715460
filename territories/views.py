from django.db.models import Q
from django.views.generic import DetailView

from catalogue.models import Film, Practice, Structure

from .models import Territory


class TerritoryDetail(DetailView):
    """A territory and everything located in it (lower levels and merged regions)."""

    model = Territory

    def get_queryset(self):
        return Territory.objects.select_related("parent")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        territory = self.object
        within = {"territory__path__startswith": territory.path}
        context.update(
            ancestors=territory.ancestors(),
            children=territory.children.all(),
            practices=Practice.objects.published().for_list().filter(**within),
            structures=Structure.objects.published().for_list().filter(**within),
            films=Film.objects.published()
            .for_list()
            .filter(
                pk__in=Film.objects.filter(
                    Q(practice__territory__path__startswith=territory.path)
                    | Q(structure__territory__path__startswith=territory.path)
                ).values("pk")
            ),
        )
        return context
