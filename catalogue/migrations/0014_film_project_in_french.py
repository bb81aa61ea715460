"""A film's producing project was stored in English only (the seeds gave it untranslated,
and loading wrote the English column): it is a proper name (SUSY), the same in French."""

from django.db import migrations
from django.db.models import Q


def copy_to_french(apps, schema_editor):
    Film = apps.get_model("catalogue", "Film")
    empty = Q(producing_project_fr__isnull=True) | Q(producing_project_fr="")
    for film in Film.objects.filter(empty).exclude(producing_project_en__isnull=True):
        if film.producing_project_en:
            film.producing_project_fr = film.producing_project_en
            film.save(update_fields=["producing_project_fr"])


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0013_member_authorities")]

    operations = [migrations.RunPython(copy_to_french, migrations.RunPython.noop)]
