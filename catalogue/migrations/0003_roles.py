"""The two curation roles, as groups.

Curators write and translate: they add and change records (drafts, or proposals on
published ones), submit them for review, import and export. Editors also publish,
unpublish, archive, delete and decide on proposed changes. Neither manages users.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

RECORDS = ["structure", "practice", "film"]
CURATOR = {
    "catalogue": {
        **{model: ["view", "add", "change"] for model in RECORDS},
        "citation": ["view", "add", "change", "delete"],
        "source": ["view", "add", "change"],
        "theme": ["view"],
        "accreditation": ["view"],
        "proposal": ["view"],
    },
    "territories": {"territory": ["view", "add", "change"]},
    "levers": {"lever": ["view"], "actionarea": ["view"], "action": ["view"]},
}
EDITOR = {
    "catalogue": {
        **{model: ["view", "add", "change", "delete", "publish"] for model in RECORDS},
        "citation": ["view", "add", "change", "delete"],
        "source": ["view", "add", "change", "delete"],
        "theme": ["view", "add", "change", "delete"],
        "accreditation": ["view", "add", "change", "delete"],
        "proposal": ["view", "change", "delete"],
    },
    "territories": {"territory": ["view", "add", "change", "delete"]},
    "levers": {
        "lever": ["view", "change"],
        "actionarea": ["view", "add", "change"],
        "action": ["view", "add", "change", "delete"],
    },
}


def codenames(spec):
    for app_label, models in spec.items():
        for model, actions in models.items():
            for action in actions:
                yield app_label, f"{action}_{model}"


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, spec in (("Curator", CURATOR), ("Editor", EDITOR)):
        group, _created = Group.objects.get_or_create(name=name)
        for app_label, codename in codenames(spec):
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Curator", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("catalogue", "0002_search_indexes"),
        ("levers", "0001_initial"),
        ("territories", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
