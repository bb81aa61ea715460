"""Key figures and methods in the two curation roles: curators write them (a method's steps
included), editors also publish, unpublish, archive and delete (see 0003_roles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Curator": {
        "figure": ["view", "add", "change"],
        "method": ["view", "add", "change"],
        "methodstep": ["view", "add", "change", "delete"],
    },
    "Editor": {
        "figure": ["view", "add", "change", "delete", "publish"],
        "method": ["view", "add", "change", "delete", "publish"],
        "methodstep": ["view", "add", "change", "delete"],
    },
}


def codenames(models):
    return [f"{action}_{model}" for model, actions in models.items() for action in actions]


def add_permissions(apps, schema_editor):
    app_config = apps.get_app_config("catalogue")
    app_config.models_module = True  # permissions are normally created after migrating
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, models in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        # By id: the historical models of a migration run backwards and forwards
        # in one process are not always the classes the relation expects.
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="catalogue", codename__in=codenames(models)
            ).values_list("pk", flat=True)
        )


def remove_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="catalogue", codename__in=codenames(ROLES[group.name])
            ).values_list("pk", flat=True)
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0015_figures_methods")]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
