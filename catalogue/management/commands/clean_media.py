"""Remove uploaded images nothing refers to any more (logos, posters and their small
copies; proposed images of proposals already decided)."""

from django.apps import apps
from django.core.files.storage import storages
from django.core.management.base import BaseCommand

from catalogue.images import CleanImageField, small_name
from catalogue.models import Proposal


def files_under(storage, folder=""):
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from files_under(storage, f"{folder}/{sub}" if folder else sub)


class Command(BaseCommand):
    help = "Delete uploaded images that no record and no pending proposal refers to."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only list them")

    def handle(self, *args, dry_run=False, **options):
        public, used = storages["default"], set()
        folders = set()
        for model in apps.get_models():
            for field in model._meta.fields:
                if isinstance(field, CleanImageField):
                    folders.add(str(field.upload_to).strip("/"))
                    for name in model._default_manager.exclude(**{field.attname: ""}).values_list(
                        field.attname, flat=True
                    ):
                        used |= {name, small_name(name)}
        orphans = [(public, n) for f in folders for n in files_under(public, f) if n not in used]
        private, proposed = storages["proposals"], set()
        for changes in Proposal.objects.pending().values_list("changes", flat=True):
            for value in changes.values():
                if isinstance(value, dict) and "proposed_file" in value:
                    proposed |= {value["proposed_file"], small_name(value["proposed_file"])}
        orphans += [(private, n) for n in files_under(private) if n not in proposed]
        for storage, name in orphans:
            self.stdout.write(name)
            if not dry_run:
                storage.delete(name)
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(f"{len(orphans)} file(s) nothing refers to {verb}.")
