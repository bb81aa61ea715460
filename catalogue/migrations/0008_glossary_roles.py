"""Glossary terms in the two curation roles: as for practices, curators write them
and editors also publish, unpublish, archive and delete (see 0003_roles)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = {
    "Curator": ["view", "add", "change"],
    "Editor": ["view", "add", "change", "delete", "publish"],
}


def add_permissions(apps, schema_editor):
    app_config = apps.get_app_config("catalogue")
    app_config.models_module = True  # permissions are normally created after migrating
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, actions in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        for action in actions:
            group.permissions.add(
                Permission.objects.get(
                    content_type__app_label="catalogue", codename=f"{action}_term"
                )
            )


def remove_permissions(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    codenames = {f"{action}_term" for actions in ROLES.values() for action in actions}
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="catalogue", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0007_glossary"), ("catalogue", "0003_roles")]

    operations = [migrations.RunPython(add_permissions, remove_permissions)]
